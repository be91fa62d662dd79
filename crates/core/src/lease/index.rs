//! The in-memory lease index: one ordered expiry queue for the timer, and the counts and
//! orderings the lease dashboard asks for.
//!
//! Vault arms one timer per lease; here one task sleeps until the earliest entry of a single
//! ordered set, so 100,000 live leases cost a few hundred bytes each and no tasks. Storage stays
//! the source of truth: the index is rebuilt from it at unseal and every decision the timer
//! makes is re-checked against the stored entry.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// What the index keeps per lease.
#[derive(Debug, Clone)]
pub struct Tracked {
    /// Unix milliseconds.
    pub expire_ms: i64,
    /// Mount path (`database/`), shared between leases.
    pub mount: Arc<str>,
    /// Role name, shared between leases.
    pub role: Arc<str>,
    /// Why revocation gave up, for irrevocable leases.
    pub revoke_error: Option<Box<str>>,
    /// When the timer should next act (expiry or a retry), if queued.
    due_ms: Option<i64>,
}

/// A lease as the dashboard lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The lease id.
    pub lease_id: String,
    /// Its mount.
    pub mount: String,
    /// Its role.
    pub role: String,
    /// Unix milliseconds.
    pub expire_ms: i64,
    /// Why revocation gave up (irrevocable leases only).
    pub revoke_error: Option<String>,
}

/// Which leases a dashboard query wants.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this mount (`database/`).
    pub mount: Option<String>,
    /// Only this role.
    pub role: Option<String>,
    /// Only ids starting with this.
    pub prefix: Option<String>,
    /// Only leases expiring before this Unix millisecond (sorts by expiry).
    pub expiring_before: Option<i64>,
    /// Only irrevocable leases.
    pub irrevocable: bool,
}

/// Revocable leases by when they expire, for the dashboard's expiring-soon timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    /// Leases expiring in each slice, earliest slice first.
    pub counts: Vec<usize>,
    /// Leases past their expiry that the timer has not revoked yet.
    pub overdue: usize,
    /// Leases expiring after the last slice.
    pub later: usize,
}

/// The index.
#[derive(Default)]
pub struct Index {
    leases: BTreeMap<Arc<str>, Tracked>,
    /// (due time, id): what the timer works through.
    queue: BTreeSet<(i64, Arc<str>)>,
    /// (expiry, id) of revocable leases, for "expiring within".
    by_expiry: BTreeSet<(i64, Arc<str>)>,
    irrevocable: BTreeSet<Arc<str>>,
    counts: HashMap<(Arc<str>, Arc<str>), usize>,
    /// Interned mount and role names.
    names: HashMap<Box<str>, Arc<str>>,
}

impl Index {
    fn intern(&mut self, name: &str) -> Arc<str> {
        if let Some(shared) = self.names.get(name) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(name);
        self.names.insert(name.into(), shared.clone());
        shared
    }

    /// Adds or replaces a lease; revocable ones are queued at their expiry.
    pub fn track(
        &mut self,
        id: &str,
        mount: &str,
        role: &str,
        expire_ms: i64,
        revoke_error: Option<&str>,
    ) {
        self.untrack(id);
        let id: Arc<str> = Arc::from(id);
        let tracked = Tracked {
            expire_ms,
            mount: self.intern(mount),
            role: self.intern(role),
            revoke_error: revoke_error.map(Into::into),
            due_ms: None,
        };
        *self
            .counts
            .entry((tracked.mount.clone(), tracked.role.clone()))
            .or_default() += 1;
        if tracked.revoke_error.is_some() {
            self.irrevocable.insert(id.clone());
            self.leases.insert(id, tracked);
        } else {
            self.by_expiry.insert((expire_ms, id.clone()));
            self.leases.insert(id.clone(), tracked);
            self.schedule(&id, expire_ms);
        }
    }

    /// Forgets a lease.
    pub fn untrack(&mut self, id: &str) {
        let Some((key, tracked)) = self.leases.remove_entry(id) else {
            return;
        };
        if let Some(due) = tracked.due_ms {
            self.queue.remove(&(due, key.clone()));
        }
        self.by_expiry.remove(&(tracked.expire_ms, key.clone()));
        self.irrevocable.remove(&key);
        let slot = (tracked.mount, tracked.role);
        if let Some(n) = self.counts.get_mut(&slot) {
            *n -= 1;
            if *n == 0 {
                self.counts.remove(&slot);
            }
        }
    }

    /// Queues `id` for the timer at `due_ms` (replacing an earlier schedule).
    pub fn schedule(&mut self, id: &str, due_ms: i64) {
        let Some((key, tracked)) = self.leases.get_key_value(id) else {
            return;
        };
        let key = key.clone();
        if let Some(old) = tracked.due_ms {
            self.queue.remove(&(old, key.clone()));
        }
        self.queue.insert((due_ms, key.clone()));
        if let Some(t) = self.leases.get_mut(id) {
            t.due_ms = Some(due_ms);
        }
    }

