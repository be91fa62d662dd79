//! What the DynamoDB storage and the AWS KMS seal share about talking to AWS: credentials,
//! region discovery, timeouts, and turning SDK errors into one readable line.
//!
//! Credentials come from the config's keys when given, else from the SDK's own chain
//! (environment, profiles and SSO, web identity, ECS, instance metadata). Instance metadata
//! gets a one-second budget: off EC2 the default chain can otherwise spend many seconds (Vault
//! 1.4: two minutes) timing out before reporting "no credentials".

use std::fmt;
use std::time::Duration;

use aws_config::default_provider::credentials::DefaultCredentialsChain;
use aws_config::environment::region::EnvironmentVariableRegionProvider;
use aws_config::imds::region::ImdsRegionProvider;
use aws_config::meta::region::RegionProviderChain;
use aws_config::profile::ProfileFileRegionProvider;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::config::Credentials;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use zeroize::Zeroizing;

/// The region used when neither the config, the environment, a profile nor instance
/// metadata names one.
pub const DEFAULT_REGION: &str = "us-east-1";

/// How long to wait for a TCP connection to an AWS endpoint.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// How long one attempt of a request may take.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(4);
/// How long a request may take over all its attempts: callers see a clear error after this
/// rather than hanging while the service is unreachable.
const OPERATION_TIMEOUT: Duration = Duration::from_secs(10);
/// The budget of an instance metadata look-up.
const IMDS_TIMEOUT: Duration = Duration::from_secs(1);

/// Keys given in the config file (`access_key`, `secret_key`, `session_token`).
#[derive(Clone, PartialEq, Eq)]
pub struct StaticCredentials {
    /// The access key id (not secret; shown in AWS logs).
    pub access_key: String,
    /// The secret access key.
    pub secret_key: Zeroizing<String>,
    /// A session token for temporary credentials.
    pub session_token: Option<Zeroizing<String>>,
}

