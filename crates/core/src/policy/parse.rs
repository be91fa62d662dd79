//! Parsing of Vault ACL policy documents (HCL or JSON) into [`Policy`] values.

use base64::Engine;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Body, Structure};
use hcl_edit::Span;
use serde_json::Value;

/// A set of policy capabilities; a bit set so merging policies is a cheap OR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Capabilities(u16);

impl Capabilities {
    /// Grants `create` operations (writing a path that does not exist yet).
    pub const CREATE: Self = Self(1);
    /// Grants `read` operations.
    pub const READ: Self = Self(1 << 1);
    /// Grants `update` operations (writing an existing path).
    pub const UPDATE: Self = Self(1 << 2);
    /// Grants `delete` operations.
    pub const DELETE: Self = Self(1 << 3);
    /// Grants `list` operations.
    pub const LIST: Self = Self(1 << 4);
    /// Grants access to root-protected endpoints, on top of the operation's capability.
    pub const SUDO: Self = Self(1 << 5);
    /// Explicit deny: overrides every other capability on the same pattern.
    pub const DENY: Self = Self(1 << 6);
    /// Grants `patch` operations.
    pub const PATCH: Self = Self(1 << 7);

    /// Names in the order `sys/capabilities*` reports them (Vault sorts them alphabetically).
    const TABLE: [(&'static str, Self); 8] = [
        ("create", Self::CREATE),
        ("delete", Self::DELETE),
        ("deny", Self::DENY),
        ("list", Self::LIST),
        ("patch", Self::PATCH),
        ("read", Self::READ),
        ("sudo", Self::SUDO),
        ("update", Self::UPDATE),
    ];

    /// True when every capability in `other` is also in `self`; the core permission test.
    pub fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// Both sets combined (plain OR; use deny-aware merging for policy rules).
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// True when nothing is granted, which callers report as `deny`.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Capability names as the capabilities endpoints return them: sorted, or just `deny`.
    pub fn names(self) -> Vec<&'static str> {
        if self.contains(Self::DENY) {
            return vec!["deny"];
        }
        Self::TABLE
            .iter()
            .filter(|(_, c)| self.contains(*c))
            .map(|(n, _)| *n)
            .collect()
    }

    /// The capability spelled `name` in a policy (case-sensitive, as in Vault).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::TABLE
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| *c)
    }

    /// Merges rules for the same pattern: capabilities add up, but a deny wins outright.
    pub(crate) fn merge(self, other: Self) -> Self {
        let merged = self.union(other);
        if merged.contains(Self::DENY) {
            Self::DENY
        } else {
            merged
        }
    }
}

/// One `path "<pattern>" { ... }` stanza, with blocks for the same pattern already merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRule {
    /// The pattern as written (may end in `*`, may contain `+` segments), leading `/` stripped.
    pub pattern: String,
    /// What the rule grants; deny-only if the rule denies.
    pub capabilities: Capabilities,
}

/// A parsed policy; `raw` is kept so reads return exactly what was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// The policy's (normalized) name.
    pub name: String,
    /// The policy text as submitted.
    pub raw: String,
    /// One rule per distinct pattern, in order of first appearance (JSON: sorted by key).
    pub rules: Vec<PathRule>,
}

