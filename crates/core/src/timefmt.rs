//! Time formats Vault clients expect: RFC 3339 timestamps and Go duration strings.

use std::time::Duration;

use time::{format_description::well_known::Rfc3339, OffsetDateTime};

/// `t` as RFC 3339 with nanoseconds, as Go's `time.Time` marshals.
pub fn format_rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

/// Why a duration did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid duration {input:?}: {reason}")]
pub struct DurationError {
    input: String,
    reason: &'static str,
}

/// Parses a duration as Vault does: a bare number is seconds; otherwise Go's syntax
/// (`"768h"`, `"1h30m"`, `"1.5s"`, `"250ms"`), non-negative.
pub fn parse_duration(input: &str) -> Result<Duration, DurationError> {
    let fail = |reason| DurationError {
        input: input.to_owned(),
        reason,
    };
    let s = input.trim();
    if s.is_empty() {
        return Err(fail("empty"));
    }
    if let Ok(secs) = s.parse::<u64>() {
        return Ok(Duration::from_secs(secs));
    }
    if s.starts_with('-') {
        return Err(fail("must not be negative"));
    }
    let s = s.strip_prefix('+').unwrap_or(s);
    let mut total = 0f64;
    let mut rest = s;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or(fail("missing unit"))?;
        if num_len == 0 {
            return Err(fail("expected a number"));
        }
        let value: f64 = rest[..num_len].parse().map_err(|_| fail("bad number"))?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return Err(fail("unknown unit (use ns, us, ms, s, m or h)")),
        };
        total += value * scale;
        rest = &rest[unit_len..];
    }
    if !total.is_finite() || total > u64::MAX as f64 / 2.0 {
        return Err(fail("too large"));
    }
    Ok(Duration::from_secs_f64(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_seconds_and_go_durations() {
        assert_eq!(parse_duration("3600").unwrap(), Duration::from_secs(3600));
        assert_eq!(
            parse_duration("768h").unwrap(),
            Duration::from_secs(768 * 3600)
        );
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse_duration("0").unwrap(), Duration::ZERO);
    }

    #[test]
    fn rejects_garbage_with_a_reason() {
        for bad in ["", "h", "10x", "-5s", "1h-", "abc"] {
            let err = parse_duration(bad).unwrap_err();
            assert!(
                err.to_string().starts_with("invalid duration"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        let t = OffsetDateTime::from_unix_timestamp(0).unwrap();
        assert_eq!(format_rfc3339(t), "1970-01-01T00:00:00Z");
    }
}