impl fmt::Debug for StaticCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticCredentials")
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl StaticCredentials {
    /// The credentials from a block's `access_key`, `secret_key` and `session_token`
    /// (`config` looks a key up): none when no key is given, so the SDK chain is used; an
    /// inconsistent set is an error naming the key and what is wrong with it.
    pub fn from_config(
        config: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, (&'static str, &'static str)> {
        let value = |key| config(key).filter(|s| !s.is_empty());
        let session_token = value("session_token");
        match (value("access_key"), value("secret_key")) {
            (Some(access_key), Some(secret_key)) => Ok(Some(Self {
                access_key,
                secret_key: Zeroizing::new(secret_key),
                session_token: session_token.map(Zeroizing::new),
            })),
            (None, None) if session_token.is_none() => Ok(None),
            (None, None) => Err(("session_token", "needs access_key and secret_key beside it")),
            (Some(_), None) => Err((
                "access_key",
                "is set but secret_key is not; give both, or neither to use the AWS credential \
                 chain",
            )),
            (None, Some(_)) => Err((
                "secret_key",
                "is set but access_key is not; give both, or neither to use the AWS credential \
                 chain",
            )),
        }
    }
}

/// A setting that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {message}")]
pub struct SettingError {
    /// The config key, with the environment variable when the value came from one.
    pub key: String,
    /// What is wrong with its value.
    pub message: String,
}

impl SettingError {
    pub(crate) fn new(key: impl Into<String>, message: String) -> Self {
        Self {
            key: key.into(),
            message,
        }
    }

    /// The config key alone (`read_capacity` for `read_capacity (from AWS_...)`).
    pub fn config_key(&self) -> &str {
        self.key.split(' ').next().unwrap_or(&self.key)
    }
}

/// A setting's value: the first non-empty environment variable among `vars`, else the config
/// key, with the name errors should use (`region (from AWS_REGION)`). Vault lets the
/// environment beat the file for these settings; operators rely on it.
pub(crate) fn pick(
    config: &dyn Fn(&str) -> Option<String>,
    env: &dyn Fn(&str) -> Option<String>,
    key: &'static str,
    vars: &[&'static str],
) -> Option<(String, String)> {
    vars.iter()
        .find_map(|v| {
            env(v)
                .filter(|s| !s.trim().is_empty())
                .map(|s| (s, format!("{key} (from {v})")))
        })
        .or_else(|| config(key).map(|s| (s, key.to_owned())))
}

/// An AWS region name, trimmed.
pub(crate) fn check_region(region: &str) -> Result<String, String> {
    let region = region.trim();
    let ok = !region.is_empty()
        && region.len() <= 64
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(region.to_owned())
    } else {
        Err(format!(
            "{region:?} is not an AWS region name (such as us-east-1)"
        ))
    }
}

/// An `http(s)://` endpoint URL, trimmed.
pub(crate) fn check_endpoint(endpoint: &str) -> Result<String, String> {
    let endpoint = endpoint.trim();
    let rest = endpoint
        .strip_prefix("http://")
        .or_else(|| endpoint.strip_prefix("https://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') => Ok(endpoint.to_owned()),
        _ => Err(format!(
            "{endpoint:?} is not an endpoint URL (such as http://127.0.0.1:8000)"
        )),
    }
}

fn imds_client() -> aws_config::imds::Client {
    aws_config::imds::Client::builder()
        .connect_timeout(IMDS_TIMEOUT)
        .read_timeout(IMDS_TIMEOUT)
        .max_attempts(1)
        .build()
}

/// The region from the SDK's chain (`AWS_REGION`, `AWS_DEFAULT_REGION`, the profile, then
/// instance metadata within a second), else [`DEFAULT_REGION`].
pub async fn discover_region() -> String {
    RegionProviderChain::first_try(EnvironmentVariableRegionProvider::new())
        .or_else(ProfileFileRegionProvider::new())
        .or_else(
            ImdsRegionProvider::builder()
                .imds_client(imds_client())
                .build(),
        )
        .region()
        .await
        .map_or_else(|| DEFAULT_REGION.to_owned(), |r| r.to_string())
}

/// The shared SDK configuration for one client: region, credentials, timeouts, retries.
pub async fn sdk_config(
    region: &str,
    credentials: Option<&StaticCredentials>,
    retry: RetryConfig,
) -> SdkConfig {
    let region = Region::new(region.to_owned());
    let loader = aws_config::defaults(BehaviorVersion::latest())
        .region(region.clone())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .operation_timeout(OPERATION_TIMEOUT)
                .build(),
        )
        .retry_config(retry);
    let loader = match credentials {
        Some(c) => loader.credentials_provider(Credentials::new(
            c.access_key.clone(),
            c.secret_key.to_string(),
            c.session_token.as_ref().map(|t| t.to_string()),
            None,
            "strongroom-config",
        )),
        None => loader.credentials_provider(
            DefaultCredentialsChain::builder()
                .region(region)
                .imds_client(imds_client())
                .build()
                .await,
        ),
    };
    loader.load().await
}

/// An SDK error as one line naming what went wrong: the service's code and message, a
/// timeout, or the connection failure with its causes (never a Debug dump).
pub fn describe_error<E>(service: &str, err: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match err {
        SdkError::ServiceError(failure) => {
            let e = failure.err();
            match (e.code(), e.message()) {
                (Some(code), Some(message)) => format!("{code}: {message}"),
                (Some(code), None) => code.to_owned(),
                _ => unparsed_answer(failure.raw()),
            }
        }
        SdkError::TimeoutError(_) => {
            format!("no answer from {service} in time (request timed out)")
        }
        SdkError::DispatchFailure(d) if d.is_io() || d.is_timeout() => {
            format!("cannot reach {service}: {}", causes(err))
        }
        _ => causes(err),
    }
}

/// The error code AWS answered with, if the request got an answer the SDK understood.
pub fn error_code<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> Option<&str> {
    match err {
        SdkError::ServiceError(failure) => failure.err().code(),
        _ => None,
    }
}

/// The part of a configuration an AWS failure points at: what a setup form highlights, so
/// "Test connection" can say *which* setting is wrong rather than only that something is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Culprit {
    /// The configured endpoint does not answer.
    Endpoint,
    /// No service answers for the region, or the region name is not one AWS has.
    Region,
    /// The keys are missing, unknown to AWS, malformed or expired.
    Credentials,
    /// The credentials work but may not perform the operation.
    Permissions,
    /// The named resource (table, key) does not exist.
    Resource,
    /// Anything else: the service's own message says what.
    Service,
}

