//! Typed access to request bodies, with Vault's lenient conversions and precise errors.
//!
//! Vault's framework accepts `"5"` for an integer field and `"true"` for a boolean; clients and
//! the CLI rely on that (the CLI sends every `key=value` as a string). A value that cannot be
//! converted is an error naming the field and what was expected, never a silent default.

use std::time::Duration;

use serde_json::{Map, Value};

use super::LogicalError;
use crate::timefmt::parse_duration;

/// Read-only typed view of a request body.
pub struct Fields<'a> {
    data: &'a Map<String, Value>,
}

fn invalid(name: &str, expected: &str, got: &Value) -> LogicalError {
    let shown = match got {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    };
    LogicalError::InvalidRequest(format!(
        "invalid value for {name:?}: expected {expected}, got {shown}"
    ))
}

impl<'a> Fields<'a> {
    /// A view of `data`.
    pub fn new(data: &'a Map<String, Value>) -> Self {
        Self { data }
    }

    fn get(&self, name: &str) -> Option<&'a Value> {
        self.data.get(name).filter(|v| !v.is_null())
    }

    /// A string field; numbers and booleans are accepted in their JSON spelling.
    pub fn string(&self, name: &str) -> Result<Option<String>, LogicalError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v @ (Value::Number(_) | Value::Bool(_))) => Ok(Some(v.to_string())),
            Some(v) => Err(invalid(name, "a string", v)),
        }
    }

    /// A non-negative integer field; numeric strings are accepted.
    pub fn uint(&self, name: &str) -> Result<Option<u64>, LogicalError> {
        match self.get(name) {
            None => Ok(None),
            Some(v @ Value::Number(n)) => n
                .as_u64()
                .map(Some)
                .ok_or_else(|| invalid(name, "a non-negative integer", v)),
            Some(v @ Value::String(s)) => s
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| invalid(name, "a non-negative integer", v)),
            Some(v) => Err(invalid(name, "a non-negative integer", v)),
        }
    }

    /// A boolean field; `"true"`, `"false"`, `"1"`, `"0"` are accepted.
    pub fn boolean(&self, name: &str) -> Result<Option<bool>, LogicalError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(v @ Value::String(s)) => parse_bool(s)
                .map(Some)
                .ok_or_else(|| invalid(name, "a boolean", v)),
            Some(v @ Value::Number(n)) => match n.as_u64() {
                Some(0) => Ok(Some(false)),
                Some(1) => Ok(Some(true)),
                _ => Err(invalid(name, "a boolean", v)),
            },
            Some(v) => Err(invalid(name, "a boolean", v)),
        }
    }

    /// A duration field: seconds as a number or string, or a Go duration string (`"1h"`).
    pub fn duration(&self, name: &str) -> Result<Option<Duration>, LogicalError> {
        match self.get(name) {
            None => Ok(None),
            Some(v @ Value::Number(n)) => n
                .as_u64()
                .map(|s| Some(Duration::from_secs(s)))
                .ok_or_else(|| invalid(name, "a duration", v)),
            // The CLI sends "" for a flag it was not given: "not set", as Vault reads it.
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(v @ Value::String(s)) => parse_duration(s)
                .map(Some)
                .map_err(|_| invalid(name, "a duration such as \"1h\" or 3600", v)),
            Some(v) => Err(invalid(name, "a duration", v)),
        }
    }

    /// A list of strings: a JSON array, or one comma-separated string as the CLI sends.
    pub fn string_list(&self, name: &str) -> Result<Vec<String>, LogicalError> {
        match self.get(name) {
            None => Ok(Vec::new()),
            Some(Value::String(s)) => Ok(s
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect()),
            Some(v @ Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s.clone()),
                    _ => Err(invalid(name, "a list of strings", v)),
                })
                .collect(),
            Some(v) => Err(invalid(name, "a list of strings", v)),
        }
    }

    /// A list where one string is one element, not split on commas (Vault's
    /// `TypeStringSlice`: SQL statements contain commas).
    pub fn string_slice(&self, name: &str) -> Result<Vec<String>, LogicalError> {
        match self.get(name) {
            Some(Value::String(s)) => Ok(vec![s.clone()]),
            _ => self.string_list(name),
        }
    }

    /// Whether the body sets `name` (to anything but null).
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// A map of string values (mount `options`); scalar values are converted to strings.
    pub fn string_map(
        &self,
        name: &str,
    ) -> Result<Option<std::collections::BTreeMap<String, String>>, LogicalError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Object(map)) => map
                .iter()
                .map(|(k, v)| match v {
                    Value::String(s) => Ok((k.clone(), s.clone())),
                    Value::Number(_) | Value::Bool(_) => Ok((k.clone(), v.to_string())),
                    other => Err(invalid(&format!("{name}.{k}"), "a string", other)),
                })
                .collect::<Result<_, _>>()
                .map(Some),
            Some(v) => Err(invalid(name, "an object", v)),
        }
    }

    /// A nested object field.
    pub fn object(&self, name: &str) -> Result<Option<&'a Map<String, Value>>, LogicalError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map)),
            Some(v) => Err(invalid(name, "an object", v)),
        }
    }
}

/// Parses the boolean spellings Go's `strconv.ParseBool` accepts.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim() {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn lenient_conversions_like_vault() {
        let data = body(json!({"n": "5", "b": "true", "d": "1h", "s": 7, "z": null, "e": ""}));
        let f = Fields::new(&data);
        assert_eq!(f.uint("n").unwrap(), Some(5));
        assert_eq!(f.boolean("b").unwrap(), Some(true));
        assert_eq!(f.duration("d").unwrap(), Some(Duration::from_secs(3600)));
        assert_eq!(f.string("s").unwrap(), Some("7".into()));
        assert_eq!(f.string("z").unwrap(), None);
        assert_eq!(f.duration("e").unwrap(), None);
        assert_eq!(f.string("missing").unwrap(), None);
        let lists = body(json!({"a": "x, y,", "b": ["p", "q"], "c": [1]}));
        let f = Fields::new(&lists);
        assert_eq!(f.string_list("a").unwrap(), vec!["x", "y"]);
        assert_eq!(f.string_list("b").unwrap(), vec!["p", "q"]);
        assert!(f.string_list("c").is_err());
        assert!(f.string_list("none").unwrap().is_empty());
    }

    #[test]
    fn errors_name_the_field_and_the_expectation() {
        let data = body(json!({"secret_shares": "five", "flag": [1], "ttl": "forever"}));
        let f = Fields::new(&data);
        assert_eq!(
            f.uint("secret_shares").unwrap_err().to_string(),
            "invalid value for \"secret_shares\": expected a non-negative integer, got \"five\""
        );
        assert_eq!(
            f.boolean("flag").unwrap_err().to_string(),
            "invalid value for \"flag\": expected a boolean, got [1]"
        );
        assert!(f
            .duration("ttl")
            .unwrap_err()
            .to_string()
            .contains("\"ttl\": expected a duration"));
    }
}
