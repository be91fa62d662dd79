//! The storage conformance suite: Vault's `ExerciseBackend` and `ExerciseBackend_ListPrefix`
//! cases, OpenBao's paging checks, and what Vault's suite lacks (empty and 1 MiB values, keys
//! with unusual characters, large folders, concurrency). Every backend must pass it unchanged;
//! [`suite!`] instantiates one test per case for a backend.

use std::collections::BTreeSet;
use std::sync::Arc;

use strongroom_core::storage::Backend;

/// A backend under test plus whatever must live as long as it (a temp dir, a server).
pub struct Fixture {
    pub backend: Arc<dyn Backend>,
    pub _guard: Box<dyn std::any::Any + Send>,
}

/// Checks `list` and every paging variant of `list_page` against `expected`, as Vault's
/// `testListAndPage` does.
pub async fn check_list(b: &dyn Backend, prefix: &str, expected: &[&str]) {
    let expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    assert_eq!(b.list(prefix).await.unwrap(), expected, "list({prefix:?})");
    for limit in [None, Some(expected.len()), Some(expected.len() + 1)] {
        if limit == Some(0) {
            continue;
        }
        assert_eq!(
            b.list_page(prefix, "", limit).await.unwrap(),
            expected,
            "list_page({prefix:?}, \"\", {limit:?})"
        );
    }
    assert_eq!(
        b.list_page(prefix, "", Some(0)).await.unwrap(),
        Vec::<String>::new()
    );
    if expected.is_empty() {
        assert!(b.list_page(prefix, "bogus", None).await.unwrap().is_empty());
        return;
    }
    // One entry at a time, each page starting after the previous entry.
    assert_eq!(
        b.list_page(prefix, "", Some(1)).await.unwrap(),
        vec![expected[0].clone()]
    );
    for (i, after) in expected.iter().enumerate() {
        let rest = &expected[i + 1..];
        let page = b.list_page(prefix, after, Some(1)).await.unwrap();
        assert_eq!(
            page,
            rest.iter().take(1).cloned().collect::<Vec<_>>(),
            "after {after:?}"
        );
        assert_eq!(
            b.list_page(prefix, after, None).await.unwrap(),
            rest,
            "all after {after:?}"
        );
        assert_eq!(
            b.list_page(prefix, "", Some(i + 1)).await.unwrap(),
            expected[..=i],
            "first {}",
            i + 1
        );
    }
    // A reference point after the last entry yields nothing.
    let past = format!("{}z", expected.last().unwrap());
    assert!(b.list_page(prefix, &past, None).await.unwrap().is_empty());
}

/// Vault's `ExerciseBackend`, step by step.
pub async fn exercise_backend(b: Arc<dyn Backend>) {
    let b = b.as_ref();
    check_list(b, "", &[]).await;
    b.delete("foo").await.expect("idempotent delete");
    assert_eq!(b.get("foo").await.unwrap(), None);

    b.put("foo", b"test").await.unwrap();
    assert_eq!(b.get("foo").await.unwrap().as_deref(), Some(&b"test"[..]));
    check_list(b, "", &["foo"]).await;
    b.delete("foo").await.unwrap();
    check_list(b, "", &[]).await;
    assert_eq!(b.get("foo").await.unwrap(), None);

    // Multiple puts of the same key work (Vault GH-189).
    b.put("foo", b"test").await.unwrap();
    b.put("foo", b"test").await.unwrap();
    b.put("foo/bar", b"baz").await.unwrap();
    assert_eq!(
        b.get("foo/bar").await.unwrap().as_deref(),
        Some(&b"baz"[..])
    );
    check_list(b, "", &["foo", "foo/"]).await;

    // Deleting a key with children keeps the children.
    b.delete("foo").await.unwrap();
    assert!(b.get("foo/bar").await.unwrap().is_some());

    // Removing a deeply nested key leaves no artefacts.
    b.put("foo/nested1/nested2/nested3", b"baz").await.unwrap();
    b.delete("foo/nested1/nested2/nested3").await.unwrap();
    check_list(b, "foo/", &["bar"]).await;

    b.put("foo/zip", b"zap").await.unwrap();
    b.delete("foo/bar").await.unwrap();
    check_list(b, "", &["foo/"]).await;
    b.delete("foo/zip").await.unwrap();
    check_list(b, "", &[]).await;

    // Deep values under an otherwise empty root keep the root listing right.
    b.put("foo/nested1/nested2/value1", b"baz").await.unwrap();
    b.put("foo/nested1/nested2/value2", b"baz").await.unwrap();
    b.delete("foo/nested1/nested2/value2").await.unwrap();
    check_list(b, "", &["foo/"]).await;
    check_list(b, "foo/nested1/", &["nested2/"]).await;
    b.delete("foo/nested1/nested2/value1").await.unwrap();
    check_list(b, "", &[]).await;

    // Paging while a folder grows.
    let mut created: Vec<String> = Vec::new();
    for i in 0..10 {
        let name = format!("key-{i}");
        b.put(&format!("foo/{name}"), b"baz").await.unwrap();
        created.push(name);
        let refs: Vec<&str> = created.iter().map(String::as_str).collect();
        check_list(b, "foo/", &refs).await;
    }
    for name in &created {
        b.delete(&format!("foo/{name}")).await.unwrap();
    }
    check_list(b, "", &[]).await;
}

