//! `database/creds/:role`, and the renewal and revocation of what it hands out.
//!
//! Issuing one credential: load the role and its connection, take a pooled connection (so a
//! database that is down fails the request before anything is written), reserve the lease (the
//! write-ahead record: the lease entry and its token index, the only two writes), run the
//! creation statements as one transaction in one round trip, then confirm the lease. The
//! database work runs in its own task, so a client that hangs up cannot cut it short between
//! `CREATE ROLE` and the lease's confirmation.

use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::{json, Map, Value};
use zeroize::Zeroizing;

use super::pool::{Conn, Pool};
use super::postgres::{self, Failure};
use super::role::Role;
use super::statements::{self, Substitutions};
use super::template::{Metadata, UsernameTemplate, DEFAULT_USERNAME_TEMPLATE};
use super::{bad, load_config, load_role, DatabaseBackend};
use crate::lease::now_ms;
use crate::lease::ttl::{self, TtlRequest};
use crate::logical::{
    BackendRequest, LeaseInfo, LeaseRequest, LogicalError, Renewal, Response, Secret,
};
use crate::system::password_policy::{PasswordPolicies, PasswordPolicy};

/// PostgreSQL's longest identifier (NAMEDATALEN − 1).
const MAX_USERNAME: usize = 63;
/// Vault's grace between the lease's end and `VALID UNTIL`, so the revocation (not the
/// password's expiry) is what ends the user.
const VALID_UNTIL_GRACE_MS: i64 = 5_000;

/// What a lease keeps to renew and revoke its user, even after the role is deleted.
#[derive(Deserialize)]
struct Internal {
    username: String,
    role: String,
    db_name: String,
    #[serde(default)]
    revocation_statements: Vec<String>,
    #[serde(default)]
    terminate_sessions: bool,
}

/// A password from `policy` (a name under `sys/policies/password/`), else Vault's default.
pub async fn generate_password(
    policies: &PasswordPolicies,
    policy: &str,
) -> Result<Zeroizing<String>, LogicalError> {
    let chosen = if policy.is_empty() {
        PasswordPolicy::default_policy()
    } else {
        policies
            .get(policy)
            .await?
            .ok_or_else(|| bad(format!("password policy {policy:?} does not exist")))?
    };
    chosen
        .generate()
        .map_err(|e| bad(format!("could not generate a password: {e}")))
}

/// A username from the connection's template (Vault's by default), checked to be safe inside
/// the quotes the statements put it in.
fn username(template: &str, display_name: &str, role: &str) -> Result<String, LogicalError> {
    static DEFAULT: OnceLock<UsernameTemplate> = OnceLock::new();
    let custom;
    let parsed = if template.is_empty() {
        DEFAULT.get_or_init(|| {
            UsernameTemplate::parse(DEFAULT_USERNAME_TEMPLATE).expect("the default template parses")
        })
    } else {
        custom = UsernameTemplate::parse(template)
            .map_err(|e| bad(format!("invalid username template: {e}")))?;
        &custom
    };
    let mut name = parsed
        .render(&Metadata {
            display_name,
            role_name: role,
        })
        .map_err(|e| bad(format!("unable to generate username: {e}")))?;
    if name.is_empty() {
        return Err(bad(
            "unable to generate username: the template gave an empty name",
        ));
    }
    if name
        .chars()
        .any(|c| matches!(c, '"' | '\'' | '\\' | ';' | '\0'))
    {
        return Err(bad(format!(
            "unable to generate username: {name:?} contains a quote, backslash, ';' or NUL"
        )));
    }
    if name.len() > MAX_USERNAME {
        let mut end = MAX_USERNAME;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name.truncate(end);
    }
    Ok(name)
}

/// The creation and revocation statements of `role` for the user `name`.
fn creation_sql(role: &Role, subs: &Substitutions<'_>) -> Zeroizing<String> {
    Zeroizing::new(statements::render(&role.creation_statements, subs))
}

fn revocation_sql(statements_: &[String], terminate: bool, superuser: bool, name: &str) -> String {
    if statements_.is_empty() {
        statements::default_revocation(name, terminate, superuser)
    } else {
        statements::render(
            statements_,
            &Substitutions {
                name,
                password: "",
                expiration: "",
            },
        )
    }
}

/// What a role's trial ran: the throwaway user and its statements as sent, the password
/// shown as `[password]`.
pub struct Trial {
    /// The user the trial created and dropped.
    pub username: String,
    /// The creation statements with the placeholders filled in.
    pub creation: String,
    /// The revocation statements (the role's, or the default) with the placeholders filled in.
    pub revocation: String,
}

