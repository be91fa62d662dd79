//! Vault-compatible ACL policies.
//!
//! [`parse`] turns a policy document (HCL or JSON, as Vault accepts it) into a [`Policy`] of
//! path rules, reporting errors with exact line and column. [`Acl`] merges a token's policies
//! and answers, with Vault's matching and priority rules, whether a request may proceed and
//! what `sys/capabilities*` should report. Policies are kept pure (no storage, no I/O) so the
//! HTTP layer and the token store can share them.

mod acl;
mod parse;
mod store;

pub use acl::{Acl, RuleMap};
pub use parse::{decode_body, normalize_name, parse, Capabilities, PathRule, Policy, PolicyError};
pub use store::{PolicyStore, PolicyStoreError};

/// The built-in `default` policy attached to every non-root token, equivalent to Vault's:
/// it lets a token look after itself, use its cubbyhole, and use response wrapping.
pub const DEFAULT_POLICY: &str = r#"# Allow tokens to look up their own properties.
path "auth/token/lookup-self" {
    capabilities = ["read"]
}

# Allow tokens to renew themselves.
path "auth/token/renew-self" {
    capabilities = ["update"]
}

# Allow tokens to revoke themselves.
path "auth/token/revoke-self" {
    capabilities = ["update"]
}

# Allow a token to ask what it may do on a path.
path "sys/capabilities-self" {
    capabilities = ["update"]
}

# Allow the UI to show the token its own resultant ACL.
path "sys/internal/ui/resultant-acl" {
    capabilities = ["read"]
}

# Allow a token to renew a lease it holds, via the ID in the request body.
path "sys/leases/renew" {
    capabilities = ["update"]
}

# Allow a token to look up a lease's properties, via the ID in the request body.
path "sys/leases/lookup" {
    capabilities = ["update"]
}

# Allow a token to manage its own cubbyhole (private per-token storage).
path "cubbyhole/*" {
    capabilities = ["create", "read", "update", "delete", "list"]
}

# Allow a token to wrap arbitrary values in a response-wrapping token.
path "sys/wrapping/wrap" {
    capabilities = ["update"]
}

# Allow a token to look up the creation time and TTL of a wrapping token.
path "sys/wrapping/lookup" {
    capabilities = ["update"]
}

# Allow a token to unwrap a response-wrapping token.
path "sys/wrapping/unwrap" {
    capabilities = ["update"]
}

# Allow general-purpose hashing tools.
path "sys/tools/hash" {
    capabilities = ["update"]
}
path "sys/tools/hash/*" {
    capabilities = ["update"]
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_grants_exactly_the_documented_paths() {
        let policy = parse("default", DEFAULT_POLICY).unwrap();
        assert_eq!(policy.rules.len(), 13);
        let acl = Acl::new(&[&policy]);
        let expected: &[(&str, &[&str])] = &[
            ("auth/token/lookup-self", &["read"]),
            ("auth/token/renew-self", &["update"]),
            ("auth/token/revoke-self", &["update"]),
            ("sys/capabilities-self", &["update"]),
            ("sys/internal/ui/resultant-acl", &["read"]),
            ("sys/leases/renew", &["update"]),
            ("sys/leases/lookup", &["update"]),
            (
                "cubbyhole/secret",
                &["create", "delete", "list", "read", "update"],
            ),
            ("sys/wrapping/wrap", &["update"]),
            ("sys/wrapping/lookup", &["update"]),
            ("sys/wrapping/unwrap", &["update"]),
            ("sys/tools/hash", &["update"]),
            ("sys/tools/hash/sha2-256", &["update"]),
            ("sys/leases/revoke", &["deny"]),
            ("sys/leases/lookup/x", &["deny"]),
            ("auth/token/create", &["deny"]),
            ("cubbyhole", &["deny"]),
            ("secret/foo", &["deny"]),
            ("sys/policies/acl/default", &["deny"]),
        ];
        for (path, names) in expected {
            assert_eq!(acl.capability_names(path), *names, "{path}");
        }
    }
}
