//! The least-privilege policies for the AWS KMS seal.
//!
//! Two documents, because KMS checks both: the **IAM policy** for the principal Strongroom
//! runs as (the three actions the seal sends), and the **key policy** on the key itself, which
//! separates key *users* (may encrypt and decrypt, nothing else) from key *administrators*
//! (may manage, rotate, disable or schedule deletion of the key, but not decrypt with it).
//! AWS's default key policy instead lets every IAM principal of the account do anything with
//! the key that its IAM policies allow.

use serde_json::{json, Value};

/// The actions the seal sends: envelope encryption, decryption, and the key look-up at start.
pub const SEAL_ACTIONS: &[&str] = &["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"];

/// What key administrators may do: everything but use the key.
const ADMIN_ACTIONS: &[&str] = &[
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
];

/// The parts of a key ARN the policies need.
struct KeyArn<'a> {
    partition: &'a str,
    account: &'a str,
}

fn parse_key_arn(arn: &str) -> Result<KeyArn<'_>, String> {
    let parts: Vec<&str> = arn.split(':').collect();
    match parts.as_slice() {
        ["arn", partition, "kms", _region, account, resource]
            if resource.starts_with("key/") && !account.is_empty() =>
        {
            Ok(KeyArn { partition, account })
        }
        _ => Err(format!(
            "{arn:?} is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)"
        )),
    }
}

fn check_principal(arn: &str) -> Result<(), String> {
    let ok = arn.starts_with("arn:") && arn.split(':').count() >= 6 && arn.contains(":iam::");
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{arn:?} is not an IAM principal ARN (arn:aws:iam::ACCOUNT:role/NAME, user/NAME or root)"
        ))
    }
}

/// The IAM policy for the principal the seal runs as.
pub fn iam_policy(key_arn: &str) -> Result<Value, String> {
    parse_key_arn(key_arn)?;
    Ok(json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "StrongroomSeal",
            "Effect": "Allow",
            "Action": SEAL_ACTIONS,
            "Resource": key_arn,
        }]
    }))
}

/// The key policy: `users` may use the key for the seal; `admins` (the account's root when
/// none are given, as AWS's console does) may manage it. Neither may do the other's part.
pub fn key_policy(key_arn: &str, users: &[String], admins: &[String]) -> Result<Value, String> {
    let arn = parse_key_arn(key_arn)?;
    if users.is_empty() {
        return Err(
            "name at least one key user: the IAM role or user that Strongroom runs as".into(),
        );
    }
    for principal in users.iter().chain(admins) {
        check_principal(principal)?;
    }
    let admins = if admins.is_empty() {
        vec![format!("arn:{}:iam::{}:root", arn.partition, arn.account)]
    } else {
        admins.to_vec()
    };
    Ok(json!({
        "Version": "2012-10-17",
        "Id": "strongroom-seal-key",
        "Statement": [
            {
                "Sid": "KeyAdministrators",
                "Effect": "Allow",
                "Principal": {"AWS": admins},
                "Action": ADMIN_ACTIONS,
                "Resource": "*",
            },
            {
                "Sid": "StrongroomSealUsers",
                "Effect": "Allow",
                "Principal": {"AWS": users},
                "Action": SEAL_ACTIONS,
                "Resource": "*",
            }
        ]
    }))
}

/// Both documents for the seal's key, as the CLI and the API return them: the key policy
/// only when key users are named (it cannot be written without them).
pub fn documents(key_arn: &str, users: &[String], admins: &[String]) -> Result<Value, String> {
    let key_policy = if users.is_empty() {
        if !admins.is_empty() {
            return Err(
                "key administrators were named but no key user: name the IAM role or \
                        user that Strongroom runs as too"
                    .into(),
            );
        }
        Value::Null
    } else {
        key_policy(key_arn, users, admins)?
    };
    Ok(json!({
        "key_arn": key_arn,
        "iam_policy": iam_policy(key_arn)?,
        "key_policy": key_policy,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    #[test]
    fn users_may_only_use_and_admins_may_only_manage() {
        let role = "arn:aws:iam::111122223333:role/strongroom".to_owned();
        let policy = key_policy(KEY, std::slice::from_ref(&role), &[]).unwrap();
        let statements = policy["Statement"].as_array().unwrap();
        assert_eq!(
            statements[0]["Principal"]["AWS"],
            json!(["arn:aws:iam::111122223333:root"])
        );
        let admin: Vec<&str> = statements[0]["Action"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(!admin
            .iter()
            .any(|a| ["kms:Encrypt", "kms:Decrypt", "kms:*", "kms:ReEncrypt*"].contains(a)));
        assert_eq!(statements[1]["Principal"]["AWS"], json!([role]));
        assert_eq!(
            statements[1]["Action"],
            json!(["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"])
        );
        assert_eq!(iam_policy(KEY).unwrap()["Statement"][0]["Resource"], KEY);
    }

    #[test]
    fn bad_input_is_named() {
        assert!(key_policy(KEY, &[], &[])
            .unwrap_err()
            .starts_with("name at least one key user"));
        assert!(key_policy("alias/x", &["arn:aws:iam::1:root".into()], &[])
            .unwrap_err()
            .contains("is not a KMS key ARN"));
        assert!(key_policy(KEY, &["strongroom".into()], &[])
            .unwrap_err()
            .contains("is not an IAM principal ARN"));
    }
}
