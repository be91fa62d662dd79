//! DynamoDB backend behaviour beyond the conformance suite, checked against moto_server by
//! reading the table directly with the SDK: Vault's item layout, what a put costs, chunked
//! values, table creation and schema checks, and the HA lock item.

use std::collections::{BTreeSet, HashMap};

use aws_config::{BehaviorVersion, Region};
use aws_sdk_dynamodb::config::Credentials;
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode as SdkBillingMode, KeySchemaElement, KeyType,
    ScalarAttributeType,
};
use aws_sdk_dynamodb::Client;
use strongroom_core::storage::dynamodb::{
    iam, BillingMode, DynamoDbSettings, StaticCredentials, TableChange,
};
use strongroom_core::storage::{Backend, DynamoDbBackend, LockRecord};
use strongroom_testkit::MotoServer;

fn settings(moto: &MotoServer, table: &str) -> DynamoDbSettings {
    let mut s = DynamoDbSettings::for_table(table);
    s.endpoint = Some(moto.endpoint());
    s.credentials = Some(StaticCredentials {
        access_key: "test".into(),
        secret_key: "test".to_owned().into(),
        session_token: None,
    });
    s
}

async fn sdk(moto: &MotoServer) -> Client {
    let conf = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(moto.endpoint())
        .credentials_provider(Credentials::new("test", "test", None, None, "test"))
        .load()
        .await;
    Client::new(&conf)
}

/// Every item in the table as (Path, Key, attribute names).
async fn items(client: &Client, table: &str) -> BTreeSet<(String, String, Vec<String>)> {
    let out = client.scan().table_name(table).send().await.unwrap();
    out.items()
        .iter()
        .map(|item| {
            let s = |name: &str| match item.get(name) {
                Some(AttributeValue::S(v)) => v.clone(),
                other => panic!("{name}: {other:?}"),
            };
            let mut names: Vec<String> = item.keys().cloned().collect();
            names.sort();
            (s("Path"), s("Key"), names)
        })
        .collect()
}

fn row(path: &str, key: &str, names: &[&str]) -> (String, String, Vec<String>) {
    (
        path.into(),
        key.into(),
        names.iter().map(|n| n.to_string()).collect(),
    )
}

