//! `moto_server` on loopback: DynamoDB and KMS for tests.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::net::{free_port, http_status};
use crate::FixtureError;

const READY_TIMEOUT: Duration = Duration::from_secs(30);

/// A running `moto_server`, killed on drop.
pub struct MotoServer {
    child: Child,
    port: u16,
}

/// `moto_server` from `$STRONGROOM_MOTO_SERVER`, the repository's `.venv`, or `PATH`.
fn program() -> PathBuf {
    if let Some(p) = std::env::var_os("STRONGROOM_MOTO_SERVER") {
        return PathBuf::from(p);
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/moto_server");
    if venv.exists() {
        return venv;
    }
    PathBuf::from("moto_server")
}

impl MotoServer {
    /// Starts a server on a free port and waits until it answers.
    pub fn start() -> Result<Self, FixtureError> {
        let port = free_port()?;
        let program = program();
        let child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => FixtureError::Missing {
                    program: program.display().to_string(),
                    hint: "run scripts/setup-test-env.sh (pip install 'moto[server]' into .venv)"
                        .into(),
                },
                _ => FixtureError::Io(e),
            })?;
        let mut server = Self { child, port };
        let started = Instant::now();
        loop {
            match http_status(port, "GET", "/moto-api/") {
                Ok(200) => return Ok(server),
                result => {
                    if let Ok(Some(status)) = server.child.try_wait() {
                        return Err(FixtureError::Command {
                            command: program.display().to_string(),
                            detail: format!("exited early with {status}"),
                        });
                    }
                    if started.elapsed() > READY_TIMEOUT {
                        return Err(FixtureError::Timeout {
                            service: "moto_server".into(),
                            seconds: READY_TIMEOUT.as_secs(),
                            detail: format!("{result:?}"),
                        });
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
        }
    }

    /// The endpoint URL to give the AWS SDK.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Wipes all state (tables, keys) without restarting.
    pub fn reset(&self) -> Result<(), FixtureError> {
        match http_status(self.port, "POST", "/moto-api/reset")? {
            200 => Ok(()),
            other => Err(FixtureError::Command {
                command: "POST /moto-api/reset".into(),
                detail: format!("HTTP {other}"),
            }),
        }
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
