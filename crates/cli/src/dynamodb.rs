//! `strongroom dynamodb`: table set-up and the AWS artefacts, straight from a server config.
//!
//! The same core functions back `sys/storage/dynamodb/*` on a running server; these commands
//! exist for the steps before any server runs (who creates the table, which IAM policy the
//! nodes get) and for scripts.

use std::process::ExitCode;

use serde_json::json;
use strongroom_core::config::{Config, StorageConfig};
use strongroom_core::storage::dynamodb::{
    iam, BillingMode, DynamoDbSettings, TableAdmin, TableChange,
};

use crate::args::{DynamodbAction, DynamodbArgs};
use crate::output::{finish, pretty, runtime};

/// Runs the command; prints JSON (or HCL for `terraform`) on stdout, errors on stderr.
pub fn run(args: DynamodbArgs) -> ExitCode {
    finish(execute(args))
}

fn settings(args: &DynamodbArgs) -> Result<DynamoDbSettings, String> {
    let path = args
        .config
        .as_ref()
        .ok_or("-config=FILE is required: the server config whose storage \"dynamodb\" block names the table")?;
    match Config::load(path).map_err(|e| e.to_string())?.storage {
        StorageConfig::DynamoDb(settings) => Ok(settings),
        _ => Err(format!(
            "{} does not use storage \"dynamodb\"",
            path.display()
        )),
    }
}

fn execute(args: DynamodbArgs) -> Result<String, String> {
    let settings = settings(&args)?;
    match args.action {
        DynamodbAction::IamPolicy { account_id } => {
            let arn = iam::table_arn(&settings, account_id.as_deref());
            Ok(pretty(&iam::policies(&settings, &arn)))
        }
        DynamodbAction::Terraform => Ok(iam::terraform(&settings)),
        action => runtime()?.block_on(remote(action, settings)),
    }
}

/// The actions that call DynamoDB.
async fn remote(action: DynamodbAction, settings: DynamoDbSettings) -> Result<String, String> {
    let admin = TableAdmin::connect(settings).await;
    let table = match action {
        DynamodbAction::Describe => admin.describe().await,
        DynamodbAction::CreateTable => admin.create().await,
        DynamodbAction::Update {
            billing_mode,
            read_capacity,
            write_capacity,
        } => {
            let billing_mode = billing_mode
                .map(|m| {
                    BillingMode::parse(&m).ok_or_else(|| {
                        format!("-billing-mode {m:?} must be PROVISIONED or PAY_PER_REQUEST")
                    })
                })
                .transpose()?;
            admin
                .update(TableChange {
                    billing_mode,
                    read_capacity,
                    write_capacity,
                })
                .await
        }
        DynamodbAction::IamPolicy { .. } | DynamodbAction::Terraform => {
            unreachable!("offline actions are handled by execute")
        }
    };
    table
        .map(|t| pretty(&json!({ "table": t })))
        .map_err(|e| e.to_string())
}