#[tokio::test]
async fn items_follow_vaults_layout_and_deletes_leave_nothing() {
    let moto = MotoServer::start().unwrap();
    let backend = DynamoDbBackend::open(settings(&moto, "layout"))
        .await
        .unwrap();
    let client = sdk(&moto).await;
    backend.put("a/b/c", b"data").await.unwrap();
    backend.put("top", b"t").await.unwrap();
    assert_eq!(
        items(&client, "layout").await,
        BTreeSet::from([
            row("a/b", "c", &["Key", "Path", "Value"]),
            row("a", "b/", &["Key", "Path"]),
            row(" ", "a/", &["Key", "Path"]),
            row(" ", "top", &["Key", "Path", "Value"]),
        ])
    );
    let value = client
        .get_item()
        .table_name("layout")
        .key("Path", AttributeValue::S("a/b".into()))
        .key("Key", AttributeValue::S("c".into()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        value.item().unwrap()["Value"],
        AttributeValue::B(Blob::new(b"data".to_vec()))
    );
    backend.delete("a/b/c").await.unwrap();
    backend.delete("top").await.unwrap();
    assert!(items(&client, "layout").await.is_empty());
}

#[tokio::test]
async fn a_table_written_by_vault_reads_back() {
    let moto = MotoServer::start().unwrap();
    let backend = DynamoDbBackend::open(settings(&moto, "vault-made"))
        .await
        .unwrap();
    let client = sdk(&moto).await;
    // The items Vault's backend writes for `sys/token/id/h1` and `core/keyring`.
    for (path, key, value) in [
        ("sys/token/id", "h1", Some(&b"token-entry"[..])),
        ("sys/token", "id/", None),
        ("sys", "token/", None),
        (" ", "sys/", None),
        ("core", "keyring", Some(&b"ring"[..])),
        (" ", "core/", None),
    ] {
        let mut put = client
            .put_item()
            .table_name("vault-made")
            .item("Path", AttributeValue::S(path.into()))
            .item("Key", AttributeValue::S(key.into()));
        if let Some(v) = value {
            put = put.item("Value", AttributeValue::B(Blob::new(v.to_vec())));
        }
        put.send().await.unwrap();
    }
    assert_eq!(
        backend.get("sys/token/id/h1").await.unwrap().as_deref(),
        Some(&b"token-entry"[..])
    );
    assert_eq!(backend.list("").await.unwrap(), vec!["core/", "sys/"]);
    assert_eq!(backend.list("sys/token/").await.unwrap(), vec!["id/"]);
    assert_eq!(backend.list("core/").await.unwrap(), vec!["keyring"]);
}

#[tokio::test]
async fn folder_items_are_written_once_not_on_every_put() {
    let moto = MotoServer::start().unwrap();
    let backend = DynamoDbBackend::open(settings(&moto, "costs"))
        .await
        .unwrap();
    let before = backend.request_counts();
    backend.put("l1/l2/l3/l4/first", b"v").await.unwrap();
    let first = backend.request_counts();
    // Four folder items in one batch, then the data item.
    assert_eq!(first.batch_write_item - before.batch_write_item, 1);
    assert_eq!(first.put_item - before.put_item, 1);
    assert_eq!(first.items_written - before.items_written, 5);
    for i in 0..10 {
        backend
            .put(&format!("l1/l2/l3/l4/k{i}"), b"v")
            .await
            .unwrap();
    }
    let after = backend.request_counts();
    // Vault would write 5 items per put here; this writes one.
    assert_eq!(after.items_written - first.items_written, 10);
    assert_eq!(after.batch_write_item, first.batch_write_item);
    assert_eq!(after.put_item - first.put_item, 10);
}

#[tokio::test]
async fn large_values_are_chunked_and_cleaned_up() {
    let moto = MotoServer::start().unwrap();
    // On demand: at the default 5 WCU, 1.8 MB of writes would (rightly) be paced to minutes.
    let mut s = settings(&moto, "chunks");
    s.billing_mode = BillingMode::PayPerRequest;
    let backend = DynamoDbBackend::open(s).await.unwrap();
    let client = sdk(&moto).await;
    let big: Vec<u8> = (0..900 * 1024u32).map(|i| (i % 251) as u8).collect();
    backend.put("packer/buckets/1", &big).await.unwrap();
    let all = items(&client, "chunks").await;
    let data = all
        .iter()
        .find(|(p, k, _)| p == "packer/buckets" && k == "1")
        .unwrap();
    assert!(!data.2.contains(&"Value".to_owned()), "{data:?}");
    assert!(data.2.contains(&"ChunkCount".to_owned()));
    let chunk_items = all
        .iter()
        .filter(|(p, _, _)| p.starts_with('\u{1}'))
        .count();
    assert_eq!(chunk_items, 3, "900 KiB in 380 KiB chunks");
    assert_eq!(backend.get("packer/buckets/1").await.unwrap().unwrap(), big);
    assert_eq!(backend.list("packer/buckets/").await.unwrap(), vec!["1"]);
    // Replacing it with a small value removes the chunks.
    backend.put("packer/buckets/1", b"small").await.unwrap();
    let all = items(&client, "chunks").await;
    assert_eq!(
        all.iter()
            .filter(|(p, _, _)| p.starts_with('\u{1}'))
            .count(),
        0
    );
    // Chunked again, then deleted: nothing remains.
    backend.put("packer/buckets/1", &big).await.unwrap();
    backend.delete("packer/buckets/1").await.unwrap();
    assert!(items(&client, "chunks").await.is_empty());
}

#[tokio::test]
async fn unrepresentable_keys_are_refused_before_any_write() {
    let moto = MotoServer::start().unwrap();
    let backend = DynamoDbBackend::open(settings(&moto, "refuse"))
        .await
        .unwrap();
    let client = sdk(&moto).await;
    let long = format!("deep/folder/{}", "k".repeat(1100));
    let err = backend.put(&long, b"v").await.unwrap_err().to_string();
    assert!(err.contains("1024-byte sort key limit"), "{err}");
    let err = backend
        .put("trailing/", b"v")
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("cannot start or end with '/'"), "{err}");
    assert!(items(&client, "refuse").await.is_empty());
}

