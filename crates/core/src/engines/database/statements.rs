//! Role statements: Vault's `{{…}}` substitution and the one-round-trip batches they run as.
//!
//! Vault runs each `;`-separated statement as its own round trip inside a transaction. Here a
//! role's statements go to PostgreSQL as one simple-query message, which PostgreSQL runs as one
//! implicit transaction: the same all-or-nothing result in a single round trip, and `DO $$ … END
//! $$` blocks need no special splitting because the server parses them.

use time::{macros::format_description, OffsetDateTime};

/// What `{{name}}`, `{{password}}` and `{{expiration}}` stand for in one credential's statements.
pub struct Substitutions<'a> {
    /// The generated user (`{{name}}` and `{{username}}`).
    pub name: &'a str,
    /// The generated password, or "" where none applies (revocation).
    pub password: &'a str,
    /// `VALID UNTIL` text (see [`expiration`]).
    pub expiration: &'a str,
}

/// Vault's expiration text: Go's `2006-01-02 15:04:05-0700`, in UTC.
pub fn expiration(unix_ms: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp(unix_ms.div_euclid(1000))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    t.format(format_description!(
        "[year]-[month]-[day] [hour]:[minute]:[second]+0000"
    ))
    .unwrap_or_default()
}

/// Joins `statements` into one batch with the placeholders filled in. Passwords are quoted
/// for the single-quoted literal Vault's statements put them in, so a password policy that
/// allows `'` cannot break (or inject into) the SQL.
pub fn render(statements: &[String], subs: &Substitutions<'_>) -> String {
    let password = subs.password.replace('\'', "''");
    let values = [
        ("{{name}}", subs.name),
        ("{{username}}", subs.name),
        ("{{password}}", password.as_str()),
        ("{{expiration}}", subs.expiration),
    ];
    statements
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| substitute(s.trim_end_matches(';'), &values))
        .collect::<Vec<_>>()
        .join(";\n")
}

/// Replaces every `(placeholder, value)` in one pass over `text`, so a value that itself
/// contains a placeholder (a username from a template holding `{{password}}`, say) is never
/// substituted again. Unknown `{{…}}` text is kept.
pub fn substitute(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        match values.iter().find(|(token, _)| tail.starts_with(token)) {
            Some((token, value)) => {
                out.push_str(value);
                rest = &tail[token.len()..];
            }
            None => {
                out.push_str("{{");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `message` (an error from PostgreSQL) without `password`. A syntax error quotes the token
/// where parsing failed, which can be the password or a piece of it (an unquoted
/// `{{password}}` splits at `-`, so the piece can be one character long), so any quoted piece
/// that occurs in the password is hidden too. An unrelated one-letter token may be hidden as
/// well; that costs a little clarity, never a secret.
pub fn redact(message: &str, password: &str) -> String {
    if password.is_empty() {
        return message.to_owned();
    }
    let whole = message
        .replace(&password.replace('\'', "''"), "[password]")
        .replace(password, "[password]");
    let mut out = String::with_capacity(whole.len());
    for (i, piece) in whole.split('"').enumerate() {
        if i > 0 {
            out.push('"');
        }
        // Odd pieces are inside quotes.
        if i % 2 == 1 && !piece.is_empty() && password.contains(piece) {
            out.push_str("[password]");
        } else {
            out.push_str(piece);
        }
    }
    out
}

/// `name` as a double-quoted SQL identifier.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `value` as a single-quoted SQL literal.
pub fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// The statements Strongroom revokes a user with when the role names none. Vault's default
/// only revokes table, sequence and schema privileges and then fails on any user that owns an
/// object; this one hands the user's objects to the connection's user, drops what privileges
/// remain (in this database), optionally ends the user's sessions, and drops the user — all in
/// one transaction. Unless the connection's user is a superuser, `GRANT … TO CURRENT_USER`
/// first gives it (a CREATEROLE admin) the membership `REASSIGN OWNED` needs; superusers skip
/// it, as it costs a catalog write that makes revocation about half as fast again.
pub fn default_revocation(name: &str, terminate_sessions: bool, superuser: bool) -> String {
    let id = ident(name);
    let mut sql = String::new();
    if terminate_sessions {
        sql.push_str(&format!(
            "ALTER ROLE {id} NOLOGIN;\nSELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE usename = {};\n",
            literal(name)
        ));
    }
    if !superuser {
        sql.push_str(&format!("GRANT {id} TO CURRENT_USER;\n"));
    }
    sql.push_str(&format!(
        "REASSIGN OWNED BY {id} TO CURRENT_USER;\nDROP OWNED BY {id};\nDROP ROLE {id}"
    ));
    sql
}

/// The default renew statement.
pub const DEFAULT_RENEW: &str = "ALTER ROLE \"{{name}}\" VALID UNTIL '{{expiration}}';";

/// The default root rotation statement.
pub const DEFAULT_ROOT_ROTATION: &str = "ALTER ROLE \"{{username}}\" WITH PASSWORD '{{password}}';";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiration_uses_vaults_layout_in_utc() {
        assert_eq!(expiration(1_700_000_000_999), "2023-11-14 22:13:20+0000");
    }

    #[test]
    fn render_fills_placeholders_and_joins_one_batch() {
        let subs = Substitutions {
            name: "v-root-ro-x-1",
            password: "pa'ss",
            expiration: "2030-01-01 00:00:00+0000",
        };
        let sql = render(
            &[
                "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';".into(),
                "  ".into(),
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"{{username}}\";".into(),
            ],
            &subs,
        );
        assert_eq!(
            sql,
            "CREATE ROLE \"v-root-ro-x-1\" WITH LOGIN PASSWORD 'pa''ss' VALID UNTIL \
             '2030-01-01 00:00:00+0000';\nGRANT SELECT ON ALL TABLES IN SCHEMA public TO \"v-root-ro-x-1\""
        );
    }

    #[test]
    fn errors_never_carry_the_password() {
        assert_eq!(
            redact("ERROR: syntax error at or near \"Ab1-x\"", "Ab1-x"),
            "ERROR: syntax error at or near \"[password]\""
        );
        assert_eq!(redact("near 'it''s'", "it's"), "near '[password]'");
        assert_eq!(redact("unchanged", ""), "unchanged");
        assert_eq!(
            redact("syntax error at or near \"Ab1\" in \"CREATE\"", "Ab1-x7Q"),
            "syntax error at or near \"[password]\" in \"CREATE\""
        );
    }

    #[test]
    fn values_are_never_substituted_twice() {
        let subs = Substitutions {
            name: "u-{{password}}",
            password: "secret",
            expiration: "",
        };
        assert_eq!(
            render(
                &["CREATE ROLE \"{{name}}\" PASSWORD '{{password}}' {{other}}".into()],
                &subs
            ),
            "CREATE ROLE \"u-{{password}}\" PASSWORD 'secret' {{other}}"
        );
    }

    #[test]
    fn default_revocation_quotes_and_optionally_terminates() {
        let plain = default_revocation("a\"b", false, false);
        assert!(plain.starts_with("GRANT \"a\"\"b\" TO CURRENT_USER;"));
        let as_superuser = default_revocation("u", false, true);
        assert!(as_superuser.starts_with("REASSIGN OWNED BY \"u\" TO CURRENT_USER;"));
        assert!(plain.ends_with("DROP ROLE \"a\"\"b\""));
        assert!(!plain.contains("pg_terminate_backend"));
        let ending = default_revocation("o'k", true, false);
        assert!(ending.contains("WHERE usename = 'o''k';"), "{ending}");
        assert!(ending.starts_with("ALTER ROLE \"o'k\" NOLOGIN;"));
    }
}
