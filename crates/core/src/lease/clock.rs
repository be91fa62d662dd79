//! The lease manager's clock: Unix milliseconds that advance with Tokio's clock.
//!
//! Expiry times are stored as wall-clock Unix milliseconds so they survive restarts, but the
//! timer sleeps on Tokio's monotonic clock. Anchoring one to the other once per process keeps
//! the two consistent and lets tests pause and advance time (`tokio::time::pause`).

use std::sync::OnceLock;

use time::OffsetDateTime;

static ANCHOR: OnceLock<(i64, std::time::Instant)> = OnceLock::new();

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    let (unix_ms, at) = *ANCHOR.get_or_init(|| {
        let unix_ms = (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;
        (unix_ms, tokio::time::Instant::now().into_std())
    });
    let elapsed = tokio::time::Instant::now()
        .into_std()
        .saturating_duration_since(at);
    unix_ms + elapsed.as_millis() as i64
}

/// The Tokio instant at which Unix millisecond `ms` arrives (now, if it has passed).
pub fn instant_at(ms: i64) -> tokio::time::Instant {
    let wait = (ms - now_ms()).max(0) as u64;
    tokio::time::Instant::now() + std::time::Duration::from_millis(wait)
}

/// Unix milliseconds as RFC 3339, for lookups.
pub fn rfc3339(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map(crate::timefmt::format_rfc3339)
        .unwrap_or_default()
}