    /// Takes up to `max` leases due at `now_ms`, earliest first.
    pub fn pop_due(&mut self, now_ms: i64, max: usize) -> Vec<Arc<str>> {
        let mut due = Vec::new();
        while due.len() < max {
            let Some(first) = self.queue.first().cloned() else {
                break;
            };
            if first.0 > now_ms {
                break;
            }
            self.queue.remove(&first);
            if let Some(t) = self.leases.get_mut(&first.1) {
                t.due_ms = None;
            }
            due.push(first.1);
        }
        due
    }

    /// When the timer next has work.
    pub fn next_due(&self) -> Option<i64> {
        self.queue.first().map(|(due, _)| *due)
    }

    /// The tracked state of one lease.
    pub fn get(&self, id: &str) -> Option<&Tracked> {
        self.leases.get(id)
    }

    /// Number of leases tracked.
    pub fn len(&self) -> usize {
        self.leases.len()
    }

    /// Number of irrevocable leases.
    pub fn irrevocable_count(&self) -> usize {
        self.irrevocable.len()
    }

    /// Counts per mount and role.
    pub fn counts(&self) -> BTreeMap<String, BTreeMap<String, usize>> {
        let mut out: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for ((mount, role), n) in &self.counts {
            *out.entry(mount.to_string())
                .or_default()
                .entry(role.to_string())
                .or_default() += n;
        }
        out
    }

    /// How many revocable leases expire in each of `buckets` consecutive slices of
    /// `bucket_ms` starting at `now_ms`, with those already past expiry (the timer has not
    /// reached them yet) and those expiring after the last slice counted apart. Walks only
    /// the leases inside the window, so a day's timeline costs what the day holds.
    pub fn timeline(&self, now_ms: i64, bucket_ms: i64, buckets: usize) -> Timeline {
        let mut counts = vec![0; buckets];
        let end = now_ms.saturating_add(bucket_ms.saturating_mul(buckets as i64));
        let mut overdue = 0;
        let mut inside = 0;
        for (expire, _) in &self.by_expiry {
            if *expire >= end {
                break;
            }
            if *expire < now_ms {
                overdue += 1;
            } else {
                counts[((*expire - now_ms) / bucket_ms) as usize] += 1;
            }
            inside += 1;
        }
        Timeline {
            counts,
            overdue,
            later: self.by_expiry.len() - inside,
        }
    }

