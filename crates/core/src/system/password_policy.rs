//! Vault password policies (`sys/policies/password/:name`): a `length` and one or more
//! `rule "charset"` blocks, which secrets engines use to generate the credentials they hand out.
//!
//! Generation follows Vault's design rather than a cheaper one: every character is drawn
//! uniformly (OS RNG, no modulo bias) from the de-duplicated union of all charsets, and a
//! candidate that misses any rule's `min-chars` is discarded whole and redrawn. Planting the
//! required characters in fixed slots would never need a retry, but it would make passwords
//! more predictable than Vault's. Since `min-chars` adding up to at most `length` is all any
//! policy needs to be satisfiable, [`PasswordPolicy::parse`] checks that, so a policy that was
//! stored can always generate.

use std::collections::BTreeSet;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Body, Structure};
use rand::Rng;
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::logical::{BackendRequest, LogicalError, Operation, Response};

/// The `length` values Vault accepts (the error message spells them out).
const LENGTH: std::ops::RangeInclusive<usize> = 4..=100;
/// Rejection sampling gives up after this many candidates, so a satisfiable but improbable
/// policy (say 8 characters, 4 of them from a one-character charset) fails a request quickly
/// instead of holding it.
const MAX_ATTEMPTS: usize = 10_000;

/// A parsed, validated password policy; only [`PasswordPolicy::parse`] and
/// [`PasswordPolicy::default_policy`] make one, so every value can generate.
#[derive(Debug, Clone, PartialEq)]
pub struct PasswordPolicy {
    length: usize,
    rules: Vec<Rule>,
    /// Sorted union of the rules' charsets: what each character is drawn from. Never empty.
    alphabet: Vec<char>,
}

/// A `rule "charset"` block: at least `min_chars` characters must come from `charset`.
#[derive(Debug, Clone, PartialEq)]
struct Rule {
    /// A [`sorted_set`], so that membership stays cheap even for long charsets.
    charset: Vec<char>,
    min_chars: usize,
}

/// Sorted and de-duplicated, for binary search.
fn sorted_set(chars: impl Iterator<Item = char>) -> Vec<char> {
    chars.collect::<BTreeSet<_>>().into_iter().collect()
}

impl Rule {
    fn new(charset: &str, min_chars: usize) -> Self {
        let charset = sorted_set(charset.chars());
        Self { charset, min_chars }
    }

    fn is_met(&self, password: &str) -> bool {
        let hit = |c: &char| self.charset.binary_search(c).is_ok();
        password.chars().filter(hit).count() >= self.min_chars
    }
}

/// Why a policy document was rejected or a password could not be generated; the text is
/// meant for the API caller, as Vault returns it in `errors`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PolicyError(pub String);

fn fail<T>(message: impl Into<String>) -> Result<T, PolicyError> {
    Err(PolicyError(message.into()))
}

/// The name of an attribute or block, so unknown ones are reported alike.
fn key(item: &Structure) -> &str {
    match item {
        Structure::Attribute(a) => a.key.as_str(),
        Structure::Block(b) => b.ident.as_str(),
    }
}

fn integer(key: &str, value: &Expression) -> Result<usize, PolicyError> {
    match value {
        Expression::Number(n) => n.value().as_u64().and_then(|n| usize::try_from(n).ok()),
        _ => None,
    }
    .ok_or_else(|| PolicyError(format!("{key} must be a non-negative integer")))
}

fn charset_rule(body: &Body) -> Result<Rule, PolicyError> {
    let (mut charset, mut min_chars) = (None, 0);
    for item in body.iter() {
        match (key(item), item) {
            ("charset", Structure::Attribute(a)) => match &a.value {
                Expression::String(s) if s.is_empty() => {
                    return fail("rule \"charset\": charset must not be empty")
                }
                Expression::String(s) => charset = Some(s.value().as_str()),
                _ => return fail("rule \"charset\": charset must be a string"),
            },
            ("min-chars", Structure::Attribute(a)) => min_chars = integer("min-chars", &a.value)?,
            (other, _) => return fail(format!("rule \"charset\": unknown key {other:?}")),
        }
    }
    match charset {
        Some(charset) => Ok(Rule::new(charset, min_chars)),
        None => fail("rule \"charset\": missing required key \"charset\""),
    }
}