/// Vault's `ExerciseBackend_ListPrefix`.
pub async fn list_prefix(b: Arc<dyn Backend>) {
    let b = b.as_ref();
    b.put("foo", b"test").await.unwrap();
    b.put("foo/bar", b"test").await.unwrap();
    b.put("foo/bar/baz", b"test").await.unwrap();
    assert_eq!(b.list("").await.unwrap(), vec!["foo", "foo/"]);
    assert_eq!(b.list("foo/").await.unwrap(), vec!["bar", "bar/"]);
    assert_eq!(b.list("foo/bar/").await.unwrap(), vec!["baz"]);
    assert!(b.list("foo/bar/baz/").await.unwrap().is_empty());
    assert!(b.list("nothing/").await.unwrap().is_empty());
}

/// Listing is byte-wise sorted and never mixes in keys of sibling prefixes.
pub async fn list_order_and_isolation(b: Arc<dyn Backend>) {
    let b = b.as_ref();
    for key in [
        "d/a", "d/a-b", "d/a/x", "d/a0", "d/B", "d/é", "d/_lock", "d0", "c/z", "d-x/y",
    ] {
        b.put(key, b"v").await.unwrap();
    }
    check_list(b, "d/", &["B", "_lock", "a", "a-b", "a/", "a0", "é"]).await;
    check_list(b, "", &["c/", "d-x/", "d/", "d0"]).await;
}

/// Empty values are stored and returned as empty, not as missing.
pub async fn empty_value(b: Arc<dyn Backend>) {
    b.put("empty", b"").await.unwrap();
    assert_eq!(b.get("empty").await.unwrap(), Some(Vec::new()));
    assert_eq!(b.list("").await.unwrap(), vec!["empty"]);
}

