//! Values larger than one DynamoDB item (400 KB).
//!
//! Vault sends such values to DynamoDB anyway and fails with `ValidationException: Item size
//! has exceeded the maximum allowed size` (hashicorp/vault#23793). Here the value is split into
//! chunk items in a partition of its own, named by the SHA-256 of the key, and the data item
//! keeps a manifest (generation, count, length, digest) instead of `Value`. The chunks of a new
//! generation are written before the data item that names them and the old generation is
//! removed after, so a reader sees either the old value or the new one, and a crash midway
//! leaves only unreferenced chunks that the next write of the key removes.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use sha2::{Digest, Sha256};

use super::keys::ItemKey;
use super::{
    attributes_size, blob, bump, delete_request, put_request, sdk_error, DynamoDbBackend, KEY,
    PATH, VALUE,
};
use crate::random::random_hex;
use crate::storage::StorageError;

/// DynamoDB's item size limit (attribute names and values).
const ITEM_LIMIT: usize = 400 * 1024;
/// Value bytes per chunk item, leaving room for the keys and attribute names.
const CHUNK_BYTES: usize = 380 * 1024;
/// Chunk partitions start with a control character, which no Vault or Strongroom key uses.
const PARTITION_PREFIX: &str = "\u{1}chunks/";

const GENERATION: &str = "ChunkGeneration";
const COUNT: &str = "ChunkCount";
const LENGTH: &str = "ChunkedLength";
const DIGEST: &str = "ChunkedSha256";

/// What the data item of a chunked value records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Manifest {
    generation: String,
    count: usize,
    length: usize,
    digest: Vec<u8>,
}

impl Manifest {
    /// The manifest in a data item's attributes, if the value is chunked.
    pub(super) fn from_item(attrs: &HashMap<String, AttributeValue>) -> Option<Self> {
        let number = |name: &str| match attrs.get(name) {
            Some(AttributeValue::N(n)) => n.parse::<usize>().ok(),
            _ => None,
        };
        Some(Self {
            generation: match attrs.get(GENERATION) {
                Some(AttributeValue::S(g)) => g.clone(),
                _ => return None,
            },
            count: number(COUNT)?,
            length: number(LENGTH)?,
            digest: match attrs.get(DIGEST) {
                Some(AttributeValue::B(b)) => b.as_ref().to_vec(),
                _ => return None,
            },
        })
    }

    /// Records the manifest in a data item.
    pub(super) fn add_to(&self, attrs: &mut HashMap<String, AttributeValue>) {
        attrs.insert(
            GENERATION.into(),
            AttributeValue::S(self.generation.clone()),
        );
        attrs.insert(COUNT.into(), AttributeValue::N(self.count.to_string()));
        attrs.insert(LENGTH.into(), AttributeValue::N(self.length.to_string()));
        attrs.insert(DIGEST.into(), blob(&self.digest));
    }
}

/// Whether a value of `len` bytes must be chunked to fit in an item with key `attrs`.
pub(super) fn needs_chunks(attrs: &HashMap<String, AttributeValue>, len: usize) -> bool {
    attributes_size(attrs) + VALUE.len() + len > ITEM_LIMIT
}

fn partition(key: &str) -> String {
    format!(
        "{PARTITION_PREFIX}{}",
        hex::encode(Sha256::digest(key.as_bytes()))
    )
}

/// Writes `value`'s chunks under a new generation and returns its manifest.
pub(super) async fn write(
    b: &DynamoDbBackend,
    key: &str,
    value: &[u8],
) -> Result<Manifest, StorageError> {
    let generation = random_hex(8);
    let path = partition(key);
    let requests = value
        .chunks(CHUNK_BYTES)
        .enumerate()
        .map(|(i, chunk)| {
            put_request(HashMap::from([
                (PATH.to_owned(), AttributeValue::S(path.clone())),
                (
                    KEY.to_owned(),
                    AttributeValue::S(format!("{generation}/{i:06}")),
                ),
                (VALUE.to_owned(), blob(chunk)),
            ]))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let count = requests.len();
    b.batch_write(requests).await?;
    Ok(Manifest {
        generation,
        count,
        length: value.len(),
        digest: Sha256::digest(value).to_vec(),
    })
}

/// Reassembles a chunked value; `None` when the chunks do not match the manifest (the value
/// was replaced while being read).
pub(super) async fn read(
    b: &DynamoDbBackend,
    key: &str,
    manifest: &Manifest,
) -> Result<Option<Vec<u8>>, StorageError> {
    let mut value = Vec::with_capacity(manifest.length);
    let mut chunks = 0;
    let mut start = None;
    // Bounded: each page returns at least one chunk or ends the loop.
    for _ in 0..=manifest.count {
        b.take_read(1.0).await;
        let page = {
            let _permit = b.permit().await;
            bump(&b.counters.query, 1);
            b.client
                .query()
                .table_name(&b.settings.table)
                .consistent_read(true)
                .key_condition_expression("#p = :p AND begins_with(#k, :g)")
                .expression_attribute_names("#p", PATH)
                .expression_attribute_names("#k", KEY)
                .expression_attribute_values(":p", AttributeValue::S(partition(key)))
                .expression_attribute_values(
                    ":g",
                    AttributeValue::S(format!("{}/", manifest.generation)),
                )
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| sdk_error("Query", e))?
        };
        for item in page.items() {
            if let Some(AttributeValue::B(chunk)) = item.get(VALUE) {
                value.extend_from_slice(chunk.as_ref());
                chunks += 1;
            }
        }
        b.charge_read(super::read_units(value.len()) - 1.0).await;
        match page.last_evaluated_key {
            Some(k) if !k.is_empty() => start = Some(k),
            _ => break,
        }
    }
    let intact = chunks == manifest.count
        && value.len() == manifest.length
        && Sha256::digest(&value).as_slice() == manifest.digest.as_slice();
    Ok(intact.then_some(value))
}

/// Deletes every chunk of `key` except those of `keep`'s generation.
pub(super) async fn remove_stale(
    b: &DynamoDbBackend,
    key: &str,
    keep: Option<&Manifest>,
) -> Result<(), StorageError> {
    let path = partition(key);
    let keep_prefix = keep.map(|m| format!("{}/", m.generation));
    let stale = b
        .query_keys(&path, "", None, false)
        .await?
        .into_iter()
        .filter(|k| {
            keep_prefix
                .as_ref()
                .is_none_or(|p| !k.starts_with(p.as_str()))
        })
        .map(|k| {
            delete_request(&ItemKey {
                path: path.clone(),
                key: k,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    b.batch_write(stale).await
}