impl PasswordPolicy {
    fn new(length: usize, rules: Vec<Rule>) -> Self {
        let alphabet = sorted_set(rules.iter().flat_map(|r| r.charset.iter().copied()));
        Self {
            length,
            rules,
            alphabet,
        }
    }

    /// Parses and validates a policy document, rejecting anything Vault would not accept, so
    /// that a typo is reported when the policy is written rather than silently ignored.
    pub fn parse(hcl: &str) -> Result<Self, PolicyError> {
        let body = hcl_edit::parser::parse_body(hcl).map_err(|e| {
            let (line, column) = (e.location().line(), e.location().column());
            PolicyError(format!(
                "invalid HCL at line {line}, column {column}: {}",
                e.message()
            ))
        })?;
        let (mut length, mut rules) = (None, Vec::new());
        for item in body.iter() {
            match (key(item), item) {
                ("length", Structure::Attribute(a)) => length = Some(integer("length", &a.value)?),
                ("rule", Structure::Block(b)) => match b.labels.as_slice() {
                    [label] if label.as_str() == "charset" => rules.push(charset_rule(&b.body)?),
                    [label] => return fail(format!("unknown rule type {:?}", label.as_str())),
                    _ => return fail("a rule block takes exactly one label, its type"),
                },
                (other, _) => return fail(format!("unknown key {other:?}")),
            }
        }
        let Some(length) = length else {
            return fail("missing required key \"length\"");
        };
        if !LENGTH.contains(&length) {
            return fail(format!("length must be between 4 and 100, got {length}"));
        }
        if rules.is_empty() {
            return fail("at least one rule \"charset\" block is required");
        }
        let needed = rules
            .iter()
            .map(|r| r.min_chars)
            .fold(0, usize::saturating_add);
        if needed > length {
            return fail(format!(
                "rules require at least {needed} characters but length is {length}"
            ));
        }
        Ok(Self::new(length, rules))
    }

    /// Vault's default generator (20 chars, [a-zA-Z0-9-], one of each class).
    ///
    /// Engines use it when no policy is named, so passwords look like the ones Vault makes.
    pub fn default_policy() -> Self {
        let classes = [
            "abcdefghijklmnopqrstuvwxyz",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "0123456789",
            "-",
        ];
        Self::new(20, classes.map(|charset| Rule::new(charset, 1)).into())
    }

    /// Draws a password that satisfies every rule, or fails after 10,000 rejected candidates.
    pub fn generate(&self) -> Result<Zeroizing<String>, PolicyError> {
        let mut rng = crate::random::seeded_rng();
        // Room for the widest UTF-8 encoding up front: growing the buffer would leave an
        // unzeroized copy behind. Rejected candidates stay in it until `Zeroizing` wipes the
        // whole allocation on drop.
        let mut password = Zeroizing::new(String::with_capacity(self.length * 4));
        for _ in 0..MAX_ATTEMPTS {
            password.clear();
            let draw = |_| self.alphabet[rng.random_range(0..self.alphabet.len())];
            password.extend((0..self.length).map(draw));
            if self.rules.iter().all(|r| r.is_met(&password)) {
                return Ok(password);
            }
        }
        fail(format!(
            "no password satisfying the policy was found in {MAX_ATTEMPTS} attempts"
        ))
    }
}

/// The stored password policies (`sys/password_policy/<name>`, through the barrier), as
/// `{"policy": "<hcl>"}` like Vault.
pub struct PasswordPolicies {
    view: crate::barrier::BarrierView,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    policy: String,
}

impl PasswordPolicies {
    /// The store over `view`.
    pub fn new(view: crate::barrier::BarrierView) -> Self {
        Self { view }
    }