/// The role's statements, tried with a throwaway user in a transaction that is rolled back.
pub async fn dry_run(conn: &mut Conn, role_name: &str, role: &Role) -> Result<Trial, LogicalError> {
    let name = format!(
        "v-trial-{}-{}",
        role_name.chars().take(8).collect::<String>(),
        crate::random::random_base62(20)
    );
    let password = PasswordPolicy::default_policy()
        .generate()
        .map_err(|e| LogicalError::Internal(e.to_string()))?;
    let expiration = statements::expiration(now_ms() + (role.default_ttl.max(3600) as i64) * 1000);
    let subs = Substitutions {
        name: &name,
        password: &password,
        expiration: &expiration,
    };
    let creation = creation_sql(role, &subs);
    let superuser = Pool::of(conn)
        .is_superuser(conn)
        .await
        .map_err(LogicalError::Upstream)?;
    let revocation = revocation_sql(
        &role.revocation_statements,
        role.terminate_sessions,
        superuser,
        &name,
    );
    let tried = postgres::dry_run(conn, &creation, &revocation).await;
    // A COMMIT among the statements ends the trial transaction early: the trial user may then
    // really exist. It is dropped, and such a role is refused only if its own revocation
    // statements could not drop it.
    let left_over = postgres::user_exists(conn, &name)
        .await
        .map_err(|f| LogicalError::Upstream(f.message().to_owned()))?;
    if left_over {
        let cleanup = statements::default_revocation(&name, false, superuser);
        if let Err(f) = postgres::run_batch(conn, &cleanup).await {
            tracing::warn!(error = %f.message(), user = %name, "could not drop a trial user");
        }
        return Err(bad(
            "the role's statements commit on their own (a COMMIT among them) and its \
             revocation statements did not drop the user they created: nothing was saved",
        ));
    }
    tried.map_err(|e| {
        bad(format!(
            "the role's statements failed against the database (nothing was saved): {}",
            statements::redact(&e, &password)
        ))
    })?;
    Ok(Trial {
        creation: statements::redact(&creation, &password),
        revocation,
        username: name,
    })
}

/// `database/creds/:role`.
pub async fn issue(
    backend: &DatabaseBackend,
    req: &BackendRequest<'_>,
    role_name: &str,
) -> Result<Response, LogicalError> {
    let Some(role) = load_role(req.storage, role_name).await? else {
        return Err(bad(format!("unknown role: {role_name}")));
    };
    let Some(loaded) = load_config(req.storage, &role.db_name).await? else {
        return Err(bad(format!(
            "database {:?} of role {role_name:?} does not exist",
            role.db_name
        )));
    };
    if !loaded.config.allows(role_name) {
        return Err(bad(format!(
            "{role_name:?} is not an allowed role of database {:?}",
            role.db_name
        )));
    }
    let issuer = req
        .leases
        .as_ref()
        .ok_or_else(|| LogicalError::Internal("credentials need an authenticated caller".into()))?;
    let display = req.token.map_or("", |t| t.display_name.as_str());
    let name = username(&loaded.config.username_template, display, role_name)?;
    let policy = if role.password_policy.is_empty() {
        &loaded.config.password_policy
    } else {
        &role.password_policy
    };
    let password = generate_password(req.passwords, policy).await?;
    let conn = backend.connect(req.storage, &role.db_name, &loaded).await?;

    let secret = Secret {
        ttl: role.default_ttl,
        max_ttl: role.max_ttl,
        renewable: true,
        internal: json!({
            "username": name,
            "role": role_name,
            "db_name": role.db_name,
            "revocation_statements": role.revocation_statements,
            "terminate_sessions": role.terminate_sessions,
        }),
        role: role_name.to_owned(),
    };
    let reservation = issuer.reserve(&secret).await?;
    let grant = reservation.grant().clone();
    let expiration = statements::expiration(
        reservation.issue_ms() + grant.duration as i64 * 1000 + VALID_UNTIL_GRACE_MS,
    );
    let sql = creation_sql(
        &role,
        &Substitutions {
            name: &name,
            password: &password,
            expiration: &expiration,
        },
    );
    let user = name.clone();
    let created = tokio::spawn(async move {
        let outcome = postgres::run_batch(&conn, &sql).await;
        match &outcome {
            Ok(()) => reservation.confirm(),
            // Refused means rolled back, unless the statements committed part-way themselves
            // (an explicit COMMIT): the lease goes only if the user certainly does not exist.
            Err(Failure::Refused(_))
                if matches!(postgres::user_exists(&conn, &user).await, Ok(false)) =>
            {
                if let Err(e) = reservation.release().await {
                    tracing::warn!(error = %e, "could not remove the lease of a failed issuance");
                }
            }
            // The user may exist: dropping the reservation revokes it.
            Err(_) => drop(reservation),
        }
        outcome
    })
    .await
    .map_err(|e| LogicalError::Internal(format!("credential creation failed: {e}")))?;
    if let Err(failure) = created {
        let message = format!(
            "could not create the user for role {role_name:?}: {}",
            statements::redact(failure.message(), &password)
        );
        return Err(match failure {
            Failure::Refused(_) => bad(message),
            Failure::Broken(_) => LogicalError::Upstream(message),
        });
    }
    let mut data = Map::new();
    data.insert("username".into(), name.into());
    data.insert("password".into(), Value::String(password.to_string()));
    Ok(Response {
        lease: Some(LeaseInfo {
            lease_id: grant.lease_id,
            duration: grant.duration,
            renewable: grant.renewable,
        }),
        warnings: grant.warning.into_iter().collect(),
        ..Response::with_data(data)
    })
}