/// Why a policy or policy name was rejected; messages mirror Vault's, plus an exact position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// The text is not valid HCL/JSON syntax.
    #[error("failed to parse policy: line {line}, column {column}: {message}")]
    Parse {
        /// 1-based line of the offending token.
        line: usize,
        /// 1-based column (in characters) of the offending token.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The syntax is fine but the content is not a valid policy (bad key, type or capability).
    #[error("failed to parse policy: line {line}, column {column}: {message}")]
    Invalid {
        /// 1-based line of the offending token.
        line: usize,
        /// 1-based column (in characters) of the offending token.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The policy name cannot be used.
    #[error("invalid policy name: {0}")]
    Name(String),
}

/// Parses a policy body in HCL (or JSON when it starts with `{`), validating it like Vault does.
pub fn parse(name: &str, raw: &str) -> Result<Policy, PolicyError> {
    let top = if raw.trim_start().starts_with('{') {
        let value: Value = serde_json::from_str(raw).map_err(|e| {
            let text = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            PolicyError::Parse {
                line: e.line(),
                column: e.column(),
                message: text.strip_suffix(&suffix).unwrap_or(&text).to_string(),
            }
        })?;
        json_node(&value, raw, 0)
    } else {
        let body = hcl_edit::parser::parse_body(raw).map_err(|e| PolicyError::Parse {
            line: e.location().line(),
            column: e.location().column(),
            message: e.message().to_string(),
        })?;
        hcl_body(&body, 0)
    };
    let rules = build_rules(top).map_err(|(at, message)| {
        let (line, column) = line_col(raw, at);
        PolicyError::Invalid {
            line,
            column,
            message,
        }
    })?;
    Ok(Policy {
        name: name.to_string(),
        raw: raw.to_string(),
        rules,
    })
}

/// Vault accepts base64-encoded policy bodies; returns the decoded text if `raw` is one.
pub fn decode_body(raw: &str) -> String {
    base64::engine::general_purpose::STANDARD
        .decode(raw.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_else(|| raw.to_string())
}

/// Normalizes a policy name (trimmed, lowercased) and says whether it changed, so the
/// caller can warn `policy name was converted to <name>` as Vault does.
pub fn normalize_name(name: &str) -> Result<(String, bool), PolicyError> {
    let normalized = name.trim().to_lowercase();
    if normalized.is_empty() {
        return Err(PolicyError::Name("policy name missing".into()));
    }
    if normalized.chars().any(char::is_whitespace) || normalized.contains("..") {
        return Err(PolicyError::Name(format!(
            "{normalized:?} must not contain whitespace or \"..\""
        )));
    }
    let changed = normalized != name;
    Ok((normalized, changed))
}

/// Syntax-independent view of the document so HCL and JSON share one validator.
struct Node {
    /// Byte offset where the value starts (best effort for JSON).
    at: usize,
    val: Val,
}

enum Val {
    Str(String),
    Num,
    List(Vec<Node>),
    /// Entries in document order: key, key's byte offset, value. Keys may repeat.
    Map(Vec<(String, usize, Node)>),
    /// Anything a policy never needs (bools, null, expressions).
    Other,
}

/// A validation failure at a byte offset.
type Bad = (usize, String);

fn start(item: &impl Span) -> usize {
    item.span().map_or(0, |r| r.start)
}

/// HCL body to [`Node`]; `path "p" { .. }` becomes `path = { "p" = { .. } }`, as in HCL1.
fn hcl_body(body: &Body, at: usize) -> Node {
    let entries = body
        .iter()
        .map(|item| match item {
            Structure::Attribute(a) => (
                a.key.as_str().to_string(),
                start(&a.key),
                hcl_expr(&a.value),
            ),
            Structure::Block(b) => {
                let inner = hcl_body(&b.body, start(b));
                let node = b.labels.iter().rev().fold(inner, |node, label| Node {
                    at: start(label),
                    val: Val::Map(vec![(label.as_str().to_string(), start(label), node)]),
                });
                (b.ident.as_str().to_string(), start(&b.ident), node)
            }
        })
        .collect();
    Node {
        at,
        val: Val::Map(entries),
    }
}

fn hcl_expr(expr: &Expression) -> Node {
    let val = match expr {
        Expression::String(s) => Val::Str(s.as_str().to_string()),
        Expression::Number(_) => Val::Num,
        Expression::Array(items) => Val::List(items.iter().map(hcl_expr).collect()),
        Expression::Object(obj) => obj
            .iter()
            .map(|(key, value)| {
                let name = match key {
                    ObjectKey::Ident(ident) => Some(ident.as_str()),
                    ObjectKey::Expression(e) => e.as_str(),
                }?;
                Some((name.to_string(), start(key), hcl_expr(value.expr())))
            })
            .collect::<Option<Vec<_>>>()
            .map_or(Val::Other, Val::Map),
        _ => Val::Other,
    };
    Node {
        at: start(expr),
        val,
    }
}

/// Finds `needle` in `raw` at or after `from`.
fn find(raw: &str, from: usize, needle: &str) -> Option<usize> {
    raw.get(from..)?.find(needle).map(|p| from + p)
}

/// JSON value to [`Node`]. serde_json keeps no positions, so each key and string element
/// is located by searching its JSON spelling forward from its parent's position.
fn json_node(value: &Value, raw: &str, at: usize) -> Node {
    let val = match value {
        Value::String(s) => Val::Str(s.clone()),
        Value::Number(_) => Val::Num,
        Value::Array(items) => {
            let mut cursor = at;
            Val::List(
                items
                    .iter()
                    .map(|item| {
                        let spelled = item.to_string();
                        let found = find(raw, cursor, &spelled);
                        let pos = found.unwrap_or(cursor);
                        cursor = found.map_or(cursor, |p| p + spelled.len());
                        json_node(item, raw, pos)
                    })
                    .collect(),
            )
        }
        Value::Object(map) => Val::Map(
            map.iter()
                .map(|(key, v)| {
                    let pos = find(raw, at, &Value::from(key.as_str()).to_string()).unwrap_or(at);
                    (key.clone(), pos, json_node(v, raw, pos))
                })
                .collect(),
        ),
        _ => Val::Other,
    };
    Node { at, val }
}

/// 1-based line and character column of byte offset `at`.
fn line_col(raw: &str, at: usize) -> (usize, usize) {
    let before = raw.get(..at).unwrap_or(raw);
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count());
    (before.matches('\n').count() + 1, column + 1)
}

fn build_rules(top: Node) -> Result<Vec<PathRule>, Bad> {
    let Val::Map(entries) = top.val else {
        return Err((top.at, "does not contain a root object".into()));
    };
    let mut rules: Vec<PathRule> = Vec::new();
    for (key, at, node) in entries {
        match key.as_str() {
            // Vault decodes (and ignores) a top-level `name`.
            "name" => {}
            "path" => {
                let Val::Map(paths) = node.val else {
                    return Err((node.at, "path must be an object of patterns".into()));
                };
                for (pattern, at, body) in paths {
                    let rule = parse_rule(&pattern, at, body)?;
                    match rules.iter_mut().find(|r| r.pattern == rule.pattern) {
                        Some(r) => r.capabilities = r.capabilities.merge(rule.capabilities),
                        None => rules.push(rule),
                    }
                }
            }
            _ => return Err((at, format!("invalid key {key:?}"))),
        }
    }
    Ok(rules)
}

fn is_str_list(val: &Val) -> bool {
    matches!(val, Val::List(items) if items.iter().all(|n| matches!(n.val, Val::Str(_))))
}

fn parse_rule(key: &str, at: usize, body: Node) -> Result<PathRule, Bad> {
    let Val::Map(items) = body.val else {
        return Err((body.at, format!("path {key:?}: expected a block")));
    };
    let pattern = key.strip_prefix('/').unwrap_or(key);
    if pattern.contains("+*") {
        return Err((
            at,
            format!("path {key:?}: invalid use of wildcards ('+*' is forbidden)"),
        ));
    }
    let mut caps = Capabilities::default();
    for (name, name_at, node) in items {
        let (what, ok) = match name.as_str() {
            "capabilities" | "required_parameters" | "mfa_methods" => {
                ("a list of strings", is_str_list(&node.val))
            }
            "policy" | "comment" => ("a string", matches!(node.val, Val::Str(_))),
            "min_wrapping_ttl" | "max_wrapping_ttl" => {
                ("a duration", matches!(node.val, Val::Str(_) | Val::Num))
            }
            "allowed_parameters" | "denied_parameters" => (
                "an object of lists",
                matches!(&node.val, Val::Map(m) if m.iter().all(|(_, _, v)| matches!(v.val, Val::List(_)))),
            ),
            "control_group" => ("an object", matches!(node.val, Val::Map(_))),
            _ => return Err((name_at, format!("path {key:?}: invalid key {name:?}"))),
        };
        if !ok {
            return Err((node.at, format!("path {key:?}: {name} must be {what}")));
        }
        match (name.as_str(), &node.val) {
            ("capabilities", Val::List(list)) => {
                for item in list {
                    if let Val::Str(c) = &item.val {
                        let cap = Capabilities::from_name(c).ok_or_else(|| {
                            (item.at, format!("path {key:?}: invalid capability {c:?}"))
                        })?;
                        caps = caps.union(cap);
                    }
                }
            }
            ("policy", Val::Str(p)) => {
                let cap = legacy_policy(p)
                    .ok_or_else(|| (node.at, format!("path {key:?}: invalid policy {p:?}")))?;
                caps = caps.union(cap);
            }
            _ => {}
        }
    }
    Ok(PathRule {
        pattern: pattern.to_string(),
        // Merging with nothing reduces a denying rule to deny-only.
        capabilities: caps.merge(Capabilities::default()),
    })
}

/// Pre-0.5 `policy = "..."` shorthand, mapped exactly as Vault maps it (no `patch`).
fn legacy_policy(name: &str) -> Option<Capabilities> {
    use Capabilities as C;
    let read = C::READ.union(C::LIST);
    let write = read.union(C::CREATE).union(C::UPDATE).union(C::DELETE);
    match name {
        "deny" => Some(C::DENY),
        "read" => Some(read),
        "write" => Some(write),
        "sudo" => Some(write.union(C::SUDO)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(names: &[&str]) -> Capabilities {
        names.iter().fold(Capabilities::default(), |acc, n| {
            acc.union(Capabilities::from_name(n).unwrap())
        })
    }

    fn invalid(raw: &str) -> (usize, usize, String) {
        match parse("p", raw).unwrap_err() {
            PolicyError::Invalid {
                line,
                column,
                message,
            } => (line, column, message),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn parses_blocks_comments_and_merges_same_pattern() {
        let raw = r#"
# comment
path "secret/*" { capabilities = ["read", "list"] }
// another
path "/secret/*" {
  capabilities = ["update"] /* inline */
}
path "secret/locked" { capabilities = ["read", "deny"] }
"#;
        let p = parse("dev", raw).unwrap();
        assert_eq!(p.name, "dev");
        assert_eq!(p.raw, raw);
        assert_eq!(
            p.rules,
            vec![
                PathRule {
                    pattern: "secret/*".into(),
                    capabilities: caps(&["read", "list", "update"]),
                },
                PathRule {
                    pattern: "secret/locked".into(),
                    capabilities: Capabilities::DENY,
                },
            ]
        );
    }

    #[test]
    fn deny_wins_when_merging_blocks() {
        let p = parse(
            "p",
            "path \"a\" { capabilities = [\"deny\"] }\npath \"a\" { capabilities = [\"read\"] }",
        )
        .unwrap();
        assert_eq!(p.rules[0].capabilities, Capabilities::DENY);
    }

    #[test]
    fn empty_policy_is_valid() {
        assert!(parse("p", "").unwrap().rules.is_empty());
        assert!(parse("p", "# nothing\n").unwrap().rules.is_empty());
        assert!(parse("p", "{}").unwrap().rules.is_empty());
    }

    #[test]
    fn legacy_policy_attribute() {
        let rule = |p: &str| {
            parse("p", &format!("path \"x\" {{ policy = \"{p}\" }}"))
                .unwrap()
                .rules[0]
                .capabilities
        };
        assert_eq!(rule("read"), caps(&["read", "list"]));
        assert_eq!(
            rule("write"),
            caps(&["create", "read", "update", "delete", "list"])
        );
        assert_eq!(
            rule("sudo"),
            caps(&["create", "read", "update", "delete", "list", "sudo"])
        );
        assert_eq!(rule("deny"), Capabilities::DENY);
        let (line, column, message) = invalid("path \"x\" {\n  policy = \"admin\"\n}");
        assert_eq!((line, column), (2, 12));
        assert_eq!(message, r#"path "x": invalid policy "admin""#);
    }

    #[test]
    fn optional_keys_are_accepted_and_type_checked() {
        let raw = r#"path "secret/foo" {
  capabilities = ["create"]
  comment = "x"
  allowed_parameters = { "bar" = [], "*" = ["a", 1] }
  denied_parameters = { baz = [] }
  required_parameters = ["bar"]
  min_wrapping_ttl = "1s"
  max_wrapping_ttl = 90
  mfa_methods = ["dev"]
  control_group { factor = { approvals = 1 } }
}"#;
        assert_eq!(
            parse("p", raw).unwrap().rules[0].capabilities,
            Capabilities::CREATE
        );
        assert_eq!(
            invalid("path \"a\" {\n  min_wrapping_ttl = [1]\n}"),
            (
                2,
                22,
                r#"path "a": min_wrapping_ttl must be a duration"#.into()
            )
        );
        assert_eq!(
            invalid("path \"a\" { capabilities = \"read\" }"),
            (
                1,
                27,
                r#"path "a": capabilities must be a list of strings"#.into()
            )
        );
    }

    #[test]
    fn syntax_error_position() {
        let err = parse(
            "p",
            "path \"a\" {\n  capabilities = [\"read\"]\n  = oops\n}",
        )
        .unwrap_err();
        let PolicyError::Parse { line, column, .. } = err else {
            panic!("expected parse error, got {err:?}")
        };
        assert_eq!((line, column), (3, 3));
        assert!(err
            .to_string()
            .starts_with("failed to parse policy: line 3, column 3: "));
    }

    #[test]
    fn unknown_capability_position_and_message() {
        let raw = "path \"secret/*\" {\n  capabilities = [\"read\", \"scan\"]\n}";
        let (line, column, message) = invalid(raw);
        assert_eq!((line, column), (2, 27));
        assert_eq!(message, r#"path "secret/*": invalid capability "scan""#);
        assert_eq!(
            parse("p", raw).unwrap_err().to_string(),
            r#"failed to parse policy: line 2, column 27: path "secret/*": invalid capability "scan""#
        );
        // Capabilities are case-sensitive.
        assert_eq!(invalid("path \"a\" { capabilities = [\"Read\"] }").1, 28);
    }

    #[test]
    fn unknown_keys_positions() {
        assert_eq!(
            invalid("path \"a\" {\n  capabilities = []\n    colour = \"red\"\n}"),
            (3, 5, r#"path "a": invalid key "colour""#.into())
        );
        assert_eq!(
            invalid("path \"a\" {}\n\nmount \"b\" {}"),
            (3, 1, r#"invalid key "mount""#.into())
        );
        assert_eq!(
            invalid("name = \"x\"\n  other = 1"),
            (2, 3, r#"invalid key "other""#.into())
        );
    }

    #[test]
    fn pattern_validation() {
        assert_eq!(
            invalid("\n path \"secret/+*\" { capabilities = [] }"),
            (
                2,
                7,
                r#"path "secret/+*": invalid use of wildcards ('+*' is forbidden)"#.into()
            )
        );
        // A `*` before the end is a literal character, as in Vault.
        let p = parse("p", "path \"a/*/b\" { capabilities = [\"read\"] }").unwrap();
        assert_eq!(p.rules[0].pattern, "a/*/b");
        let p = parse("p", "path \"\" { capabilities = [\"read\"] }").unwrap();
        assert_eq!(p.rules[0].pattern, "");
    }

    #[test]
    fn json_policies() {
        let raw = r#"{
  "path": {
    "secret/*": {"capabilities": ["read", "list"]},
    "/sys/mounts": {"policy": "write"}
  }
}"#;
        let p = parse("j", raw).unwrap();
        assert_eq!(
            p.rules,
            vec![
                PathRule {
                    pattern: "sys/mounts".into(),
                    capabilities: caps(&["create", "read", "update", "delete", "list"]),
                },
                PathRule {
                    pattern: "secret/*".into(),
                    capabilities: caps(&["read", "list"]),
                },
            ]
        );
        let err = parse(
            "j",
            "{\n  \"path\": {\n    \"a\": {\"capabilities\": [\"read\",]}\n  }\n}",
        )
        .unwrap_err();
        let PolicyError::Parse { line, column, .. } = err else {
            panic!("expected parse error, got {err:?}")
        };
        assert_eq!((line, column), (3, 35));
        assert_eq!(
            invalid("{\"path\": {\n  \"a\": {\"capabilities\": [\"read\", \"scan\"]}}}"),
            (2, 34, r#"path "a": invalid capability "scan""#.into())
        );
        assert_eq!(
            invalid("{\"path\": {\"a\": {}},\n \"paths\": 1}"),
            (2, 2, r#"invalid key "paths""#.into())
        );
        assert!(matches!(parse("p", "[1]"), Err(PolicyError::Parse { .. })));
    }

    #[test]
    fn capability_names_and_lookup() {
        assert_eq!(
            caps(&["update", "sudo", "read", "patch", "list", "delete", "create"]).names(),
            vec!["create", "delete", "list", "patch", "read", "sudo", "update"]
        );
        assert_eq!(caps(&["read", "deny"]).names(), vec!["deny"]);
        assert!(Capabilities::default().names().is_empty());
        assert_eq!(Capabilities::from_name("scan"), None);
        assert_eq!(Capabilities::from_name("root"), None);
        assert!(caps(&["read", "list"]).contains(Capabilities::READ));
        assert!(!Capabilities::READ.contains(caps(&["read", "list"])));
        assert!(Capabilities::default().is_empty());
    }

    #[test]
    fn base64_bodies() {
        let raw = "path \"secret/*\" { capabilities = [\"read\"] }";
        let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
        assert_eq!(decode_body(&format!("  {encoded}\n")), raw);
        assert_eq!(decode_body(raw), raw);
        // Valid base64 that is not UTF-8 stays as-is.
        assert_eq!(decode_body("//79"), "//79");
    }

    #[test]
    fn name_normalization() {
        assert_eq!(normalize_name("dev").unwrap(), ("dev".into(), false));
        assert_eq!(
            normalize_name(" My-Policy ").unwrap(),
            ("my-policy".into(), true)
        );
        assert!(normalize_name("  ").is_err());
        assert!(normalize_name("a b").is_err());
        assert!(normalize_name("../x").is_err());
    }
}
