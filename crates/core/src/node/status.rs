//! What `sys/seal-status`, `sys/health` and `sys/leader` report.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::keys::Mode;
use super::{Node, NodeError, NodeOptions};
use crate::barrier::Barrier;
use crate::random::random_hex;
use crate::VERSION;

/// Where the cluster's name and id are stored (inside the barrier).
const CLUSTER_INFO_PATH: &str = "core/cluster/local/info";
/// The build date reported to clients (the date of this release's sources is not tracked).
const BUILD_DATE: &str = "1970-01-01T00:00:00Z";

/// The cluster identity, created at init.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClusterInfo {
    /// `cluster_name` from the config, or `strongroom-cluster-<8 hex>`.
    pub name: String,
    /// A UUID.
    pub id: String,
}

impl ClusterInfo {
    pub(super) async fn load_or_create(
        barrier: &Barrier,
        options: &NodeOptions,
    ) -> Result<Self, NodeError> {
        if let Some(bytes) = barrier.get(CLUSTER_INFO_PATH).await? {
            let mut info: ClusterInfo = serde_json::from_slice(&bytes)
                .map_err(|e| NodeError::Corrupt(format!("{CLUSTER_INFO_PATH} is corrupt: {e}")))?;
            if let Some(name) = &options.cluster_name {
                info.name = name.clone();
            }
            return Ok(info);
        }
        let info = ClusterInfo {
            name: options
                .cluster_name
                .clone()
                .unwrap_or_else(|| format!("strongroom-cluster-{}", random_hex(4))),
            id: uuid::Uuid::new_v4().to_string(),
        };
        let bytes = serde_json::to_vec(&info).unwrap_or_default();
        barrier.put(CLUSTER_INFO_PATH, &bytes).await?;
        Ok(info)
    }
}

/// `GET sys/seal-status` (also the answer to `sys/unseal`).
#[derive(Debug, Clone, Serialize)]
pub struct SealStatus {
    /// Seal type.
    #[serde(rename = "type")]
    pub seal_type: String,
    /// Whether `sys/init` has run.
    pub initialized: bool,
    /// Whether the node is sealed.
    pub sealed: bool,
    /// Threshold.
    pub t: u32,
    /// Number of shares.
    pub n: u32,
    /// Shares entered so far.
    pub progress: usize,
    /// Identifies the current unseal attempt ("" when none).
    pub nonce: String,
    /// Server version.
    pub version: String,
    /// Build date.
    pub build_date: String,
    /// Whether a seal migration is in progress.
    pub migration: bool,
    /// Cluster name (only while unsealed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_name: Option<String>,
    /// Cluster id (only while unsealed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
    /// Whether recovery keys are in use (auto-unseal).
    pub recovery_seal: bool,
    /// How the recovery key is split (`shamir`), with auto-unseal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_seal_type: Option<String>,
    /// The storage backend type.
    pub storage_type: String,
    /// Strongroom extension: why the last automatic unseal failed (auto-unseal seals only,
    /// while sealed), in one line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_unseal_error: Option<String>,
    /// Strongroom extension: when the next automatic unseal attempt is due (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_unseal_next_attempt: Option<String>,
}

/// `GET sys/health`.
#[derive(Debug, Clone, Serialize)]
pub struct HealthStatus {
    /// Whether `sys/init` has run.
    pub initialized: bool,
    /// Whether the node is sealed.
    pub sealed: bool,
    /// Whether this node is an HA standby.
    pub standby: bool,
    /// Always false (an Enterprise feature).
    pub performance_standby: bool,
    /// Always `disabled` (an Enterprise feature).
    pub replication_performance_mode: String,
    /// Always `disabled` (an Enterprise feature).
    pub replication_dr_mode: String,
    /// Unix seconds.
    pub server_time_utc: i64,
    /// Server version.
    pub version: String,
    /// Cluster name (only while unsealed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_name: Option<String>,
    /// Cluster id (only while unsealed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
}

/// `GET sys/leader`.
#[derive(Debug, Clone, Serialize)]
pub struct LeaderStatus {
    /// Whether the storage provides HA (a lock).
    pub ha_enabled: bool,
    /// Whether this node is the active node.
    pub is_self: bool,
    /// When this node became active (RFC 3339; zero time without HA).
    pub active_time: String,
    /// The active node's `api_addr`.
    pub leader_address: String,
    /// The active node's `cluster_addr`.
    pub leader_cluster_address: String,
    /// Always false (an Enterprise feature).
    pub performance_standby: bool,
    /// Always 0 (an Enterprise feature).
    pub performance_standby_last_remote_wal: u64,
    /// Strongroom extension: how far the active node's clock is ahead of this node's (negative:
    /// behind), in ms, when a standby measured more skew than polling explains.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clock_skew_ms: Option<i64>,
}

