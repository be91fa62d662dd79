//! Access decisions from a set of policies, with Vault's path-matching semantics.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

use super::parse::{Capabilities, Policy};
use crate::logical::Operation;

/// Everything a root token can do.
const ALL: Capabilities = Capabilities::CREATE
    .union(Capabilities::READ)
    .union(Capabilities::UPDATE)
    .union(Capabilities::DELETE)
    .union(Capabilities::LIST)
    .union(Capabilities::SUDO)
    .union(Capabilities::PATCH);

/// A rule whose pattern has a trailing `*` and/or `+` segments.
#[derive(Debug, Clone)]
struct Glob {
    /// The pattern without its trailing `*`.
    base: String,
    /// Ends in `*`: the last segment (or, without `+`, the whole path) only needs `base` as prefix.
    prefix: bool,
    /// `+` segments, or `None` for a plain prefix rule that compares whole strings.
    segments: Option<Vec<String>>,
    /// Byte index of the first `+` (or of the `*` for a plain prefix): later is more specific.
    first_wildcard: usize,
    /// Number of `+` segments: fewer is more specific.
    wildcards: usize,
    caps: Capabilities,
}

impl Glob {
    fn new(pattern: &str, caps: Capabilities) -> Self {
        let base = pattern.strip_suffix('*').unwrap_or(pattern).to_string();
        let prefix = base.len() != pattern.len();
        let segments = has_segment_wildcards(pattern)
            .then(|| base.split('/').map(str::to_string).collect::<Vec<_>>());
        let wildcards = segments
            .iter()
            .flatten()
            .filter(|s| s.as_str() == "+")
            .count();
        let first_wildcard = match &segments {
            Some(_) => pattern.find('+').unwrap_or(0),
            None => base.len(),
        };
        Self {
            base,
            prefix,
            segments,
            first_wildcard,
            wildcards,
            caps,
        }
    }

    /// `parts` is `path` split on `/`, computed once per lookup.
    fn matches(&self, path: &str, parts: &[&str]) -> bool {
        let Some(segments) = &self.segments else {
            return path.starts_with(&self.base);
        };
        if parts.len() < segments.len() || (!self.prefix && parts.len() != segments.len()) {
            return false;
        }
        let last = segments.len() - 1;
        segments
            .iter()
            .zip(parts)
            .enumerate()
            .all(|(i, (seg, part))| {
                seg == "+"
                    || seg == part
                    || (self.prefix && i == last && part.starts_with(seg.as_str()))
            })
    }

    /// Vault's priority order among matching globs; the greatest key wins.
    fn priority(&self) -> (usize, bool, Reverse<usize>, usize, &str) {
        (
            self.first_wildcard,
            !self.prefix,
            Reverse(self.wildcards),
            self.base.len(),
            &self.base,
        )
    }
}

/// Vault's test for a `+` segment: the pattern is `+`, has a `/+`, or starts with `+/`.
fn has_segment_wildcards(pattern: &str) -> bool {
    pattern == "+" || pattern.contains("/+") || pattern.starts_with("+/")
}

/// Capability names per path pattern.
pub type RuleMap = BTreeMap<String, Vec<&'static str>>;

/// The compiled, merged rules of a token's policies; build once per token, query per request.
#[derive(Debug, Clone, Default)]
pub struct Acl {
    root: bool,
    exact: HashMap<String, Capabilities>,
    globs: Vec<Glob>,
}

impl Acl {
    /// Merges the policies' rules per exact pattern (OR, deny wins); a `root` policy makes it root.
    pub fn new(policies: &[&Policy]) -> Acl {
        if policies.iter().any(|p| p.name == "root") {
            return Acl::root();
        }
        let mut merged: HashMap<&str, Capabilities> = HashMap::new();
        for rule in policies.iter().flat_map(|p| &p.rules) {
            let caps = merged.entry(&rule.pattern).or_default();
            *caps = caps.merge(rule.capabilities);
        }
        let mut acl = Acl::default();
        for (pattern, caps) in merged {
            if pattern.ends_with('*') || has_segment_wildcards(pattern) {
                acl.globs.push(Glob::new(pattern, caps));
            } else {
                acl.exact.insert(pattern.to_string(), caps);
            }
        }
        acl
    }

