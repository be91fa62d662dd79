//! Least-privilege IAM policies and Terraform for the table, generated from the settings.
//!
//! Vault's documentation asks for eighteen DynamoDB actions, including `Scan`, `GetRecords` and
//! reserved-capacity calls its code never makes. The policies here list only what this backend
//! calls, split by phase: *bootstrap* (create the table, change its capacity) is needed once,
//! by whoever sets the table up; *steady state* is what every node needs to run.

use serde::Serialize;
use serde_json::{json, Value};

use super::{BillingMode, DynamoDbSettings};

/// Actions a running node calls on the table.
const STEADY: &[&str] = &[
    "dynamodb:BatchWriteItem",
    "dynamodb:DeleteItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
];
/// Added when HA is enabled: the lock is written with conditional updates.
const HA: &[&str] = &["dynamodb:UpdateItem"];
/// Actions that create the table (and wait for it) when it is missing.
const BOOTSTRAP: &[&str] = &["dynamodb:CreateTable", "dynamodb:DescribeTable"];
/// Added when the table's billing mode or capacity may be changed.
const UPDATES: &[&str] = &["dynamodb:UpdateTable"];

/// The two policy documents for a table.
#[derive(Debug, Clone, Serialize)]
pub struct IamPolicies {
    /// The table's ARN the statements are scoped to.
    pub table_arn: String,
    /// For whoever creates and resizes the table.
    pub bootstrap: Value,
    /// For every node at run time.
    pub steady_state: Value,
}

/// The table ARN in `region` for `account` (`*` when not known).
pub fn table_arn(settings: &DynamoDbSettings, account: Option<&str>) -> String {
    format!(
        "arn:aws:dynamodb:{}:{}:table/{}",
        settings.region,
        account.unwrap_or("*"),
        settings.table
    )
}

fn document(sid: &str, actions: Vec<&str>, arn: &str) -> Value {
    let mut actions = actions;
    actions.sort_unstable();
    actions.dedup();
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": sid,
            "Effect": "Allow",
            "Action": actions,
            "Resource": arn,
        }]
    })
}

/// The bootstrap and steady-state policies for `settings`, scoped to `table_arn`.
/// `allow_updates` adds `UpdateTable` to the bootstrap policy (and to the steady-state one
/// when the node itself applies capacity changes at start).
pub fn policies(settings: &DynamoDbSettings, table_arn: &str) -> IamPolicies {
    let mut steady: Vec<&str> = STEADY.to_vec();
    if settings.ha_enabled {
        steady.extend(HA);
    }
    if settings.allow_updates {
        steady.extend(UPDATES);
    }
    let mut bootstrap: Vec<&str> = BOOTSTRAP.to_vec();
    bootstrap.extend(UPDATES);
    IamPolicies {
        table_arn: table_arn.to_owned(),
        bootstrap: document("StrongroomTableSetup", bootstrap, table_arn),
        steady_state: document("StrongroomStorage", steady, table_arn),
    }
}

/// An `aws_dynamodb_table` Terraform resource for the table in `settings`.
pub fn terraform(settings: &DynamoDbSettings) -> String {
    let billing = match settings.billing_mode {
        BillingMode::PayPerRequest => "  billing_mode = \"PAY_PER_REQUEST\"\n".to_owned(),
        BillingMode::Provisioned => format!(
            "  billing_mode   = \"PROVISIONED\"\n  read_capacity  = {}\n  write_capacity = {}\n",
            settings.read_capacity, settings.write_capacity
        ),
    };
    format!(
        "# The DynamoDB table for Strongroom (and Vault's dynamodb storage): partition key\n\
         # \"Path\" and sort key \"Key\", both strings. Losing the table loses every secret, so\n\
         # deletion protection and point-in-time recovery are on.\n\
         resource \"aws_dynamodb_table\" \"strongroom\" {{\n\
         \x20 name = \"{table}\"\n\
         {billing}\
         \x20 hash_key  = \"Path\"\n\
         \x20 range_key = \"Key\"\n\
         \n\
         \x20 attribute {{\n\
         \x20   name = \"Path\"\n\
         \x20   type = \"S\"\n\
         \x20 }}\n\
         \n\
         \x20 attribute {{\n\
         \x20   name = \"Key\"\n\
         \x20   type = \"S\"\n\
         \x20 }}\n\
         \n\
         \x20 deletion_protection_enabled = true\n\
         \n\
         \x20 point_in_time_recovery {{\n\
         \x20   enabled = true\n\
         \x20 }}\n\
         \n\
         \x20 tags = {{\n\
         \x20   Application = \"strongroom\"\n\
         \x20 }}\n\
         }}\n",
        table = settings.table,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actions(doc: &Value) -> Vec<String> {
        doc["Statement"][0]["Action"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn policies_list_only_what_the_backend_calls() {
        let mut s = DynamoDbSettings::for_table("vault-data");
        s.region = "us-west-2".into();
        let arn = table_arn(&s, Some("123456789012"));
        assert_eq!(
            arn,
            "arn:aws:dynamodb:us-west-2:123456789012:table/vault-data"
        );
        let p = policies(&s, &arn);
        assert_eq!(
            actions(&p.steady_state),
            [
                "dynamodb:BatchWriteItem",
                "dynamodb:DeleteItem",
                "dynamodb:DescribeTable",
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:Query"
            ]
        );
        assert_eq!(
            actions(&p.bootstrap),
            [
                "dynamodb:CreateTable",
                "dynamodb:DescribeTable",
                "dynamodb:UpdateTable"
            ]
        );
        assert_eq!(p.steady_state["Statement"][0]["Resource"], arn.as_str());
        assert_eq!(p.steady_state["Version"], "2012-10-17");

        s.ha_enabled = true;
        s.allow_updates = true;
        let p = policies(&s, &table_arn(&s, None));
        let steady = actions(&p.steady_state);
        assert!(steady.contains(&"dynamodb:UpdateItem".to_owned()));
        assert!(steady.contains(&"dynamodb:UpdateTable".to_owned()));
        assert_eq!(p.table_arn, "arn:aws:dynamodb:us-west-2:*:table/vault-data");
    }

    #[test]
    fn terraform_matches_the_settings() {
        let mut s = DynamoDbSettings::for_table("my-vault-data");
        s.read_capacity = 10;
        s.write_capacity = 15;
        let tf = terraform(&s);
        assert!(tf.contains(
            "resource \"aws_dynamodb_table\" \"strongroom\" {\n  name = \"my-vault-data\"\n"
        ));
        assert!(tf.contains("  read_capacity  = 10\n  write_capacity = 15\n"));
        assert!(tf.contains("  hash_key  = \"Path\"\n  range_key = \"Key\"\n"));
        s.billing_mode = BillingMode::PayPerRequest;
        let tf = terraform(&s);
        assert!(tf.contains("billing_mode = \"PAY_PER_REQUEST\""));
        assert!(!tf.contains("read_capacity"));
        // Balanced braces: the block is well formed.
        assert_eq!(tf.matches('{').count(), tf.matches('}').count());
    }
}