    /// One page of leases matching `filter`, after the cursor `after` (exclusive), and the
    /// number matched in all. Ordered by id, or by expiry when `expiring_before` is set (the
    /// cursor is then `<expire ms>:<id>`).
    pub fn search(
        &self,
        filter: &Filter,
        after: Option<&str>,
        limit: usize,
    ) -> (Vec<Listed>, usize) {
        let matches = |id: &str, t: &Tracked| {
            filter.mount.as_deref().is_none_or(|m| *t.mount == *m)
                && filter.role.as_deref().is_none_or(|r| *t.role == *r)
                && filter.prefix.as_deref().is_none_or(|p| id.starts_with(p))
                && (!filter.irrevocable || t.revoke_error.is_some())
        };
        let listed = |id: &str, t: &Tracked| Listed {
            lease_id: id.to_owned(),
            mount: t.mount.to_string(),
            role: t.role.to_string(),
            expire_ms: t.expire_ms,
            revoke_error: t.revoke_error.as_deref().map(str::to_owned),
        };
        let mut page = Vec::new();
        let mut total = 0;
        if let Some(before) = filter.expiring_before {
            let cursor = after.and_then(|c| {
                let (ms, id) = c.split_once(':')?;
                Some((ms.parse::<i64>().ok()?, id))
            });
            for (expire, id) in &self.by_expiry {
                if *expire >= before {
                    break;
                }
                let Some(t) = self.leases.get(id) else {
                    continue;
                };
                if !matches(id, t) {
                    continue;
                }
                total += 1;
                let past_cursor = cursor.is_none_or(|(ms, cid)| (*expire, &**id) > (ms, cid));
                if past_cursor && page.len() < limit {
                    page.push(listed(id, t));
                }
            }
            return (page, total);
        }
        let source: Box<dyn Iterator<Item = &Arc<str>>> = if filter.irrevocable {
            Box::new(self.irrevocable.iter())
        } else {
            match filter.prefix.as_deref() {
                Some(p) => Box::new(
                    self.leases
                        .range::<str, _>((std::ops::Bound::Included(p), std::ops::Bound::Unbounded))
                        .take_while(move |(id, _)| id.starts_with(p))
                        .map(|(id, _)| id),
                ),
                None => Box::new(self.leases.keys()),
            }
        };
        for id in source {
            let Some(t) = self.leases.get(id) else {
                continue;
            };
            if !matches(id, t) {
                continue;
            }
            total += 1;
            if after.is_none_or(|a| &**id > a) && page.len() < limit {
                page.push(listed(id, t));
            }
        }
        (page, total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_gives_due_leases_in_expiry_order() {
        let mut index = Index::default();
        index.track("db/creds/ro/b", "db/", "ro", 2000, None);
        index.track("db/creds/ro/a", "db/", "ro", 1000, None);
        index.track("db/creds/rw/c", "db/", "rw", 3000, None);
        assert_eq!(index.next_due(), Some(1000));
        let due: Vec<String> = index
            .pop_due(2500, 10)
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(due, ["db/creds/ro/a", "db/creds/ro/b"]);
        assert_eq!(index.next_due(), Some(3000));
        // Popped leases stay tracked until revoked; a retry re-queues them.
        assert_eq!(index.len(), 3);
        index.schedule("db/creds/ro/a", 5000);
        assert_eq!(index.pop_due(4000, 10).len(), 1);
        index.untrack("db/creds/ro/a");
        assert_eq!(index.next_due(), None);
        assert_eq!(index.counts()["db/"]["ro"], 1);
        assert_eq!(index.counts()["db/"]["rw"], 1);
    }

    #[test]
    fn irrevocable_leases_leave_the_queue_and_are_listed_with_their_error() {
        let mut index = Index::default();
        index.track("db/creds/ro/a", "db/", "ro", 1000, None);
        index.track(
            "db/creds/ro/a",
            "db/",
            "ro",
            1000,
            Some("out of retries: connection refused"),
        );
        assert_eq!(index.next_due(), None);
        assert_eq!(index.irrevocable_count(), 1);
        let filter = Filter {
            irrevocable: true,
            ..Filter::default()
        };
        let (page, total) = index.search(&filter, None, 10);
        assert_eq!(total, 1);
        assert_eq!(
            page[0].revoke_error.as_deref(),
            Some("out of retries: connection refused")
        );
        // Re-tracking a lease keeps the counts exact.
        index.track("db/creds/ro/a", "db/", "ro", 1000, None);
        assert_eq!(index.irrevocable_count(), 0);
        assert_eq!(index.counts()["db/"]["ro"], 1);
    }

    #[test]
    fn search_pages_by_id_and_by_expiry() {
        let mut index = Index::default();
        for i in 0..10 {
            let role = if i % 2 == 0 { "ro" } else { "rw" };
            index.track(
                &format!("db/creds/{role}/{i}"),
                "db/",
                role,
                10_000 - i * 100,
                None,
            );
        }
        let ro = Filter {
            role: Some("ro".into()),
            ..Filter::default()
        };
        let (page, total) = index.search(&ro, None, 2);
        assert_eq!(total, 5);
        let ids: Vec<_> = page.iter().map(|l| l.lease_id.as_str()).collect();
        assert_eq!(ids, ["db/creds/ro/0", "db/creds/ro/2"]);
        let (page, _) = index.search(&ro, Some("db/creds/ro/2"), 2);
        assert_eq!(page[0].lease_id, "db/creds/ro/4");

        let soon = Filter {
            expiring_before: Some(9_500),
            ..Filter::default()
        };
        let (page, total) = index.search(&soon, None, 3);
        assert_eq!(total, 4); // expiries 9100, 9200, 9300, 9400
        assert_eq!(page[0].expire_ms, 9_100);
        let (next, _) = index.search(&soon, Some("9300:db/creds/rw/7"), 3);
        assert_eq!(next.len(), 1);
        assert_eq!(next[0].expire_ms, 9_400);
        let rw = Filter {
            prefix: Some("db/creds/rw/".into()),
            ..Filter::default()
        };
        assert_eq!(index.search(&rw, None, 100).1, 5);
    }

    #[test]
    fn the_timeline_counts_revocable_leases_per_slice() {
        let mut index = Index::default();
        for (i, expire) in [500, 1000, 1999, 2000, 3500, 9000].into_iter().enumerate() {
            index.track(&format!("db/creds/ro/{i}"), "db/", "ro", expire, None);
        }
        index.track("db/creds/ro/x", "db/", "ro", 1500, Some("gave up"));
        let timeline = index.timeline(1000, 1000, 3);
        assert_eq!(
            timeline,
            Timeline {
                counts: vec![2, 1, 1],
                overdue: 1,
                later: 1,
            }
        );
    }
}