fn internal(req: &LeaseRequest<'_>) -> Result<Internal, LogicalError> {
    Internal::deserialize(req.internal)
        .map_err(|e| bad(format!("the lease does not name a database user: {e}")))
}

/// Renewal: moves `VALID UNTIL` to the lease's new end (plus Vault's 5 s).
pub async fn renew(
    backend: &DatabaseBackend,
    req: &LeaseRequest<'_>,
) -> Result<Renewal, LogicalError> {
    let it = internal(req)?;
    let Some(role) = load_role(req.storage, &it.role).await? else {
        return Err(bad(format!(
            "error during renew: could not find role with name {:?}",
            it.role
        )));
    };
    let now = now_ms();
    let granted = ttl::calculate(
        req.limits,
        TtlRequest {
            increment: req.increment,
            backend_ttl: role.default_ttl,
            backend_max_ttl: role.max_ttl,
            issue_ms: req.issue_ms,
            now_ms: now,
            ..TtlRequest::default()
        },
    )
    .map_err(|e| bad(e.to_string()))?;
    if granted.ttl_ms > 0 {
        let Some(loaded) = load_config(req.storage, &it.db_name).await? else {
            return Err(bad(format!("database {:?} does not exist", it.db_name)));
        };
        let conn = backend.connect(req.storage, &it.db_name, &loaded).await?;
        let renew = if role.renew_statements.is_empty() {
            vec![statements::DEFAULT_RENEW.to_owned()]
        } else {
            role.renew_statements.clone()
        };
        let expiration = statements::expiration(now + granted.ttl_ms + VALID_UNTIL_GRACE_MS);
        let sql = statements::render(
            &renew,
            &Substitutions {
                name: &it.username,
                password: "",
                expiration: &expiration,
            },
        );
        postgres::run_batch(&conn, &sql).await.map_err(|f| {
            LogicalError::Upstream(format!(
                "could not renew {:?}: {}",
                it.username,
                f.message()
            ))
        })?;
    }
    Ok(Renewal {
        ttl: role.default_ttl,
        max_ttl: role.max_ttl,
        internal: None,
    })
}

/// Revocation: the role's current statements (or, if the role is gone, those the lease
/// kept), else the default. A user that no longer exists counts as revoked, so a retry after
/// a half-finished attempt succeeds instead of failing forever.
pub async fn revoke(backend: &DatabaseBackend, req: &LeaseRequest<'_>) -> Result<(), LogicalError> {
    let it = internal(req)?;
    let (custom, terminate) = match load_role(req.storage, &it.role).await? {
        Some(role) => (role.revocation_statements, role.terminate_sessions),
        None => (it.revocation_statements.clone(), it.terminate_sessions),
    };
    let Some(loaded) = load_config(req.storage, &it.db_name).await? else {
        return Err(bad(format!(
            "database {:?} no longer exists, so user {:?} cannot be dropped; restore the \
             connection config or revoke with -force",
            it.db_name, it.username
        )));
    };
    let conn = backend.connect(req.storage, &it.db_name, &loaded).await?;
    let superuser = Pool::of(&conn)
        .is_superuser(&conn)
        .await
        .map_err(LogicalError::Upstream)?;
    let sql = revocation_sql(&custom, terminate, superuser, &it.username);
    match postgres::run_batch(&conn, &sql).await {
        Ok(()) => Ok(()),
        Err(Failure::Refused(m)) => {
            let gone = !postgres::user_exists(&conn, &it.username)
                .await
                .map_err(|f| LogicalError::Upstream(f.message().to_owned()))?;
            if gone {
                Ok(())
            } else {
                Err(LogicalError::Upstream(format!(
                    "could not drop {:?}: {m}",
                    it.username
                )))
            }
        }
        Err(Failure::Broken(m)) => Err(LogicalError::Upstream(format!(
            "could not drop {:?}: {m}",
            it.username
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_follow_vaults_format_and_postgresqls_limit() {
        let name = username("", "token", "readonly").unwrap();
        let parts: Vec<&str> = name.split('-').collect();
        assert_eq!(&parts[..3], ["v", "token", "readonly"]);
        assert_eq!(parts[3].len(), 20);
        assert_eq!(parts[4].len(), 10);
        assert!(parts[4].bytes().all(|b| b.is_ascii_digit()));
        let long = username(r#"{{ printf "%s%s" (random 50) (random 50) }}"#, "t", "r").unwrap();
        assert_eq!(long.len(), MAX_USERNAME);
        assert!(username(r#"{{ printf "a\"b" }}"#, "t", "r")
            .unwrap_err()
            .to_string()
            .contains("contains a quote"));
    }

    #[test]
    fn revocation_uses_the_default_only_without_statements() {
        assert!(revocation_sql(&[], false, false, "u").ends_with("DROP ROLE \"u\""));
        assert_eq!(
            revocation_sql(
                &["DROP ROLE IF EXISTS \"{{name}}\";".into()],
                true,
                false,
                "u"
            ),
            "DROP ROLE IF EXISTS \"u\""
        );
    }
}
