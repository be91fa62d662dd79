//! The SDK client: credentials, region, endpoint, timeouts and retries.
//!
//! Credentials come from the config's keys when given, else from the SDK's own chain
//! (environment, profiles and SSO, web identity, ECS, instance metadata). The instance
//! metadata look-up gets a one-second budget: off EC2 the default chain can otherwise spend
//! many seconds timing out before reporting "no credentials".

use std::time::Duration;

use aws_config::default_provider::credentials::DefaultCredentialsChain;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_dynamodb::config::Credentials;
use aws_sdk_dynamodb::Client;

use super::DynamoDbSettings;

/// How long to wait for a TCP connection to DynamoDB.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// How long one attempt of a request may take.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(4);
/// How long a request may take over all its attempts: callers see a clear error after this
/// rather than hanging while DynamoDB is unreachable.
const OPERATION_TIMEOUT: Duration = Duration::from_secs(10);
/// Attempts per request when `dynamodb_max_retries` is not set.
const DEFAULT_ATTEMPTS: u32 = 3;
/// The budget of an instance metadata look-up.
const IMDS_TIMEOUT: Duration = Duration::from_secs(1);

/// A DynamoDB client for `settings`.
pub(super) async fn connect(settings: &DynamoDbSettings) -> Client {
    let region = Region::new(settings.region.clone());
    let attempts = settings.max_retries.map_or(DEFAULT_ATTEMPTS, |r| r + 1);
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(region.clone())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .operation_timeout(OPERATION_TIMEOUT)
                .build(),
        )
        // Adaptive retries add the SDK's own client-side rate limiting when DynamoDB
        // throttles, on top of the capacity limiter in `throttle`.
        .retry_config(RetryConfig::adaptive().with_max_attempts(attempts));
    loader = match &settings.credentials {
        Some(c) => loader.credentials_provider(Credentials::new(
            c.access_key.clone(),
            c.secret_key.to_string(),
            c.session_token.as_ref().map(|t| t.to_string()),
            None,
            "strongroom-config",
        )),
        None => {
            let imds = aws_config::imds::Client::builder()
                .connect_timeout(IMDS_TIMEOUT)
                .read_timeout(IMDS_TIMEOUT)
                .max_attempts(1)
                .build();
            loader.credentials_provider(
                DefaultCredentialsChain::builder()
                    .region(region)
                    .imds_client(imds)
                    .build()
                    .await,
            )
        }
    };
    let shared = loader.load().await;
    let mut config = aws_sdk_dynamodb::config::Builder::from(&shared);
    if let Some(endpoint) = &settings.endpoint {
        config = config.endpoint_url(endpoint);
    }
    Client::from_conf(config.build())
}
