//! A throwaway PostgreSQL cluster with password (scram-sha-256) authentication.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

use crate::net::free_port;
use crate::FixtureError;

/// The OS account that runs the cluster when the tests run as root.
const RUN_AS: &str = "postgres";

/// A running cluster, stopped and deleted on drop.
pub struct PostgresCluster {
    dir: TempDir,
    bin: PathBuf,
    port: u16,
    password: String,
    as_root: bool,
}

/// The newest installed PostgreSQL server binaries (`/usr/lib/postgresql/<v>/bin`).
fn server_bin() -> Result<PathBuf, FixtureError> {
    if let Some(p) = std::env::var_os("STRONGROOM_PG_BIN") {
        return Ok(PathBuf::from(p));
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| FixtureError::Missing {
            program: "initdb".into(),
            hint: "apt-get install postgresql".into(),
        })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn run(as_root: bool, program: &Path, args: &[&str]) -> Result<String, FixtureError> {
    let mut cmd = if as_root {
        let mut c = Command::new("runuser");
        c.args(["-u", RUN_AS, "--"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    let out = cmd.args(args).output()?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(FixtureError::Command {
            command: format!("{} {}", program.display(), args.join(" ")),
            detail: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        })
    }
}

fn random_password() -> String {
    // Unique enough for a throwaway cluster; only loopback can reach it.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("pw{:x}{:x}", nanos, std::process::id())
}

impl PostgresCluster {
    /// Creates and starts a cluster on a free loopback port.
    pub fn start() -> Result<Self, FixtureError> {
        let bin = server_bin()?;
        let as_root = is_root();
        let dir = tempfile::Builder::new().prefix("pgtest").tempdir()?;
        if as_root {
            run(
                false,
                Path::new("chown"),
                &[RUN_AS, &dir.path().display().to_string()],
            )?;
        }
        let password = random_password();
        let pwfile = dir.path().join("pwfile");
        fs::write(&pwfile, format!("{password}\n"))?;
        if as_root {
            run(
                false,
                Path::new("chown"),
                &[RUN_AS, &pwfile.display().to_string()],
            )?;
        }
        let data = dir.path().join("data");
        let init = run(
            as_root,
            &bin.join("initdb"),
            &[
                "-D",
                &data.display().to_string(),
                "-U",
                "postgres",
                &format!("--pwfile={}", pwfile.display()),
                "--auth=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
        );
        fs::remove_file(&pwfile)?;
        init?;
        let port = free_port()?;
        let server_options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            dir.path().display()
        );
        let log = dir.path().join("server.log");
        let started = run(
            as_root,
            &bin.join("pg_ctl"),
            &[
                "-D",
                &data.display().to_string(),
                "-l",
                &log.display().to_string(),
                "-w",
                "-t",
                "30",
                "-o",
                &server_options,
                "start",
            ],
        );
        if let Err(e) = started {
            let tail = fs::read_to_string(&log).unwrap_or_default();
            return Err(FixtureError::Command {
                command: "pg_ctl start".into(),
                detail: format!("{e}\n{tail}"),
            });
        }
        Ok(Self {
            dir,
            bin,
            port,
            password,
            as_root,
        })
    }

    /// A connection URL for the `postgres` superuser.
    pub fn url(&self) -> String {
        format!(
            "postgres://postgres:{}@127.0.0.1:{}/postgres",
            self.password, self.port
        )
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The superuser's password.
    pub fn password(&self) -> &str {
        &self.password
    }
}

impl Drop for PostgresCluster {
    fn drop(&mut self) {
        let data = self.dir.path().join("data").display().to_string();
        let _ = run(
            self.as_root,
            &self.bin.join("pg_ctl"),
            &["-D", &data, "-m", "immediate", "-w", "stop"],
        );
    }
}
