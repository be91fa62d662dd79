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

/// A token bucket of capacity units.
pub(super) struct CapacityBucket {
    rate: f64,
    burst: f64,
    state: Mutex<(f64, Instant)>,
}

impl CapacityBucket {
    /// A full bucket refilling at `units_per_second`.
    pub(super) fn new(units_per_second: u64) -> Self {
        let rate = units_per_second.max(1) as f64;
        let burst = rate * BURST_SECONDS;
        Self {
            rate,
            burst,
            state: Mutex::new((burst, Instant::now())),
        }
    }

    /// Waits until `units` can be taken, then takes them.
    pub(super) async fn take(&self, units: f64) {
        let wait = {
            let mut state = self.state.lock().await;
            let now = Instant::now();
            let (tokens, last) = *state;
            let refilled =
                (tokens + now.duration_since(last).as_secs_f64() * self.rate).min(self.burst);
            let left = refilled - units;
            *state = (left, now);
            if left >= 0.0 {
                return;
            }
            Duration::from_secs_f64(-left / self.rate)
        };
        tokio::time::sleep(wait).await;
    }

    /// Records `units` consumed beyond what was taken up front, without waiting.
    pub(super) async fn charge(&self, units: f64) {
        if units > 0.0 {
            self.state.lock().await.0 -= units;
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
        let bucket = CapacityBucket::new(5);
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
        let bucket = CapacityBucket::new(10);
        bucket.take(3000.0).await; // empties the burst
        bucket.charge(20.0).await; // a large read turned out bigger than charged
        let start = Instant::now();
        bucket.take(10.0).await;
        let elapsed = start.elapsed().as_secs_f64();
        assert!((elapsed - 3.0).abs() < 0.01, "{elapsed}");
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
