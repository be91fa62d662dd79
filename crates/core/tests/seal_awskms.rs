//! The AWS KMS seal against moto_server's KMS: Vault's envelope format, decrypting after the
//! alias moved to a new key, the KMS requests an unseal costs, and the one-line errors for an
//! unknown key, a disabled key and an unreachable endpoint.

use std::sync::Arc;

use aws_config::{BehaviorVersion, Region};
use aws_sdk_kms::config::Credentials;
use aws_sdk_kms::Client;
use strongroom_core::node::{AutoUnseal, InitRequest, Node, NodeOptions};
use strongroom_core::seal::awskms::{AwsKms, AwsKmsSettings, KmsCalls};
use strongroom_core::seal::{Seal, Wrapper};
use strongroom_core::storage::dynamodb::StaticCredentials;
use strongroom_core::storage::{Backend, InmemBackend};
use strongroom_testkit::MotoServer;

async fn sdk(moto: &MotoServer) -> Client {
    let conf = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(moto.endpoint())
        .credentials_provider(Credentials::new("test", "test", None, None, "test"))
        .load()
        .await;
    Client::new(&conf)
}

/// A new key; returns (key id, ARN).
async fn create_key(kms: &Client) -> (String, String) {
    let meta = kms.create_key().send().await.unwrap().key_metadata.unwrap();
    (meta.key_id, meta.arn.unwrap())
}

fn settings(endpoint: &str, key_id: &str) -> AwsKmsSettings {
    let mut s = AwsKmsSettings::for_key(key_id);
    s.endpoint = Some(endpoint.to_owned());
    s.region = Some("us-east-1".into());
    s.credentials = Some(StaticCredentials {
        access_key: "test".into(),
        secret_key: "test".to_owned().into(),
        session_token: None,
    });
    s
}

#[tokio::test(flavor = "multi_thread")]
async fn envelope_blobs_name_the_key_arn_and_survive_an_alias_move() {
    let moto = MotoServer::start().unwrap();
    let kms = sdk(&moto).await;
    let (first, first_arn) = create_key(&kms).await;
    kms.create_alias()
        .alias_name("alias/strongroom")
        .target_key_id(&first)
        .send()
        .await
        .unwrap();
    let seal = AwsKms::connect(settings(&moto.endpoint(), "alias/strongroom")).await;

    let blob = seal.encrypt(b"the root key").await.unwrap();
    let info = blob.key_info.as_ref().unwrap();
    assert_eq!(info.mechanism, 1, "AwsKmsEnvelopeAesGcmEncrypt");
    assert_eq!(info.key_id, first_arn, "KMS names the key behind the alias");
    assert!(!info.wrapped_key.is_empty());
    assert_eq!(blob.iv.len(), 12);
    assert_eq!(blob.ciphertext.len(), b"the root key".len() + 16);
    assert!(!blob.ciphertext.windows(4).any(|w| w == b"root"));
    assert_eq!(
        *seal.decrypt(&blob).await.unwrap(),
        b"the root key".to_vec()
    );

    // The alias moves to a new key: the old blob still decrypts (KMS finds the key from the
    // blob), and the seal now reports and uses the new key.
    let (second, second_arn) = create_key(&kms).await;
    kms.update_alias()
        .alias_name("alias/strongroom")
        .target_key_id(&second)
        .send()
        .await
        .unwrap();
    assert_eq!(
        *seal.decrypt(&blob).await.unwrap(),
        b"the root key".to_vec()
    );
    assert_eq!(seal.describe_key().await.unwrap().arn, second_arn);
    assert_eq!(seal.current_key_arn().as_deref(), Some(second_arn.as_str()));
    let fresh = seal.encrypt(b"x").await.unwrap();
    assert_eq!(fresh.kms_key_id(), Some(second_arn.as_str()));
    assert_eq!(
        seal.calls(),
        KmsCalls {
            encrypt: 2,
            decrypt: 2,
            describe_key: 1
        }
    );

    // A blob whose data key does not match its ciphertext is refused, not mis-decrypted.
    let mut tampered = blob.clone();
    tampered.ciphertext[0] ^= 1;
    assert_eq!(
        seal.decrypt(&tampered).await.unwrap_err().to_string(),
        "seal data is corrupt: the value does not match its KMS data key"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unseal_costs_one_decrypt_and_the_first_one_describe_key() {
    let moto = MotoServer::start().unwrap();
    let kms = sdk(&moto).await;
    let (key, arn) = create_key(&kms).await;
    let seal = Arc::new(AwsKms::connect(settings(&moto.endpoint(), &key)).await);
    let storage: Arc<dyn Backend> = Arc::new(InmemBackend::new());
    let node = Node::with_seal(
        storage.clone(),
        NodeOptions::default(),
        Seal::AwsKms(seal.clone()),
        None,
    );
    let init = node
        .init(InitRequest {
            recovery_shares: Some(3),
            recovery_threshold: Some(2),
            ..InitRequest::default()
        })
        .await
        .unwrap();
    assert!(init.keys.is_empty());
    assert_eq!(init.recovery_keys.len(), 3);
    let status = node.seal_status().await.unwrap();
    assert!(!status.sealed && status.recovery_seal);
    assert_eq!(
        (status.t, status.n, status.seal_type.as_str()),
        (2, 3, "awskms")
    );
    // Init: one DescribeKey, then the root key and the recovery key encrypted.
    assert_eq!(
        seal.calls(),
        KmsCalls {
            encrypt: 2,
            decrypt: 0,
            describe_key: 1
        }
    );
    let stored = strongroom_core::seal::read_stored_blob(storage.as_ref())
        .await
        .unwrap();
    assert_eq!(stored.kms_key_id(), Some(arn.as_str()));

    for round in 1..=3u64 {
        node.seal(Some(&init.root_token)).await.unwrap();
        assert!(node.seal_status().await.unwrap().sealed);
        assert_eq!(
            node.unseal_with_stored_keys().await.unwrap(),
            AutoUnseal::Unsealed
        );
        assert_eq!(
            seal.calls(),
            KmsCalls {
                encrypt: 2,
                decrypt: round,
                describe_key: 1
            },
            "unseal {round}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn kms_failures_are_one_line_that_says_why() {
    let moto = MotoServer::start().unwrap();
    let kms = sdk(&moto).await;

    let missing = AwsKms::connect(settings(&moto.endpoint(), "alias/missing")).await;
    let e = missing.describe_key().await.unwrap_err().to_string();
    assert!(
        e.starts_with("KMS DescribeKey failed: NotFoundException: ")
            && e.ends_with("(no KMS key \"alias/missing\" in this account and region (check kms_key_id and region))"),
        "{e}"
    );

    let (key, arn) = create_key(&kms).await;
    kms.disable_key().key_id(&key).send().await.unwrap();
    let disabled = AwsKms::connect(settings(&moto.endpoint(), &key)).await;
    assert_eq!(
        disabled.describe_key().await.unwrap_err().to_string(),
        format!(
            "KMS DescribeKey failed: KMS key {arn} is Disabled, not Enabled: enable it (or point \
             {key} at an enabled key)"
        )
    );
    assert_eq!(disabled.current_key_arn(), None);

    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let unreachable = AwsKms::connect(settings(&format!("http://127.0.0.1:{port}"), &key)).await;
    let started = std::time::Instant::now();
    let e = unreachable.describe_key().await.unwrap_err().to_string();
    assert!(
        e.starts_with("KMS DescribeKey failed: cannot reach AWS KMS: ") && !e.contains('\n'),
        "{e}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(15));
}
