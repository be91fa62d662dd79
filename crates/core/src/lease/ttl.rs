//! Vault's lease TTL arithmetic (`framework.CalculateTTL`).
//!
//! Three rules users trip over, kept exactly: an increment *replaces* the TTL counted from now
//! (it never adds to what is left); the hard ceiling counts from the original issue time, so
//! renewing cannot stretch a lease past `issue + max_ttl`; and hitting the ceiling caps the TTL
//! with a warning, while being past it is an error.

use super::LeaseError;

/// The TTL defaults and caps that apply to a mount: its own tune values, else the server's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TtlLimits {
    /// Seconds used when neither the request nor the engine names a TTL.
    pub default_ttl: u64,
    /// The longest a lease may live, in seconds from its issue time.
    pub max_ttl: u64,
}

/// One TTL question: all durations in seconds, times in Unix milliseconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct TtlRequest {
    /// The TTL asked for at renewal (0: none).
    pub increment: u64,
    /// The engine's TTL for this secret (0: use the mount default).
    pub backend_ttl: u64,
    /// The engine's cap (0: none).
    pub backend_max_ttl: u64,
    /// A per-token hard cap (0: none).
    pub explicit_max_ttl: u64,
    /// When the lease was first issued.
    pub issue_ms: i64,
    /// Now.
    pub now_ms: i64,
}

/// The TTL granted, in milliseconds (so expiry is exact), and the warning when it was capped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ttl {
    /// Milliseconds from now.
    pub ttl_ms: i64,
    /// `TTL of "…" exceeded the effective max_ttl of "…"; TTL value is capped accordingly`.
    pub warning: Option<String>,
}

impl Ttl {
    /// Whole seconds as the API reports them (`lease_duration`), rounded like Vault.
    pub fn seconds(&self) -> u64 {
        ((self.ttl_ms + 500) / 1000).max(0) as u64
    }
}

/// Computes the TTL for an issue (`increment` 0, `issue_ms` = now) or a renewal.
pub fn calculate(limits: TtlLimits, req: TtlRequest) -> Result<Ttl, LeaseError> {
    let mut max_ttl = limits.max_ttl;
    for cap in [req.backend_max_ttl, req.explicit_max_ttl] {
        if cap > 0 && cap < max_ttl {
            max_ttl = cap;
        }
    }
    if max_ttl == 0 {
        return Err(LeaseError::Invalid(
            "max TTL must be greater than zero".into(),
        ));
    }
    let wanted = if req.increment > 0 {
        req.increment
    } else if req.backend_ttl > 0 {
        req.backend_ttl
    } else {
        limits.default_ttl
    };
    let ceiling = req.issue_ms + secs_to_ms(max_ttl);
    if req.now_ms > ceiling {
        return Err(LeaseError::Invalid("past the max TTL, cannot renew".into()));
    }
    let room = ceiling - req.now_ms;
    if secs_to_ms(wanted) > room {
        return Ok(Ttl {
            ttl_ms: room,
            warning: Some(format!(
                "TTL of {:?} exceeded the effective max_ttl of {:?}; TTL value is capped accordingly",
                go_duration(wanted),
                go_duration((room / 1000) as u64)
            )),
        });
    }
    Ok(Ttl {
        ttl_ms: secs_to_ms(wanted),
        warning: None,
    })
}

fn secs_to_ms(secs: u64) -> i64 {
    i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX / 2)
}

/// A duration the way Go prints it (`1h0m0s`, `2m30s`, `45s`), which Vault's warnings use.
pub fn go_duration(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m{s}s"),
        _ => format!("{h}h{m}m{s}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: TtlLimits = TtlLimits {
        default_ttl: 768 * 3600,
        max_ttl: 768 * 3600,
    };
    const T0: i64 = 1_700_000_000_000;

    fn ask(increment: u64, backend: u64, backend_max: u64, now_ms: i64) -> Result<Ttl, LeaseError> {
        calculate(
            LIMITS,
            TtlRequest {
                increment,
                backend_ttl: backend,
                backend_max_ttl: backend_max,
                explicit_max_ttl: 0,
                issue_ms: T0,
                now_ms,
            },
        )
    }

    #[test]
    fn the_tutorial_role_issues_one_hour() {
        let ttl = ask(0, 3600, 86_400, T0).unwrap();
        assert_eq!(
            (ttl.ttl_ms, ttl.seconds(), ttl.warning),
            (3_600_000, 3600, None)
        );
    }

    #[test]
    fn without_engine_ttl_the_mount_default_applies() {
        let limits = TtlLimits {
            default_ttl: 600,
            max_ttl: 7200,
        };
        let req = TtlRequest {
            issue_ms: T0,
            now_ms: T0,
            ..TtlRequest::default()
        };
        assert_eq!(calculate(limits, req).unwrap().seconds(), 600);
    }

    #[test]
    fn an_increment_replaces_the_ttl_from_now() {
        // Half an hour in, renewing by 10 minutes leaves 10 minutes, not 40.
        let ttl = ask(600, 3600, 86_400, T0 + 1_800_000).unwrap();
        assert_eq!(ttl.seconds(), 600);
        assert_eq!(ttl.warning, None);
    }

    #[test]
    fn the_ceiling_counts_from_issue_time_and_warns() {
        // 23 h in, a 2 h increment is capped at the 1 h left of the 24 h max.
        let ttl = ask(7200, 3600, 86_400, T0 + 23 * 3_600_000).unwrap();
        assert_eq!(ttl.seconds(), 3600);
        assert_eq!(
            ttl.warning.as_deref(),
            Some("TTL of \"2h0m0s\" exceeded the effective max_ttl of \"1h0m0s\"; TTL value is capped accordingly")
        );
    }

    #[test]
    fn past_the_ceiling_is_an_error() {
        let err = ask(60, 3600, 86_400, T0 + 86_400_001).unwrap_err();
        assert_eq!(err.to_string(), "past the max TTL, cannot renew");
    }

    #[test]
    fn the_smallest_cap_wins() {
        let limits = TtlLimits {
            default_ttl: 3600,
            max_ttl: 1000,
        };
        let req = TtlRequest {
            backend_ttl: 5000,
            backend_max_ttl: 2000,
            explicit_max_ttl: 1500,
            issue_ms: T0,
            now_ms: T0,
            ..TtlRequest::default()
        };
        assert_eq!(calculate(limits, req).unwrap().seconds(), 1000);
        let zero = TtlLimits {
            default_ttl: 0,
            max_ttl: 0,
        };
        assert_eq!(
            calculate(zero, req).unwrap_err().to_string(),
            "max TTL must be greater than zero"
        );
    }

    #[test]
    fn go_durations_print_like_go() {
        assert_eq!(go_duration(0), "0s");
        assert_eq!(go_duration(45), "45s");
        assert_eq!(go_duration(150), "2m30s");
        assert_eq!(go_duration(86_400), "24h0m0s");
    }
}