    /// The ACL of a root token: everything is allowed.
    pub fn root() -> Acl {
        Acl {
            root: true,
            ..Acl::default()
        }
    }

    /// Whether this ACL is root, so callers can skip checks and report `["root"]`.
    pub fn is_root(&self) -> bool {
        self.root
    }

    /// The capabilities of the single best rule for `path` (exact rule first, else the most
    /// specific glob); empty when no rule matches.
    pub fn capabilities(&self, path: &str) -> Capabilities {
        if self.root {
            return ALL;
        }
        self.lookup(path, false)
    }

    /// Whether `operation` on `path` is allowed; `sudo_required` is set for root-protected paths.
    pub fn allows(&self, path: &str, operation: Operation, sudo_required: bool) -> bool {
        if self.root {
            return true;
        }
        let caps = self.lookup(path, operation == Operation::List);
        let needed = match operation {
            Operation::Create => Capabilities::CREATE,
            Operation::Read => Capabilities::READ,
            Operation::Update => Capabilities::UPDATE,
            Operation::Delete => Capabilities::DELETE,
            Operation::List => Capabilities::LIST,
        };
        let needed = if sudo_required {
            needed.union(Capabilities::SUDO)
        } else {
            needed
        };
        !caps.contains(Capabilities::DENY) && caps.contains(needed)
    }

