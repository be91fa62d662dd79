//! `moto_server` on loopback: DynamoDB and KMS for tests.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::net::{form_encode, free_port, http_post, http_status};
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

/// IAM credentials created in moto.
pub struct IamUser {
    /// The access key id.
    pub access_key: String,
    /// The secret access key.
    pub secret_key: String,
}

/// The text between `<tag>` and `</tag>` in an XML response.
fn xml_field(xml: &str, tag: &str) -> Option<String> {
    let start = xml.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = xml[start..].find(&format!("</{tag}>"))? + start;
    Some(xml[start..end].to_owned())
}

impl MotoServer {
    /// Starts a server on a free port and waits until it answers.
    pub fn start() -> Result<Self, FixtureError> {
        Self::spawn(None)
    }

    /// Starts a server that enforces IAM after its first `free_actions` AWS requests
    /// (moto's `INITIAL_NO_AUTH_ACTION_COUNT`): spend them on [`MotoServer::create_iam_user`].
    /// Moto checks the actions of DynamoDB requests against resource `*`, so policies given to
    /// it must use `"Resource": "*"` to match.
    pub fn start_with_iam(free_actions: u32) -> Result<Self, FixtureError> {
        Self::spawn(Some(free_actions))
    }

    /// Creates an IAM user with `policies` (JSON documents) inline, and an access key for it.
    /// Costs `policies.len() + 2` unauthenticated actions.
    pub fn create_iam_user(
        &self,
        name: &str,
        policies: &[String],
    ) -> Result<IamUser, FixtureError> {
        // Moto routes unsigned requests by the service in the credential scope.
        let auth = "AWS4-HMAC-SHA256 Credential=bootstrap/20260101/us-east-1/iam/aws4_request, \
                    SignedHeaders=host, Signature=0";
        let call = |params: &str| -> Result<String, FixtureError> {
            let (status, body) = http_post(
                self.port,
                &[("Authorization", auth)],
                &format!("{params}&Version=2010-05-08"),
            )?;
            if status != 200 {
                return Err(FixtureError::Command {
                    command: format!("IAM {params}"),
                    detail: format!("HTTP {status}: {body}"),
                });
            }
            Ok(body)
        };
        call(&format!("Action=CreateUser&UserName={}", form_encode(name)))?;
        for (i, policy) in policies.iter().enumerate() {
            call(&format!(
                "Action=PutUserPolicy&UserName={}&PolicyName=policy{i}&PolicyDocument={}",
                form_encode(name),
                form_encode(policy)
            ))?;
        }
        let body = call(&format!(
            "Action=CreateAccessKey&UserName={}",
            form_encode(name)
        ))?;
        match (
            xml_field(&body, "AccessKeyId"),
            xml_field(&body, "SecretAccessKey"),
        ) {
            (Some(access_key), Some(secret_key)) => Ok(IamUser {
                access_key,
                secret_key,
            }),
            _ => Err(FixtureError::Command {
                command: "IAM CreateAccessKey".into(),
                detail: body,
            }),
        }
    }

    fn spawn(free_actions: Option<u32>) -> Result<Self, FixtureError> {
        let port = free_port()?;
        let program = program();
        let mut command = Command::new(&program);
        if let Some(n) = free_actions {
            command.env("INITIAL_NO_AUTH_ACTION_COUNT", n.to_string());
        }
        let child = command
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
