//! ACL policies: what a token may do on a path.
//!
//! Vault builds one ACL from all of a token's policies; the `root` policy allows every
//! operation on every path, including `sudo`-protected ones. Named HCL policies (and the
//! `default` policy) are evaluated by the same [`Acl`] type once the policy store exists; until
//! then a token without `root` is allowed nothing, which is Vault's behaviour for a token whose
//! policies do not exist.

use crate::logical::Operation;

/// The combined permissions of a token's policies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acl {
    root: bool,
}

impl Acl {
    /// The ACL for a token carrying `policies`.
    pub fn for_policies(policies: &[String]) -> Self {
        Self {
            root: policies.iter().any(|p| p == "root"),
        }
    }

    /// Whether `operation` on `path` is allowed; `sudo` marks root-protected paths.
    pub fn allows(&self, _path: &str, _operation: Operation, _sudo: bool) -> bool {
        self.root
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_allows_everything_and_unknown_policies_nothing() {
        let root = Acl::for_policies(&["root".into()]);
        assert!(root.allows("sys/rotate", Operation::Update, true));
        assert!(root.allows("secret/x", Operation::Delete, false));
        let other = Acl::for_policies(&["apps".into()]);
        assert!(!other.allows("secret/x", Operation::Read, false));
        assert!(!other.allows("sys/rotate", Operation::Update, true));
    }
}