    /// What `sys/capabilities-self` reports for `path`: `root`, `deny` when nothing is granted,
    /// else sorted names. Like Vault it looks up as a list request, so trailing `/` is lenient.
    pub fn capability_names(&self, path: &str) -> Vec<&'static str> {
        if self.root {
            return vec!["root"];
        }
        let caps = self.lookup(path, true);
        if caps.is_empty() {
            vec!["deny"]
        } else {
            caps.names()
        }
    }

    /// Every merged rule by pattern, for `sys/internal/ui/resultant-acl`: exact patterns, and
    /// glob patterns keyed without their trailing `*` as Vault reports them. Lets a UI offer
    /// what a narrow token may use (`database/creds/readonly`) when it may not list anything.
    pub fn rules(&self) -> (RuleMap, RuleMap) {
        let exact = self
            .exact
            .iter()
            .map(|(pattern, caps)| (pattern.clone(), caps.names()))
            .collect();
        let globs = self
            .globs
            .iter()
            .map(|glob| (glob.base.clone(), glob.caps.names()))
            .collect();
        (exact, globs)
    }

    /// Vault's rule selection. For lists, `secret/` also tries rules for `secret`.
    fn lookup(&self, path: &str, list: bool) -> Capabilities {
        let path = path.trim_start_matches('/');
        let trimmed = path.strip_suffix('/').filter(|_| list);
        let exact = self.exact.get(path).or_else(|| self.exact.get(trimmed?));
        if let Some(caps) = exact {
            return *caps;
        }
        trimmed
            .and_then(|t| self.best_glob(t))
            .or_else(|| self.best_glob(path))
            .unwrap_or_default()
    }

    fn best_glob(&self, path: &str) -> Option<Capabilities> {
        let parts: Vec<&str> = path.split('/').collect();
        self.globs
            .iter()
            .filter(|g| g.matches(path, &parts))
            .max_by(|a, b| a.priority().cmp(&b.priority()))
            .map(|g| g.caps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse;
    use Operation::*;

    fn acl(sources: &[&str]) -> Acl {
        let policies: Vec<Policy> = sources
            .iter()
            .enumerate()
            .map(|(i, s)| parse(&format!("p{i}"), s).unwrap())
            .collect();
        Acl::new(&policies.iter().collect::<Vec<_>>())
    }

    fn rule(pattern: &str, caps: &str) -> String {
        format!("path \"{pattern}\" {{ capabilities = [{caps}] }}\n")
    }

    #[test]
    fn tutorial_policy() {
        let a = acl(&[&rule("database/creds/readonly", "\"read\"")]);
        assert!(a.allows("database/creds/readonly", Read, false));
        assert!(!a.allows("database/creds/readonly", Update, false));
        assert!(!a.allows("database/creds/readonly", Read, true));
        assert!(!a.allows("database/creds/readonly/x", Read, false));
        assert!(!a.allows("database/creds", List, false));
        assert!(a.capabilities("sys/mounts").is_empty());
        assert!(!a.allows("sys/mounts", Read, false));
        assert_eq!(a.capability_names("sys/mounts"), vec!["deny"]);
        assert_eq!(a.capability_names("/database/creds/readonly"), vec!["read"]);
    }

    #[test]
    fn glob_priority_from_vault_docs() {
        let a = acl(&[&(rule("secret/*", "\"read\"")
            + &rule("secret/+/bar", "\"update\"")
            + &rule("secret/foo*", "\"list\"")
            + &rule("secret/+/+/baz", "\"create\"")
            + &rule("secret/a/+/baz", "\"delete\"")
            + &rule("secret/foo/+", "\"patch\""))]);
        let names = |p| a.capability_names(p);
        // All four match; the first wildcard of `secret/foo/+` comes latest.
        assert_eq!(names("secret/foo/bar"), vec!["patch"]);
        assert_eq!(names("secret/fooz"), vec!["list"]);
        // Same first wildcard position: the non-prefix `secret/+/bar` beats `secret/*`.
        assert_eq!(names("secret/x/bar"), vec!["update"]);
        assert_eq!(names("secret/x/baz"), vec!["read"]);
        // Later first wildcard beats fewer wildcards.
        assert_eq!(names("secret/a/b/baz"), vec!["delete"]);
        assert_eq!(names("secret/x/b/baz"), vec!["create"]);
        assert_eq!(names("other"), vec!["deny"]);
    }

    #[test]
    fn plus_matches_exactly_one_segment() {
        let a = acl(&[&rule("secret/+/config", "\"read\"")]);
        assert!(a.allows("secret/app/config", Read, false));
        assert!(!a.allows("secret/app/x/config", Read, false));
        assert!(!a.allows("secret/config", Read, false));
        assert!(!a.allows("secret/app/config/x", Read, false));
        // Vault's `+` also matches an empty segment.
        assert!(a.allows("secret//config", Read, false));
        let a = acl(&[&rule("secret/+/conf*", "\"read\"")]);
        assert!(a.allows("secret/app/config", Read, false));
        assert!(a.allows("secret/app/conf/deeper", Read, false));
        assert!(!a.allows("secret/app/other", Read, false));
        assert!(!a.allows("secret/app", Read, false));
        let a = acl(&[&rule("+", "\"read\"")]);
        assert!(a.allows("anything", Read, false));
        assert!(!a.allows("any/thing", Read, false));
    }

    #[test]
    fn ties_prefer_longer_then_lexicographically_larger() {
        let a = acl(&[&(rule("a/+/bc*", "\"read\"") + &rule("a/+/b*", "\"list\""))]);
        assert_eq!(a.capability_names("a/x/bcd"), vec!["read"]);
        let a = acl(&[&(rule("a/+/x", "\"read\"") + &rule("a/+/+", "\"list\""))]);
        assert_eq!(a.capability_names("a/b/x"), vec!["read"]);
        let a = acl(&[&(rule("+/b", "\"read\"") + &rule("+/b*", "\"list\""))]);
        assert_eq!(a.capability_names("a/b"), vec!["read"]);
        // Equal on every other count: the lexicographically larger pattern wins.
        let a = acl(&[&(rule("a/+/y/+", "\"read\"") + &rule("a/+/+/x", "\"list\""))]);
        assert_eq!(a.capability_names("a/b/y/x"), vec!["read"]);
    }

    #[test]
    fn specific_rule_without_read_hides_broader_read() {
        let a = acl(&[&(rule("secret/*", "\"read\"") + &rule("secret/super-secret", "\"list\""))]);
        assert!(a.allows("secret/other", Read, false));
        assert!(!a.allows("secret/super-secret", Read, false));
        let a = acl(&[&(rule("secret/*", "\"read\"") + &rule("secret/team/*", ""))]);
        assert!(!a.allows("secret/team/x", Read, false));
        assert_eq!(a.capability_names("secret/team/x"), vec!["deny"]);
    }

    #[test]
    fn merging_across_policies() {
        let a = acl(&[
            &rule("secret/*", "\"read\""),
            &rule("secret/*", "\"update\""),
            &rule("secret/x", "\"read\""),
            &rule("secret/x", "\"deny\""),
            &rule("secret/y*", "\"deny\""),
        ]);
        assert_eq!(a.capability_names("secret/a"), vec!["read", "update"]);
        assert!(!a.allows("secret/x", Read, false));
        assert_eq!(a.capability_names("secret/x"), vec!["deny"]);
        assert_eq!(a.capabilities("secret/x"), Capabilities::DENY);
        // Different patterns never combine: the more specific deny glob wins outright.
        assert!(!a.allows("secret/yes", Read, false));
        assert!(a.allows("secret/no", Update, false));
    }

    #[test]
    fn list_with_trailing_slash() {
        let a = acl(&[&(rule("secret", "\"list\"") + &rule("kv/metadata/+", "\"list\""))]);
        assert!(a.allows("secret/", List, false));
        assert!(a.allows("secret", List, false));
        assert!(!a.allows("secret/", Read, false));
        assert!(a.capabilities("secret/").is_empty());
        assert_eq!(a.capability_names("secret/"), vec!["list"]);
        // Wildcard rules without the trailing slash match lists too.
        assert!(a.allows("kv/metadata/app/", List, false));
        assert!(!a.allows("kv/metadata/app/x/", List, false));
        let a = acl(&[&(rule("secret/", "\"read\"") + &rule("secret", "\"list\""))]);
        assert!(!a.allows("secret/", List, false));
    }

    #[test]
    fn sudo_and_root() {
        let a = acl(&[&rule("sys/audit/*", "\"update\", \"sudo\"")]);
        assert!(a.allows("sys/audit/file", Update, true));
        assert!(!a.allows("sys/audit/file", Read, true));
        let a = acl(&[&rule("sys/audit/*", "\"update\"")]);
        assert!(!a.allows("sys/audit/file", Update, true));
        assert!(a.allows("sys/audit/file", Update, false));

        let root = Acl::root();
        assert!(root.is_root());
        assert!(root.allows("sys/anything", Delete, true));
        assert_eq!(root.capability_names("x"), vec!["root"]);
        assert_eq!(
            root.capabilities("x").names(),
            vec!["create", "delete", "list", "patch", "read", "sudo", "update"]
        );
        let named_root = parse("root", "").unwrap();
        let other = parse("other", &rule("x", "\"deny\"")).unwrap();
        assert!(Acl::new(&[&other, &named_root]).allows("x", Read, true));
        assert!(!Acl::new(&[&other]).is_root());
    }

    #[test]
    fn legacy_write_policy() {
        let a = acl(&["path \"secret/*\" { policy = \"write\" }"]);
        assert_eq!(
            a.capability_names("secret/a"),
            vec!["create", "delete", "list", "read", "update"]
        );
        assert!(a.allows("secret/a", Delete, false));
        assert!(!a.allows("secret/a", Update, true));
    }

    #[test]
    fn json_policy_acl() {
        let a = acl(&[r#"{"path": {"secret/+/db": {"capabilities": ["read"]}}}"#]);
        assert!(a.allows("secret/app/db", Read, false));
        assert!(!a.allows("secret/app/db2", Read, false));
    }

    #[test]
    fn empty_glob_matches_everything() {
        let a = acl(&[&(rule("*", "\"read\"") + &rule("", "\"list\""))]);
        assert!(a.allows("any/path", Read, false));
        assert!(a.allows("", List, false));
        assert!(!a.allows("", Read, false));
        assert!(a.allows("/", List, false));
    }
}