#[tokio::test]
async fn tables_are_created_as_configured_and_foreign_schemas_refused() {
    let moto = MotoServer::start().unwrap();
    let client = sdk(&moto).await;

    let mut s = settings(&moto, "provisioned");
    s.read_capacity = 7;
    s.write_capacity = 9;
    let backend = DynamoDbBackend::open(s.clone()).await.unwrap();
    let d = backend.describe_table().await.unwrap();
    assert_eq!(
        (d.status.as_str(), d.billing_mode),
        ("ACTIVE", BillingMode::Provisioned)
    );
    assert_eq!((d.read_capacity, d.write_capacity), (7, 9));
    assert_eq!(
        d.arn,
        "arn:aws:dynamodb:us-east-1:123456789012:table/provisioned"
    );

    // A different capacity in the config is not applied without dynamodb_allow_updates...
    s.read_capacity = 11;
    let backend = DynamoDbBackend::open(s.clone()).await.unwrap();
    assert_eq!(backend.describe_table().await.unwrap().read_capacity, 7);
    // ...and is with it.
    s.allow_updates = true;
    let backend = DynamoDbBackend::open(s.clone()).await.unwrap();
    assert_eq!(backend.describe_table().await.unwrap().read_capacity, 11);
    // An explicit update switches to on-demand.
    let d = backend
        .update_table(TableChange {
            billing_mode: Some(BillingMode::PayPerRequest),
            ..TableChange::default()
        })
        .await
        .unwrap();
    assert_eq!(d.billing_mode, BillingMode::PayPerRequest);
    let err = backend
        .update_table(TableChange {
            billing_mode: Some(BillingMode::Provisioned),
            read_capacity: Some(0),
            write_capacity: Some(5),
        })
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("at least 1"), "{err}");

    let mut s = settings(&moto, "on-demand");
    s.billing_mode = BillingMode::PayPerRequest;
    let backend = DynamoDbBackend::open(s).await.unwrap();
    assert_eq!(
        backend.describe_table().await.unwrap().billing_mode,
        BillingMode::PayPerRequest
    );

    // A table made by hand with other key names (hashicorp/vault#3481) is refused clearly.
    client
        .create_table()
        .table_name("hand-made")
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("id")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("id")
                .key_type(KeyType::Hash)
                .build()
                .unwrap(),
        )
        .billing_mode(SdkBillingMode::PayPerRequest)
        .send()
        .await
        .unwrap();
    let err = DynamoDbBackend::open(settings(&moto, "hand-made"))
        .await
        .err()
        .unwrap()
        .to_string();
    assert_eq!(
        err,
        "table \"hand-made\" has the key schema [HASH \"id\" (S)], but Strongroom (like Vault) \
         needs partition key \"Path\" (string) and sort key \"Key\" (string); choose another \
         table name or recreate this table"
    );
}

#[tokio::test]
async fn unreachable_endpoints_fail_with_a_clear_error() {
    let mut s = DynamoDbSettings::for_table("nowhere");
    // Nothing listens on port 9 of loopback.
    s.endpoint = Some("http://127.0.0.1:9".into());
    s.credentials = Some(StaticCredentials {
        access_key: "test".into(),
        secret_key: "test".to_owned().into(),
        session_token: None,
    });
    let started = std::time::Instant::now();
    let err = DynamoDbBackend::open(s).await.err().unwrap().to_string();
    assert!(err.starts_with("DynamoDB DescribeTable failed: "), "{err}");
    assert!(err.contains("onnect"), "{err}");
    assert!(started.elapsed().as_secs() < 15, "{:?}", started.elapsed());
}

fn record(identity: &[u8], value: &[u8], expires: i64) -> LockRecord {
    LockRecord {
        value: value.to_vec(),
        identity: identity.to_vec(),
        expires_unix_ns: expires,
    }
}

