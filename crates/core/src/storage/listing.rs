//! Vault's list semantics over any store that can scan keys in byte order.
//!
//! A naive list reads every key below the prefix, so listing `sys/` would walk every lease.
//! Here, as soon as a sub-folder is seen, the scan jumps past everything inside it, so a list
//! costs one scan step per child plus one batch per [`BATCH`] leaves.

use async_trait::async_trait;

use super::StorageError;

/// How many keys one scan step asks for.
pub(super) const BATCH: usize = 256;

/// A key space that can be scanned in byte order.
#[async_trait]
pub(super) trait OrderedKeys: Sync {
    /// Up to `max` keys `k` with `start <= k < end` (no upper bound when `end` is `None`),
    /// in ascending byte order.
    async fn scan(
        &self,
        start: &[u8],
        end: Option<&[u8]>,
        max: usize,
    ) -> Result<Vec<String>, StorageError>;
}

/// The smallest byte string greater than every string that starts with `prefix`, or `None`
/// when there is none (empty prefix, or all `0xff`).
pub(super) fn successor(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut out = prefix.to_vec();
    while let Some(last) = out.pop() {
        if last < 0xff {
            out.push(last + 1);
            return Some(out);
        }
    }
    None
}

/// The direct children of `prefix` after `after`, at most `limit` (see `Backend::list_page`).
pub(super) async fn list_children<S: OrderedKeys>(
    store: &S,
    prefix: &str,
    after: &str,
    limit: Option<usize>,
) -> Result<Vec<String>, StorageError> {
    let limit = limit.unwrap_or(usize::MAX);
    let mut out: Vec<String> = Vec::new();
    if limit == 0 {
        return Ok(out);
    }
    let end = successor(prefix.as_bytes());
    let mut cursor = format!("{prefix}{after}").into_bytes();
    loop {
        let keys = store.scan(&cursor, end.as_deref(), BATCH).await?;
        let exhausted = keys.len() < BATCH;
        let mut jump = None;
        for key in &keys {
            let rest = &key[prefix.len()..];
            let (child, folder_end) = match rest.find('/') {
                Some(i) => (&rest[..=i], Some(prefix.len() + i + 1)),
                None => (rest, None),
            };
            if !child.is_empty() && child > after && out.last().map(String::as_str) != Some(child) {
                out.push(child.to_owned());
                if out.len() >= limit {
                    return Ok(out);
                }
            }
            if let Some(folder_end) = folder_end {
                // Everything else under this folder yields the same child: skip it.
                jump = successor(&key.as_bytes()[..folder_end]);
                break;
            }
        }
        match jump {
            Some(next) => cursor = next,
            None if exhausted => return Ok(out),
            None => {
                // Continue right after the last key of this batch.
                let mut next = keys
                    .last()
                    .map(|k| k.as_bytes().to_vec())
                    .unwrap_or_default();
                next.push(0);
                cursor = next;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn successor_skips_trailing_ff() {
        assert_eq!(successor(b"a/"), Some(b"a0".to_vec()));
        assert_eq!(successor(b"a\xff"), Some(b"b".to_vec()));
        assert_eq!(successor(b""), None);
        assert_eq!(successor(b"\xff\xff"), None);
    }
}
