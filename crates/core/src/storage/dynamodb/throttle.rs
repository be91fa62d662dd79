//! A client-side limiter that keeps a provisioned table out of throttling.
//!
//! DynamoDB throttles a provisioned table once it consumes more capacity units per second than
//! provisioned (after spending up to five minutes of unused capacity as burst). The SDK then
//! retries with backoff, and Vault, which never looks at capacity, can stall for minutes on a
//! busy restore (hashicorp/vault#1358, #5872). Here each node paces itself instead: a token
//! bucket per direction refills at the provisioned rate and holds at most [`BURST_SECONDS`] of
//! it, so bursts are served at once and sustained load is spread to what the table can take.
//! Units are charged after a request when its size is only then known, which can leave the
//! bucket in debt; the next caller waits the debt off.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// How many seconds of unused capacity DynamoDB keeps as burst.
pub(super) const BURST_SECONDS: f64 = 300.0;

/// A token bucket of capacity units; unlimited for an on-demand table.
pub(super) struct CapacityBucket {
    state: Mutex<State>,
}

struct State {
    /// Units per second; `None` for no limit.
    rate: Option<f64>,
    tokens: f64,
    last: Instant,
}

impl CapacityBucket {
    /// A full bucket refilling at `units_per_second` (`None`: no limit).
    pub(super) fn new(units_per_second: Option<u64>) -> Self {
        let rate = units_per_second.map(|r| r.max(1) as f64);
        Self {
            state: Mutex::new(State {
                rate,
                tokens: rate.map_or(0.0, |r| r * BURST_SECONDS),
                last: Instant::now(),
            }),
        }
    }

    /// Follows a capacity change of the table; a new limit starts with a full burst.
    pub(super) async fn set_rate(&self, units_per_second: Option<u64>) {
        let mut state = self.state.lock().await;
        let rate = units_per_second.map(|r| r.max(1) as f64);
        if state.rate.is_none() {
            state.tokens = rate.map_or(0.0, |r| r * BURST_SECONDS);
        }
        state.rate = rate;
        state.last = Instant::now();
    }

    /// Waits until `units` can be taken, then takes them.
    pub(super) async fn take(&self, units: f64) {
        let wait = {
            let mut state = self.state.lock().await;
            let Some(rate) = state.rate else { return };
            let now = Instant::now();
            let refilled = (state.tokens + now.duration_since(state.last).as_secs_f64() * rate)
                .min(rate * BURST_SECONDS);
            state.tokens = refilled - units;
            state.last = now;
            if state.tokens >= 0.0 {
                return;
            }
            Duration::from_secs_f64(-state.tokens / rate)
        };
        tokio::time::sleep(wait).await;
    }

    /// Records `units` consumed beyond what was taken up front, without waiting.
    pub(super) async fn charge(&self, units: f64) {
        let mut state = self.state.lock().await;
        if units > 0.0 && state.rate.is_some() {
            state.tokens -= units;
        }
    }
}

/// Read capacity units for a strongly consistent read of `bytes` (4 KB each, at least 1).
pub(super) fn read_units(bytes: usize) -> f64 {
    (bytes.div_ceil(4096)).max(1) as f64
}

/// Write capacity units for writing an item of `bytes` (1 KB each, at least 1).
pub(super) fn write_units(bytes: usize) -> f64 {
    (bytes.div_ceil(1024)).max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn burst_is_free_then_the_rate_holds() {
        let bucket = CapacityBucket::new(Some(5));
        let start = Instant::now();
        for _ in 0..1500 {
            bucket.take(1.0).await;
        }
        assert_eq!(
            start.elapsed(),
            Duration::ZERO,
            "the burst is served at once"
        );
        for _ in 0..50 {
            bucket.take(1.0).await;
        }
        // 50 more units at 5 per second: ten seconds.
        let elapsed = start.elapsed().as_secs_f64();
        assert!((elapsed - 10.0).abs() < 0.01, "{elapsed}");
    }

    #[tokio::test(start_paused = true)]
    async fn debt_is_waited_off_by_the_next_caller() {
        let bucket = CapacityBucket::new(Some(10));
        bucket.take(3000.0).await; // empties the burst
        bucket.charge(20.0).await; // a large read turned out bigger than charged
        let start = Instant::now();
        bucket.take(10.0).await;
        let elapsed = start.elapsed().as_secs_f64();
        assert!((elapsed - 3.0).abs() < 0.01, "{elapsed}");
    }

    #[tokio::test(start_paused = true)]
    async fn on_demand_is_unlimited_and_rate_changes_apply() {
        let bucket = CapacityBucket::new(None);
        let start = Instant::now();
        bucket.take(1e9).await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        bucket.set_rate(Some(2)).await;
        bucket.take(600.0).await; // the new limit's full burst
        bucket.take(4.0).await;
        let elapsed = start.elapsed().as_secs_f64();
        assert!((elapsed - 2.0).abs() < 0.01, "{elapsed}");
    }

    #[test]
    fn units_follow_dynamodb_sizes() {
        assert_eq!(read_units(0), 1.0);
        assert_eq!(read_units(4096), 1.0);
        assert_eq!(read_units(4097), 2.0);
        assert_eq!(write_units(1), 1.0);
        assert_eq!(write_units(1025), 2.0);
        assert_eq!(write_units(400 * 1024), 400.0);
    }
}