#[tokio::test]
async fn the_lock_item_is_vaults_and_conditional() {
    let moto = MotoServer::start().unwrap();
    let mut s = settings(&moto, "locks");
    s.ha_enabled = true;
    let backend = DynamoDbBackend::open(s).await.unwrap();
    let client = sdk(&moto).await;
    let ha = backend.ha().expect("HA is enabled");
    let mine = record(b"identity-a", b"leader-a", 1_000);
    assert!(ha.acquire_lock("core/lock", &mine, None).await.unwrap());
    assert_eq!(ha.read_lock("core/lock").await.unwrap(), Some(mine.clone()));
    let raw = client
        .get_item()
        .table_name("locks")
        .key("Path", AttributeValue::S("core".into()))
        .key("Key", AttributeValue::S("_lock".into()))
        .send()
        .await
        .unwrap();
    let item: HashMap<String, AttributeValue> = raw.item.unwrap();
    assert_eq!(item["Expires"], AttributeValue::N("1000".into()));
    assert_eq!(
        item["Identity"],
        AttributeValue::B(Blob::new(b"identity-a".to_vec()))
    );
    assert_eq!(
        item["Value"],
        AttributeValue::B(Blob::new(b"leader-a".to_vec()))
    );

    // Another identity cannot take or renew it, even with an expiry long past...
    let other = record(b"identity-b", b"leader-b", 2_000);
    assert!(!ha.acquire_lock("core/lock", &other, None).await.unwrap());
    assert!(!ha.renew_lock("core/lock", &other).await.unwrap());
    // ...nor take it over with a stale record that is not the current one...
    let wrong = record(b"identity-a", b"leader-a", 999);
    assert!(!ha
        .acquire_lock("core/lock", &other, Some(&wrong))
        .await
        .unwrap());
    // ...while the holder renews it.
    let renewed = record(b"identity-a", b"leader-a", 5_000);
    assert!(ha.renew_lock("core/lock", &renewed).await.unwrap());
    // Taking over exactly the record watched going stale succeeds.
    assert!(ha
        .acquire_lock("core/lock", &other, Some(&renewed))
        .await
        .unwrap());
    assert!(!ha.renew_lock("core/lock", &renewed).await.unwrap());
    // Releasing someone else's lock changes nothing; releasing one's own removes it.
    ha.release_lock("core/lock", b"identity-a").await.unwrap();
    assert_eq!(
        ha.read_lock("core/lock").await.unwrap(),
        Some(other.clone())
    );

    // The lock item is hidden from List; data keys starting with `_` are not.
    backend.put("core/keyring", b"k").await.unwrap();
    backend.put("core/_lockish", b"k").await.unwrap();
    assert_eq!(
        backend.list("core/").await.unwrap(),
        vec!["_lockish", "keyring"]
    );

    ha.release_lock("core/lock", b"identity-b").await.unwrap();
    assert_eq!(ha.read_lock("core/lock").await.unwrap(), None);
}

/// Credentials of a moto IAM user holding `policies` (moto checks actions against `*`).
fn iam_user(moto: &MotoServer, name: &str, policies: &[String]) -> StaticCredentials {
    let user = moto.create_iam_user(name, policies).unwrap();
    StaticCredentials {
        access_key: user.access_key,
        secret_key: user.secret_key.into(),
        session_token: None,
    }
}

#[tokio::test]
async fn the_generated_policies_are_exactly_enough() {
    let mut plain = DynamoDbSettings::for_table("iam-table");
    let mut ha = plain.clone();
    ha.ha_enabled = true;
    let docs = |s: &DynamoDbSettings| {
        let p = iam::policies(s, "*");
        (p.bootstrap.to_string(), p.steady_state.to_string())
    };
    let (bootstrap, steady) = docs(&plain);
    let (_, ha_steady) = docs(&ha);
    // 3 users: 1 + 2 + 2 policies, plus 2 calls each.
    let moto = MotoServer::start_with_iam(5 + 6).unwrap();
    let setup = iam_user(&moto, "setup", std::slice::from_ref(&bootstrap));
    let node = iam_user(&moto, "node", &[steady, bootstrap]);
    let ha_node = iam_user(&moto, "ha-node", std::slice::from_ref(&ha_steady));
    for s in [&mut plain, &mut ha] {
        s.endpoint = Some(moto.endpoint());
    }

    // The bootstrap policy alone can create the table but not read or write items.
    plain.credentials = Some(setup);
    let admin = DynamoDbBackend::open(plain.clone()).await.unwrap();
    let err = admin.put("k", b"v").await.unwrap_err().to_string();
    assert!(
        err.contains("HTTP 403") && err.contains("dynamodb:PutItem"),
        "{err}"
    );

    // A node without UpdateItem cannot take the HA lock: HA needs the HA policy.
    ha.credentials = Some(node.clone());
    let backend = DynamoDbBackend::open(ha.clone()).await.unwrap();
    backend.put("k", b"v").await.unwrap();
    let lock = record(b"me", b"leader", 1);
    let err = backend
        .ha()
        .unwrap()
        .acquire_lock("core/lock", &lock, None)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("DynamoDB UpdateItem failed: HTTP 403")
            && err.contains("dynamodb:UpdateItem"),
        "{err}"
    );

    // The HA steady-state policy runs a node, lock included, on the existing table.
    ha.credentials = Some(ha_node);
    let backend = DynamoDbBackend::open(ha).await.unwrap();
    assert!(backend
        .ha()
        .unwrap()
        .acquire_lock("core/lock", &lock, None)
        .await
        .unwrap());
    assert_eq!(backend.get("k").await.unwrap().as_deref(), Some(&b"v"[..]));
}
