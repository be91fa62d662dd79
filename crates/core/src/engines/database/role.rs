//! `database/roles/:name`: how credentials for one kind of user are made.
//!
//! Stored at `role/<name>` (singular, as Vault does). Before a role is stored its statements
//! are tried against the database in a rolled-back transaction (see `postgres::dry_run`).

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::config::statement_list;
use crate::logical::{Fields, LogicalError};

/// A stored role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Role {
    /// The connection config it uses.
    pub db_name: String,
    /// Run in one transaction to create a user.
    pub creation_statements: Vec<String>,
    /// Run to drop a user (empty: Strongroom's default, see `statements::default_revocation`).
    #[serde(default)]
    pub revocation_statements: Vec<String>,
    /// Kept for Vault compatibility; PostgreSQL's plugin never runs them (creation is one
    /// transaction, so there is nothing to roll back by hand).
    #[serde(default)]
    pub rollback_statements: Vec<String>,
    /// Run on renewal (empty: `ALTER ROLE … VALID UNTIL`).
    #[serde(default)]
    pub renew_statements: Vec<String>,
    /// Seconds (0: the mount's default).
    #[serde(default)]
    pub default_ttl: u64,
    /// Seconds (0: the mount's maximum).
    #[serde(default)]
    pub max_ttl: u64,
    /// Whether revocation first ends the user's open sessions.
    #[serde(default)]
    pub terminate_sessions: bool,
    /// Password policy for this role's passwords ("" : the connection's, else the default).
    #[serde(default)]
    pub password_policy: String,
}

fn bad(message: impl Into<String>) -> LogicalError {
    LogicalError::InvalidRequest(message.into())
}

impl Role {
    /// Applies a write to `existing` (fields not given are kept) and validates it.
    pub fn merge(existing: Option<Role>, f: &Fields<'_>) -> Result<Self, LogicalError> {
        let mut r = existing.unwrap_or(Role {
            db_name: String::new(),
            creation_statements: Vec::new(),
            revocation_statements: Vec::new(),
            rollback_statements: Vec::new(),
            renew_statements: Vec::new(),
            default_ttl: 0,
            max_ttl: 0,
            terminate_sessions: false,
            password_policy: String::new(),
        });
        if let Some(v) = f.string("db_name")? {
            r.db_name = v;
        }
        for (name, field) in [
            ("creation_statements", &mut r.creation_statements),
            ("revocation_statements", &mut r.revocation_statements),
            ("rollback_statements", &mut r.rollback_statements),
            ("renew_statements", &mut r.renew_statements),
        ] {
            if f.has(name) {
                *field = statement_list(f, name)?;
            }
        }
        if let Some(v) = f.duration("default_ttl")? {
            r.default_ttl = v.as_secs();
        }
        if let Some(v) = f.duration("max_ttl")? {
            r.max_ttl = v.as_secs();
        }
        if let Some(v) = f.boolean("terminate_sessions")? {
            r.terminate_sessions = v;
        }
        if let Some(config) = f.object("credential_config")? {
            if let Some(Value::String(p)) = config.get("password_policy") {
                r.password_policy = p.clone();
            }
        }
        if let Some(kind) = f.string("credential_type")? {
            if kind != "password" {
                return Err(bad(format!(
                    "unsupported credential_type {kind:?}: PostgreSQL roles issue passwords"
                )));
            }
        }
        if r.db_name.is_empty() {
            return Err(bad("database name is required"));
        }
        if r.creation_statements.is_empty() {
            return Err(bad(
                "creation_statements are required: without them no user can be created",
            ));
        }
        if r.max_ttl > 0 && r.default_ttl > r.max_ttl {
            return Err(bad(format!(
                "default_ttl ({}s) cannot be greater than max_ttl ({}s)",
                r.default_ttl, r.max_ttl
            )));
        }
        Ok(r)
    }

    /// The read view, in Vault's shape.
    pub fn read_view(&self) -> Map<String, Value> {
        let mut data = Map::new();
        data.insert("db_name".into(), self.db_name.clone().into());
        data.insert(
            "creation_statements".into(),
            json!(self.creation_statements),
        );
        data.insert(
            "revocation_statements".into(),
            json!(self.revocation_statements),
        );
        data.insert(
            "rollback_statements".into(),
            json!(self.rollback_statements),
        );
        data.insert("renew_statements".into(), json!(self.renew_statements));
        data.insert("default_ttl".into(), self.default_ttl.into());
        data.insert("max_ttl".into(), self.max_ttl.into());
        data.insert("credential_type".into(), "password".into());
        data.insert("terminate_sessions".into(), self.terminate_sessions.into());
        if !self.password_policy.is_empty() {
            data.insert(
                "credential_config".into(),
                json!({ "password_policy": self.password_policy }),
            );
        }
        data
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(body: Value, existing: Option<Role>) -> Result<Role, LogicalError> {
        let map = body.as_object().unwrap().clone();
        Role::merge(existing, &Fields::new(&map))
    }

    #[test]
    fn a_role_keeps_statements_whole_and_reads_back_in_seconds() {
        let sql = "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}', VALID UNTIL '{{expiration}}';";
        let r = write(
            json!({"db_name": "postgresql", "creation_statements": sql, "default_ttl": "1h", "max_ttl": "24h"}),
            None,
        )
        .unwrap();
        assert_eq!(r.creation_statements, vec![sql]);
        let view = r.read_view();
        assert_eq!(view["default_ttl"], 3600);
        assert_eq!(view["max_ttl"], 86400);
        assert_eq!(view["revocation_statements"], json!([]));
        let r = write(json!({"max_ttl": 7200}), Some(r)).unwrap();
        assert_eq!(
            (r.default_ttl, r.max_ttl, r.creation_statements.len()),
            (3600, 7200, 1)
        );
    }

    #[test]
    fn broken_roles_are_refused_with_the_reason() {
        let err = |body| write(body, None).unwrap_err().to_string();
        assert_eq!(
            err(json!({"creation_statements": "x"})),
            "database name is required"
        );
        assert!(err(json!({"db_name": "d"})).starts_with("creation_statements are required"));
        assert_eq!(
            err(
                json!({"db_name": "d", "creation_statements": "x", "default_ttl": 10, "max_ttl": 5})
            ),
            "default_ttl (10s) cannot be greater than max_ttl (5s)"
        );
        assert!(err(json!({"db_name": "d", "creation_statements": "x", "credential_type": "rsa_private_key"}))
            .starts_with("unsupported credential_type"));
    }
}