impl Node {
    /// Whether `sys/init` has completed: the keyring, written last by init, exists.
    pub async fn initialized(&self) -> Result<bool, NodeError> {
        Ok(self.barrier.initialized().await?)
    }

    /// The seal status; readable while sealed. `t`/`n` describe the shares an operator
    /// would enter now: recovery shares with auto-unseal, the old seal's during a migration.
    pub async fn seal_status(&self) -> Result<SealStatus, NodeError> {
        let initialized = self.initialized().await?;
        let plan = match self.key_plan().await {
            Ok(plan) => plan.filter(|_| initialized),
            // A stored seal that is not configured: report it sealed with no plan; unseal
            // attempts explain the problem.
            Err(NodeError::InvalidRequest(_)) => None,
            Err(e) => return Err(e),
        };
        let (progress, nonce) = {
            let p = self.progress.lock().await;
            (p.count(), p.nonce().to_owned())
        };
        let active = self.active().ok();
        let sealed = self.barrier.is_sealed();
        let (t, n, migration) = match &plan {
            Some(p) => (
                p.shares.secret_threshold,
                p.shares.secret_shares,
                matches!(p.mode, Mode::Migrate { .. }),
            ),
            None => (0, 0, false),
        };
        let (auto_unseal_error, auto_unseal_next_attempt) = if sealed {
            self.auto_unseal_state()
        } else {
            (None, None)
        };
        Ok(SealStatus {
            seal_type: self.seal.type_name().into(),
            initialized,
            sealed,
            t,
            n,
            progress,
            nonce,
            version: VERSION.into(),
            build_date: BUILD_DATE.into(),
            migration,
            cluster_name: active.as_ref().map(|a| a.cluster.name.clone()),
            cluster_id: active.as_ref().map(|a| a.cluster.id.clone()),
            recovery_seal: self.seal.auto().is_some(),
            recovery_seal_type: self.seal.auto().map(|_| "shamir".to_owned()),
            storage_type: self.storage_type().into(),
            auto_unseal_error,
            auto_unseal_next_attempt,
        })
    }

    /// The health summary; never fails (storage errors read as "not initialized").
    pub async fn health(&self) -> HealthStatus {
        let initialized = self.initialized().await.unwrap_or(false);
        let active = self.active().ok();
        let sealed = self.barrier.is_sealed();
        HealthStatus {
            initialized,
            sealed,
            standby: !sealed && active.is_none() && self.ha_enabled(),
            performance_standby: false,
            replication_performance_mode: "disabled".into(),
            replication_dr_mode: "disabled".into(),
            server_time_utc: OffsetDateTime::now_utc().unix_timestamp(),
            version: VERSION.into(),
            cluster_name: active.as_ref().map(|a| a.cluster.name.clone()),
            cluster_id: active.as_ref().map(|a| a.cluster.id.clone()),
        }
    }

    /// The leader status; a sealed node cannot answer.
    pub fn leader(&self) -> Result<LeaderStatus, NodeError> {
        if self.barrier.is_sealed() {
            return Err(NodeError::Sealed);
        }
        let zero_time = "0001-01-01T00:00:00Z".to_owned();
        let Some(ha) = &self.ha else {
            self.active()?;
            return Ok(LeaderStatus {
                ha_enabled: false,
                is_self: false,
                active_time: zero_time,
                leader_address: String::new(),
                leader_cluster_address: String::new(),
                performance_standby: false,
                performance_standby_last_remote_wal: 0,
                clock_skew_ms: None,
            });
        };
        let is_self = self.active().is_ok();
        let leader = ha.leader();
        Ok(LeaderStatus {
            ha_enabled: true,
            is_self,
            active_time: leader.as_ref().map_or(zero_time, |l| l.active_time.clone()),
            leader_address: leader
                .as_ref()
                .map(|l| l.api_addr.clone())
                .unwrap_or_default(),
            leader_cluster_address: leader.map(|l| l.cluster_addr).unwrap_or_default(),
            performance_standby: false,
            performance_standby_last_remote_wal: 0,
            clock_skew_ms: if is_self { None } else { ha.clock_skew_ms() },
        })
    }
}
