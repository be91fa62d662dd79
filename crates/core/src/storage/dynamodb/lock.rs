//! The HA lock item: Vault's `core/_lock` record, written with conditional updates.
//!
//! The item is `{Path: "core", Key: "_lock", Value, Identity, Expires}` with `Expires` in Unix
//! nanoseconds of the writer's clock, as Vault writes it, so Vault tools read it. Unlike
//! Vault, taking over an expired lock is a compare-and-swap on the exact record the standby
//! watched go stale (see `node::ha`), never a comparison of `Expires` with the standby's own
//! clock, so clock skew between nodes cannot make them steal a live lock from each other.
//! Lock requests bypass the permit pool and the capacity limiter: there is at most one in
//! flight per node, and a renewal stuck behind a queue of storage requests would cost the node
//! its leadership.

use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_dynamodb::types::AttributeValue;

use super::keys::{self, ItemKey};
use super::{blob, bump, sdk_error, DynamoDbBackend, IDENTITY, KEY, PATH, VALUE};
use crate::storage::{HaBackend, LockRecord, StorageError};

const EXPIRES: &str = "Expires";

fn record_from(attrs: &HashMap<String, AttributeValue>) -> Option<LockRecord> {
    let bytes = |name: &str| match attrs.get(name) {
        Some(AttributeValue::B(b)) => b.as_ref().to_vec(),
        _ => Vec::new(),
    };
    let expires_unix_ns = match attrs.get(EXPIRES) {
        Some(AttributeValue::N(n)) => n.parse().ok()?,
        _ => return None,
    };
    Some(LockRecord {
        value: bytes(VALUE),
        identity: bytes(IDENTITY),
        expires_unix_ns,
    })
}

impl DynamoDbBackend {
    /// One conditional `UpdateItem` writing `record` when `condition` holds; `Ok(false)` when
    /// the condition failed (the lock is someone else's).
    async fn write_lock(
        &self,
        item: &ItemKey,
        record: &LockRecord,
        condition: &str,
        extra: Vec<(&str, AttributeValue)>,
    ) -> Result<bool, StorageError> {
        bump(&self.counters.update_item, 1);
        let mut request = self
            .client
            .update_item()
            .table_name(&self.settings.table)
            .key(PATH, AttributeValue::S(item.path.clone()))
            .key(KEY, AttributeValue::S(item.key.clone()))
            .update_expression("SET #v = :value, #i = :identity, #e = :expires")
            .condition_expression(condition)
            .expression_attribute_names("#v", VALUE)
            .expression_attribute_names("#i", IDENTITY)
            .expression_attribute_names("#e", EXPIRES)
            .expression_attribute_values(":value", blob(&record.value))
            .expression_attribute_values(":identity", blob(&record.identity))
            .expression_attribute_values(
                ":expires",
                AttributeValue::N(record.expires_unix_ns.to_string()),
            );
        // DynamoDB refuses names that the expressions do not use.
        if condition.contains("#p") {
            request = request.expression_attribute_names("#p", PATH);
        }
        for (name, value) in extra {
            request = request.expression_attribute_values(name, value);
        }
        match request.send().await {
            Ok(_) => Ok(true),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
            {
                Ok(false)
            }
            Err(e) => Err(sdk_error("UpdateItem", e)),
        }
    }
}

#[async_trait]
impl HaBackend for DynamoDbBackend {
    async fn read_lock(&self, key: &str) -> Result<Option<LockRecord>, StorageError> {
        let item = keys::lock_item(key);
        bump(&self.counters.get_item, 1);
        let out = self
            .client
            .get_item()
            .table_name(&self.settings.table)
            .key(PATH, AttributeValue::S(item.path))
            .key(KEY, AttributeValue::S(item.key))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| sdk_error("GetItem", e))?;
        Ok(out.item.as_ref().and_then(record_from))
    }

    async fn acquire_lock(
        &self,
        key: &str,
        record: &LockRecord,
        stale: Option<&LockRecord>,
    ) -> Result<bool, StorageError> {
        let item = keys::lock_item(key);
        let free = "attribute_not_exists(#p) OR attribute_not_exists(#i) OR #i = :identity";
        match stale {
            None => self.write_lock(&item, record, free, Vec::new()).await,
            Some(stale) => {
                let condition = format!("{free} OR (#i = :stale_identity AND #e = :stale_expires)");
                let extra = vec![
                    (":stale_identity", blob(&stale.identity)),
                    (
                        ":stale_expires",
                        AttributeValue::N(stale.expires_unix_ns.to_string()),
                    ),
                ];
                self.write_lock(&item, record, &condition, extra).await
            }
        }
    }

    async fn renew_lock(&self, key: &str, record: &LockRecord) -> Result<bool, StorageError> {
        let item = keys::lock_item(key);
        self.write_lock(&item, record, "#i = :identity", Vec::new())
            .await
    }

    async fn release_lock(&self, key: &str, identity: &[u8]) -> Result<(), StorageError> {
        let item = keys::lock_item(key);
        bump(&self.counters.delete_item, 1);
        let result = self
            .client
            .delete_item()
            .table_name(&self.settings.table)
            .key(PATH, AttributeValue::S(item.path))
            .key(KEY, AttributeValue::S(item.key))
            .condition_expression("#i = :identity")
            .expression_attribute_names("#i", IDENTITY)
            .expression_attribute_values(":identity", blob(identity))
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            // Someone else holds it now: nothing of ours to release.
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
            {
                Ok(())
            }
            Err(e) => Err(sdk_error("DeleteItem", e)),
        }
    }

    fn became_active(&self) {
        self.forget_folders();
    }
}