/// A 1 MiB value round-trips byte for byte, and can be overwritten with a small one.
pub async fn large_value(b: Arc<dyn Backend>) {
    let value: Vec<u8> = (0..1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    b.put("big/value", &value).await.unwrap();
    assert_eq!(
        b.get("big/value").await.unwrap().as_deref(),
        Some(value.as_slice())
    );
    b.put("big/value", b"small").await.unwrap();
    assert_eq!(
        b.get("big/value").await.unwrap().as_deref(),
        Some(&b"small"[..])
    );
}

/// Keys with spaces, punctuation, URL syntax, Unicode, and great length.
pub async fn unusual_keys(b: Arc<dyn Backend>) {
    let long = "k".repeat(1000);
    let names = [
        "with space",
        "trailing space ",
        "percent%2Fencoded",
        "question?mark",
        "hash#tag",
        "quote\"s and 'apostrophes'",
        "back\\slash",
        "dots..in..name",
        ".hidden",
        "_underscore",
        "ünïcødé",
        "日本語",
        "emoji🔑",
        "tab\there",
        "plus+sign",
        "semi;colon",
        long.as_str(),
    ];
    for (i, name) in names.iter().enumerate() {
        let key = format!("odd/{name}");
        b.put(&key, format!("value-{i}").as_bytes()).await.unwrap();
    }
    for (i, name) in names.iter().enumerate() {
        let got = b.get(&format!("odd/{name}")).await.unwrap();
        assert_eq!(got, Some(format!("value-{i}").into_bytes()), "key {name:?}");
    }
    let mut expected: Vec<&str> = names.to_vec();
    expected.sort();
    check_list(b.as_ref(), "odd/", &expected).await;
    for name in names {
        b.delete(&format!("odd/{name}")).await.unwrap();
    }
    assert!(b.list("odd/").await.unwrap().is_empty());
}

/// Folders larger than one scan batch, with sub-folders interleaved: the listing is complete,
/// sorted, and pages across batch boundaries.
pub async fn large_folder(b: Arc<dyn Backend>) {
    let mut expected = BTreeSet::new();
    for i in 0..700 {
        let name = format!("leaf-{i:04}");
        b.put(&format!("big/{name}"), b"v").await.unwrap();
        expected.insert(name);
    }
    for f in 0..40 {
        let folder = format!("dir-{f:02}/");
        for k in 0..30 {
            b.put(&format!("big/{folder}k{k}"), b"v").await.unwrap();
        }
        expected.insert(folder);
    }
    let expected: Vec<String> = expected.into_iter().collect();
    assert_eq!(b.list("big/").await.unwrap(), expected);
    let mut paged: Vec<String> = Vec::new();
    let mut after = String::new();
    // Bounded: a backend that fails to advance must fail the test, not loop forever.
    for _ in 0..=expected.len() / 97 + 1 {
        let page = b.list_page("big/", &after, Some(97)).await.unwrap();
        let Some(last) = page.last() else { break };
        assert!(page.len() <= 97);
        assert!(
            paged.last().is_none_or(|p| p < &page[0]),
            "pages must advance"
        );
        after = last.clone();
        paged.extend(page);
    }
    assert_eq!(paged, expected);
    assert_eq!(b.list("big/dir-07/").await.unwrap().len(), 30);
    assert_eq!(b.list("").await.unwrap(), vec!["big/"]);
}

/// Many tasks writing, reading and deleting distinct keys at once lose nothing.
pub async fn concurrent_distinct_keys(b: Arc<dyn Backend>) {
    let mut tasks = Vec::new();
    for t in 0..16 {
        let b = b.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..40 {
                let key = format!("conc/t{t:02}/k{i:02}");
                b.put(&key, key.as_bytes()).await.unwrap();
                assert_eq!(b.get(&key).await.unwrap().as_deref(), Some(key.as_bytes()));
                if i % 4 == 0 {
                    b.delete(&key).await.unwrap();
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let folders = b.list("conc/").await.unwrap();
    assert_eq!(folders.len(), 16);
    for folder in folders {
        let keys = b.list(&format!("conc/{folder}")).await.unwrap();
        assert_eq!(keys.len(), 30, "{folder}");
        for key in keys {
            let full = format!("conc/{folder}{key}");
            assert_eq!(
                b.get(&full).await.unwrap().as_deref(),
                Some(full.as_bytes())
            );
        }
    }
}

/// Concurrent writers of one key: every write succeeds and the result is one of them.
pub async fn concurrent_same_key(b: Arc<dyn Backend>) {
    let mut tasks = Vec::new();
    for t in 0..16u8 {
        let b = b.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..20 {
                b.put("contended", &[t; 64]).await.unwrap();
                let v = b.get("contended").await.unwrap().unwrap();
                assert_eq!(v.len(), 64);
                assert!(v.iter().all(|x| *x == v[0]), "torn write");
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let v = b.get("contended").await.unwrap().unwrap();
    assert!(v[0] < 16 && v.iter().all(|x| *x == v[0]));
}

/// Lists taken while other tasks write are always sorted and duplicate-free.
pub async fn list_while_writing(b: Arc<dyn Backend>) {
    let writer = {
        let b = b.clone();
        tokio::spawn(async move {
            for i in 0..300 {
                b.put(&format!("live/{}/k{i}", i % 7), b"v").await.unwrap();
                b.put(&format!("live/leaf{i:03}"), b"v").await.unwrap();
            }
        })
    };
    while !writer.is_finished() {
        let listed = b.list("live/").await.unwrap();
        let mut sorted = listed.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(listed, sorted);
        tokio::task::yield_now().await;
    }
    writer.await.unwrap();
    assert_eq!(b.list("live/").await.unwrap().len(), 300 + 7);
}

/// Empty keys are refused with an error, not stored.
pub async fn empty_key_is_refused(b: Arc<dyn Backend>) {
    assert!(b.put("", b"x").await.is_err());
    assert!(b.get("").await.is_err());
    assert!(b.list("").await.unwrap().is_empty());
}

/// Instantiates every conformance case as a test in module `$name`, with `$fixture` (an async
/// expression evaluating to a [`Fixture`]) creating a fresh backend for each case.
#[macro_export]
macro_rules! suite {
    ($name:ident, $fixture:expr) => {
        mod $name {
            use super::*;
            $crate::suite!(@cases $fixture;
                exercise_backend, list_prefix, list_order_and_isolation, empty_value,
                large_value, unusual_keys, large_folder, concurrent_distinct_keys,
                concurrent_same_key, list_while_writing, empty_key_is_refused);
        }
    };
    (@cases $fixture:expr; $($case:ident),*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $case() {
                let fixture: $crate::conformance::Fixture = $fixture.await;
                $crate::conformance::$case(fixture.backend.clone()).await;
            }
        )*
    };
}