/// A failed setup check: the setting at fault and a message that says what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ProbeError {
    /// The setting the failure points at.
    pub culprit: Culprit,
    /// What failed and what to do.
    pub message: String,
}

/// Asks the SDK's credential chain (as clients without configured keys use it) for
/// credentials, so that "none found" is reported as such before any request is signed.
pub(crate) async fn check_chain_credentials(region: &str) -> Result<(), ProbeError> {
    use aws_sdk_dynamodb::config::ProvideCredentials;
    DefaultCredentialsChain::builder()
        .region(Region::new(region.to_owned()))
        .imds_client(imds_client())
        .build()
        .await
        .provide_credentials()
        .await
        .map(drop)
        .map_err(|e| ProbeError {
            culprit: Culprit::Credentials,
            message: format!(
                "no AWS credentials found (environment, profiles, SSO, instance role): {e}; \
                 enter access keys or configure a profile"
            ),
        })
}

/// AWS error codes that mean the caller's keys are at fault, not its permissions.
const CREDENTIAL_CODES: &[&str] = &[
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "ExpiredTokenException",
    "ExpiredToken",
    "MissingAuthenticationToken",
    "MissingAuthenticationTokenException",
    "IncompleteSignature",
    "IncompleteSignatureException",
];

/// The AWS regions (commercial, GovCloud and China partitions) as of this build. Only used to
/// tell a mistyped region from an unreachable service and to suggest the intended name; a
/// region newer than this list still works wherever AWS answers for it.
pub const KNOWN_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-west-1",
    "us-west-2",
];

/// Whether `region` is in [`KNOWN_REGIONS`].
pub fn is_known_region(region: &str) -> bool {
    KNOWN_REGIONS.contains(&region)
}

/// The known region closest to a mistyped one (at most two edits away), if any.
pub fn suggest_region(region: &str) -> Option<&'static str> {
    KNOWN_REGIONS
        .iter()
        .map(|known| (edit_distance(region, known), *known))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, known)| known)
}

/// Levenshtein distance, with transpositions counting once (the typo `esat` for `east`).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// Which setting a failed request points at. `endpoint_given` says whether the user set an
/// endpoint (then an unreachable service is that endpoint's fault, else the region's); an
/// error the service could not explain is blamed on an unknown region name when there is one,
/// since that is what both AWS (no such host) and emulators (HTTP 500) fail on.
pub fn culprit<E: ProvideErrorMetadata>(
    err: &SdkError<E, HttpResponse>,
    endpoint_given: bool,
    region: &str,
) -> Culprit {
    let unreachable = if endpoint_given {
        Culprit::Endpoint
    } else {
        Culprit::Region
    };
    match err {
        // Proxies and emulators may answer a JSON API with an XML error: read its code too.
        SdkError::ServiceError(failure) => match failure
            .err()
            .code()
            .map(str::to_owned)
            .or_else(|| raw_tag(failure.raw(), "Code"))
            .as_deref()
        {
            Some(code) if CREDENTIAL_CODES.contains(&code) => Culprit::Credentials,
            Some(code) if code.starts_with("AccessDenied") => Culprit::Permissions,
            Some("ResourceNotFoundException" | "NotFoundException") => Culprit::Resource,
            _ if !is_known_region(region) => Culprit::Region,
            _ => Culprit::Service,
        },
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) if !is_known_region(region) => {
            Culprit::Region
        }
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) => unreachable,
        _ if !is_known_region(region) => Culprit::Region,
        _ => Culprit::Service,
    }
}

/// Why `region` may be wrong, for a message: "not an AWS region (did you mean us-east-1?)".
pub fn region_hint(region: &str) -> String {
    match suggest_region(region) {
        Some(known) => format!("{region:?} is not an AWS region (did you mean {known}?)"),
        None => format!("{region:?} is not an AWS region this build knows"),
    }
}