    /// The HCL of policy `name`, if stored.
    pub async fn source(&self, name: &str) -> Result<Option<String>, LogicalError> {
        let Some(bytes) = self.view.get(name).await? else {
            return Ok(None);
        };
        let stored: Stored = serde_json::from_slice(&bytes).map_err(|e| {
            LogicalError::Internal(format!("stored password policy {name:?} is corrupt: {e}"))
        })?;
        Ok(Some(stored.policy))
    }

    /// Policy `name`, parsed.
    pub async fn get(&self, name: &str) -> Result<Option<PasswordPolicy>, LogicalError> {
        match self.source(name).await? {
            None => Ok(None),
            Some(hcl) => PasswordPolicy::parse(&hcl).map(Some).map_err(|e| {
                LogicalError::Internal(format!("stored password policy {name:?} is invalid: {e}"))
            }),
        }
    }

    /// `sys/policies/password[/:name[/generate]]`.
    pub async fn handle(
        &self,
        path: &str,
        req: &BackendRequest<'_>,
    ) -> Result<Option<Response>, LogicalError> {
        let rest = path.trim_start_matches('/');
        let (name, generate) = match rest.strip_suffix("/generate") {
            Some(name) => (name, true),
            None => (rest.trim_end_matches('/'), false),
        };
        if name.is_empty() {
            return match req.operation {
                Operation::List => Ok(Some(Response::list(self.view.list("").await?))),
                _ => Err(LogicalError::UnsupportedOperation),
            };
        }
        if name.contains('/') {
            return Err(LogicalError::InvalidRequest(format!(
                "invalid password policy name {name:?}"
            )));
        }
        let missing = || LogicalError::InvalidRequest(format!("no password policy named {name:?}"));
        match (req.operation, generate) {
            (Operation::Read, true) => {
                let policy = self.get(name).await?.ok_or_else(missing)?;
                let password = policy
                    .generate()
                    .map_err(|e| LogicalError::InvalidRequest(e.to_string()))?;
                let mut data = Map::new();
                data.insert("password".into(), Value::String(password.to_string()));
                Ok(Some(Response::with_data(data)))
            }
            (Operation::Read, false) => Ok(self.source(name).await?.map(|policy| {
                let mut data = Map::new();
                data.insert("policy".into(), policy.into());
                Response::with_data(data)
            })),
            (Operation::Create | Operation::Update, false) => {
                let policy = req.fields().string("policy")?.unwrap_or_default();
                if policy.trim().is_empty() {
                    return Err(LogicalError::InvalidRequest("missing policy".into()));
                }
                let parsed = PasswordPolicy::parse(&policy).map_err(|e| {
                    LogicalError::InvalidRequest(format!("invalid password policy: {e}"))
                })?;
                // Vault also proves a policy can produce a password before storing it.
                parsed.generate().map_err(|e| {
                    LogicalError::InvalidRequest(format!("invalid password policy: {e}"))
                })?;
                let bytes = serde_json::to_vec(&Stored { policy })
                    .map_err(|e| LogicalError::Internal(e.to_string()))?;
                self.view.put(name, &bytes).await?;
                Ok(None)
            }
            (Operation::Delete, false) => {
                self.view.delete(name).await?;
                Ok(None)
            }
            _ => Err(LogicalError::UnsupportedOperation),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
    const EXAMPLE: &str = r#"
length = 20
rule "charset" {
  charset = "abcdefghijklmnopqrstuvwxyz"
  min-chars = 1
}
rule "charset" {
  charset = "0123456789"
  min-chars = 1
}
"#;

    fn error(hcl: &str) -> String {
        PasswordPolicy::parse(hcl).unwrap_err().0
    }

    #[test]
    fn parses_length_and_rules() {
        let policy = PasswordPolicy::parse(EXAMPLE).unwrap();
        assert_eq!(policy.length, 20);
        assert_eq!(
            policy.rules,
            [Rule::new(LOWER, 1), Rule::new("0123456789", 1)]
        );
        assert_eq!(policy.alphabet.len(), 36);
        let policy = PasswordPolicy::parse("length = 4\nrule \"charset\" { charset = \"aab\" }");
        assert_eq!(policy.unwrap().rules, [Rule::new("ab", 0)]);
    }

    /// One case a line: a policy (`;` stands for a newline) `=>` the exact error it gets.
    const INVALID: &str = r#"
length = 3;rule "charset" { charset = "ab" } => length must be between 4 and 100, got 3
length = 101;rule "charset" { charset = "ab" } => length must be between 4 and 100, got 101
rule "charset" { charset = "ab" } => missing required key "length"
length = "8";rule "charset" { charset = "ab" } => length must be a non-negative integer
length = 8 => at least one rule "charset" block is required
length = 8;foo = 1;rule "charset" { charset = "ab" } => unknown key "foo"
length = 8;rule "regex" { charset = "ab" } => unknown rule type "regex"
length = 8;rule "charset" "x" {} => a rule block takes exactly one label, its type
length = 8;rule "charset" { charset = "" } => rule "charset": charset must not be empty
length = 8;rule "charset" { charset = 1 } => rule "charset": charset must be a string
length = 8;rule "charset" { min-chars = 1 } => rule "charset": missing required key "charset"
length = 8;rule "charset" { max-chars = 1 } => rule "charset": unknown key "max-chars"
length = 8;rule "charset" {;charset = "a";min-chars = -1;} => min-chars must be a non-negative integer
length = 4;rule "charset" {;charset = "a";min-chars = 3;};rule "charset" {;charset = "b";min-chars = 2;} => rules require at least 5 characters but length is 4
rule "charset" { charset = "ab" };length = 8 8 => invalid HCL at line 2, column 12: expected newline or eof
"#;

    #[test]
    fn rejects_invalid_policies() {
        for case in INVALID.trim().lines() {
            let (hcl, expected) = case.split_once(" => ").unwrap();
            assert_eq!(error(&hcl.replace(';', "\n")), expected, "for {hcl}");
        }
    }

    #[test]
    fn generated_passwords_satisfy_every_rule() {
        let hcl = "length = 12\nrule \"charset\" {\n  charset = \"äöü€\"\n  min-chars = 3\n}\n";
        for policy in [EXAMPLE, hcl].map(|hcl| PasswordPolicy::parse(hcl).unwrap()) {
            for _ in 0..200 {
                let password = policy.generate().unwrap();
                assert_eq!(password.chars().count(), policy.length);
                assert!(password.chars().all(|c| policy.alphabet.contains(&c)));
                assert!(policy.rules.iter().all(|r| r.is_met(&password)));
            }
        }
    }

    #[test]
    fn default_policy_matches_vault() {
        let classes: [fn(&char) -> bool; 4] = [
            char::is_ascii_lowercase,
            char::is_ascii_uppercase,
            char::is_ascii_digit,
            |c| *c == '-',
        ];
        let policy = PasswordPolicy::default_policy();
        for _ in 0..200 {
            let password = policy.generate().unwrap();
            assert_eq!(password.len(), 20);
            assert!(password.chars().all(|c| classes.iter().any(|is| is(&c))));
            assert!(classes.iter().all(|is| password.chars().any(|c| is(&c))));
        }
        assert_ne!(policy.generate().unwrap(), policy.generate().unwrap());
    }

    #[test]
    fn improbable_policy_gives_up() {
        // Eight of eight characters from a 1-in-63 charset: all 10,000 candidates fail.
        let others: String = ('b'..='z').chain('A'..='Z').chain('0'..='9').collect();
        let hcl = format!("length = 8\nrule \"charset\" {{ charset = \"{others}\" }}\n");
        let hcl = hcl + "rule \"charset\" {\n  charset = \"a\"\n  min-chars = 8\n}\n";
        let policy = PasswordPolicy::parse(&hcl).unwrap();
        let expected = "no password satisfying the policy was found in 10000 attempts";
        assert_eq!(policy.generate().unwrap_err().0, expected);
    }
}
