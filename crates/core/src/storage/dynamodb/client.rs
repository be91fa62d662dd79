//! The DynamoDB SDK client: the shared AWS set-up (see [`crate::aws`]) plus the endpoint
//! override and adaptive retries.

use aws_config::retry::RetryConfig;
use aws_sdk_dynamodb::Client;

use super::DynamoDbSettings;
use crate::aws;

/// Attempts per request when `dynamodb_max_retries` is not set.
const DEFAULT_ATTEMPTS: u32 = 3;

/// A DynamoDB client for `settings`.
pub(super) async fn connect(settings: &DynamoDbSettings) -> Client {
    let attempts = settings.max_retries.map_or(DEFAULT_ATTEMPTS, |r| r + 1);
    // Adaptive retries add the SDK's own client-side rate limiting when DynamoDB throttles,
    // on top of the capacity limiter in `throttle`.
    let shared = aws::sdk_config(
        &settings.region,
        settings.credentials.as_ref(),
        RetryConfig::adaptive().with_max_attempts(attempts),
    )
    .await;
    let mut config = aws_sdk_dynamodb::config::Builder::from(&shared);
    if let Some(endpoint) = &settings.endpoint {
        config = config.endpoint_url(endpoint);
    }
    Client::from_conf(config.build())
}