/// The message for a failure blamed on the region: a wrong name, or a known region whose
/// service cannot be reached from here.
pub fn region_failure(service: &str, region: &str, cause: &str) -> String {
    if is_known_region(region) {
        format!("cannot reach {service} in {region} (no network, or a proxy in the way?): {cause}")
    } else {
        // What the endpoint said about a region that does not exist is noise.
        region_hint(region)
    }
}

/// The innermost cause of an error: for a connection failure, the OS's own words
/// ("Connection refused (os error 111)") without the layers of the HTTP stack above it.
pub fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut last = err;
    // Bounded: error chains are short, but a cyclic one must not hang the server.
    for _ in 0..16 {
        match last.source() {
            Some(next) => last = next,
            None => break,
        }
    }
    last.to_string()
}

/// An answer the SDK could not parse (a proxy's page, or moto's XML errors): its status and
/// the `<Message>` in it, or the start of its body.
fn unparsed_answer(raw: &HttpResponse) -> String {
    let body = raw
        .body()
        .bytes()
        .map(String::from_utf8_lossy)
        .unwrap_or_default();
    // An HTML error page says what it is in its title; anything else is cut short.
    let message = raw_tag(raw, "Message")
        .or_else(|| raw_tag(raw, "title"))
        .unwrap_or_else(|| body.chars().take(200).collect());
    format!("HTTP {}: {}", raw.status().as_u16(), message.trim())
}

/// The text of the first `<tag>…</tag>` in an answer's body (XML errors, HTML pages).
fn raw_tag(raw: &HttpResponse, tag: &str) -> Option<String> {
    let body = String::from_utf8_lossy(raw.body().bytes()?);
    let (_, rest) = body.split_once(&format!("<{tag}>"))?;
    let (text, _) = rest.split_once(&format!("</{tag}>"))?;
    Some(text.trim().to_owned())
}

/// An error and its causes in one line, without the repetition of nested messages.
fn causes(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(err);
    // Bounded: error chains are short, but a cyclic one must not hang the server.
    for _ in 0..16 {
        let Some(e) = next else { break };
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mistyped_regions_get_a_suggestion() {
        assert!(is_known_region("eu-west-1"));
        assert!(!is_known_region("us-esat-1"));
        assert_eq!(suggest_region("us-esat-1"), Some("us-east-1"));
        assert_eq!(suggest_region("eu-wets-2"), Some("eu-west-2"));
        assert_eq!(suggest_region("xx-nowhere-9"), None);
        assert_eq!(
            region_hint("us-esat-1"),
            "\"us-esat-1\" is not an AWS region (did you mean us-east-1?)"
        );
        assert_eq!(
            region_hint("mars-1"),
            "\"mars-1\" is not an AWS region this build knows"
        );
        assert_eq!(
            region_failure("DynamoDB", "us-esat-1", "HTTP 500"),
            region_hint("us-esat-1")
        );
        assert!(region_failure("DynamoDB", "eu-west-1", "timed out").ends_with(": timed out"));
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn credentials_need_both_halves_and_never_print_the_secret() {
        let keys = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(StaticCredentials::from_config(&keys(&[])), Ok(None));
        assert_eq!(
            StaticCredentials::from_config(&keys(&[("access_key", "AKIA")]))
                .unwrap_err()
                .0,
            "access_key"
        );
        assert_eq!(
            StaticCredentials::from_config(&keys(&[("session_token", "t")]))
                .unwrap_err()
                .0,
            "session_token"
        );
        let c = StaticCredentials::from_config(&keys(&[
            ("access_key", "AKIA"),
            ("secret_key", "very-secret"),
            ("session_token", "sess-secret-value"),
        ]))
        .unwrap()
        .unwrap();
        let shown = format!("{c:?}");
        assert!(
            shown.contains("AKIA")
                && !shown.contains("very-secret")
                && !shown.contains("sess-secret-value")
        );
    }
}
