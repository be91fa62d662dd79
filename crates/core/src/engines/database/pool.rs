//! A small connection pool per connection config.
//!
//! `max_open_connections` bounds connections in use (a semaphore), `max_idle_connections` how
//! many are kept between uses, `max_connection_lifetime` when one is retired. A connection that
//! broke is never handed out again. Checking out is one lock and no round trip, so credential
//! issuance and revocation run in parallel up to the pool size.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_postgres::{Client, Config};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::statements::substitute;
use super::tls;

/// How long a connection attempt may take unless the URL sets `connect_timeout`: PostgreSQL
/// being down must fail a request fast, not hang it.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Pool limits from the connection config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections in use at once.
    pub max_open: usize,
    /// Connections kept idle.
    pub max_idle: usize,
    /// Age at which a connection is closed instead of reused (`None`: never).
    pub max_lifetime: Option<Duration>,
}

struct Idle {
    client: Client,
    born: Instant,
}

/// The pool.
pub struct Pool {
    config: Config,
    tls: MakeRustlsConnect,
    limits: Limits,
    permits: Arc<Semaphore>,
    idle: Mutex<Vec<Idle>>,
    /// Whether the connection's user is a superuser, asked once.
    superuser: tokio::sync::OnceCell<bool>,
}

/// A checked-out connection; it goes back to the pool when dropped, if still healthy.
pub struct Conn {
    client: Option<Client>,
    born: Instant,
    pool: Arc<Pool>,
    _permit: OwnedSemaphorePermit,
}

impl Deref for Conn {
    type Target = Client;
    fn deref(&self) -> &Client {
        self.client.as_ref().expect("present until drop")
    }
}

impl DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut Client {
        self.client.as_mut().expect("present until drop")
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            self.pool.put_back(client, self.born);
        }
    }
}

/// Fills `{{username}}` and `{{password}}` in a connection URL (percent-encoded in a URL
/// unless `disable_escaping`, as Vault does).
pub fn fill_url(url: &str, username: &str, password: &str, disable_escaping: bool) -> String {
    let is_url = url.starts_with("postgres://") || url.starts_with("postgresql://");
    let escape = |s: &str| {
        if disable_escaping || !is_url {
            return s.to_owned();
        }
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    char::from(b).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    substitute(
        url,
        &[
            ("{{username}}", &escape(username)),
            ("{{password}}", &escape(password)),
        ],
    )
}

/// A readable message for a PostgreSQL error: the server's own words (severity, message,
/// detail, hint) or the connection failure with its cause.
pub fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut text = format!("{}: {}", db.severity(), db.message());
            if let Some(detail) = db.detail() {
                text.push_str(&format!(" (DETAIL: {detail})"));
            }
            if let Some(hint) = db.hint() {
                text.push_str(&format!(" (HINT: {hint})"));
            }
            text
        }
        None => {
            // The driver's Display leaves out the cause ("error connecting to server"), which
            // is the part that tells a user what to fix ("Connection refused").
            let mut text = e.to_string();
            let mut cause = std::error::Error::source(e);
            while let Some(c) = cause {
                let more = c.to_string();
                if !text.contains(&more) {
                    text.push_str(": ");
                    text.push_str(&more);
                }
                cause = c.source();
            }
            text
        }
    }
}

impl Pool {
    /// A pool for the filled-in connection URL. Nothing connects until first use.
    pub fn new(url: &str, limits: Limits) -> Result<Arc<Self>, String> {
        let (rest, tls_settings) = tls::split(url)?;
        let mut config: Config = rest
            .parse()
            .map_err(|e: tokio_postgres::Error| format!("invalid connection_url: {e}"))?;
        config.ssl_mode(tls_settings.mode);
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("strongroom");
        }
        let tls = tls::connector(&tls_settings)?;
        Ok(Arc::new(Self {
            config,
            tls,
            limits,
            permits: Arc::new(Semaphore::new(limits.max_open.max(1))),
            idle: Mutex::new(Vec::new()),
            superuser: tokio::sync::OnceCell::new(),
        }))
    }

    /// A connection: an idle one if any is healthy, else a new one.
    pub async fn get(self: &Arc<Self>) -> Result<Conn, String> {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| "the connection pool is closed".to_owned())?;
        let reused = {
            let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
            let mut found = None;
            while let Some(conn) = idle.pop() {
                if !conn.client.is_closed() && !self.expired(conn.born) {
                    found = Some(conn);
                    break;
                }
            }
            found
        };
        let Idle { client, born } = match reused {
            Some(idle) => idle,
            None => Idle {
                client: self.connect().await?,
                born: Instant::now(),
            },
        };
        Ok(Conn {
            client: Some(client),
            born,
            pool: self.clone(),
            _permit: permit,
        })
    }

    /// The pool a connection came from.
    pub fn of(conn: &Conn) -> &Arc<Pool> {
        &conn.pool
    }

    async fn connect(&self) -> Result<Client, String> {
        let (client, connection) = self
            .config
            .connect(self.tls.clone())
            .await
            .map_err(|e| describe(&e))?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "database connection ended");
            }
        });
        Ok(client)
    }

    /// Whether the user this pool connects as is a superuser (asked once per pool).
    pub async fn is_superuser(&self, conn: &Conn) -> Result<bool, String> {
        self.superuser
            .get_or_try_init(|| async {
                conn.query_one(
                    "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user",
                    &[],
                )
                .await
                .map(|row| row.get(0))
                .map_err(|e| describe(&e))
            })
            .await
            .copied()
    }

    fn expired(&self, born: Instant) -> bool {
        self.limits
            .max_lifetime
            .is_some_and(|life| born.elapsed() >= life)
    }

    fn put_back(&self, client: Client, born: Instant) {
        if client.is_closed() || self.expired(born) {
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < self.limits.max_idle {
            idle.push(Idle { client, born });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_filled_and_escaped_like_vault() {
        assert_eq!(
            fill_url(
                "postgresql://{{username}}:{{password}}@h/db",
                "ro ot",
                "p@ss/w",
                false
            ),
            "postgresql://ro%20ot:p%40ss%2Fw@h/db"
        );
        assert_eq!(
            fill_url(
                "postgresql://{{username}}:{{password}}@h/db",
                "a",
                "b%20",
                true
            ),
            "postgresql://a:b%20@h/db"
        );
        assert_eq!(
            fill_url(
                "host=h user={{username}} password={{password}}",
                "u",
                "p@",
                false
            ),
            "host=h user=u password=p@"
        );
    }

    #[test]
    fn a_bad_url_is_refused_before_any_connection() {
        let limits = Limits {
            max_open: 1,
            max_idle: 1,
            max_lifetime: None,
        };
        let err = Pool::new("postgresql://h:notaport/db", limits)
            .err()
            .unwrap();
        assert!(err.starts_with("invalid connection_url:"), "{err}");
    }
}
