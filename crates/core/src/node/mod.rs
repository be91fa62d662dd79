//! A Strongroom node: storage, barrier and seal brought together, with Vault's life cycle.
//!
//! A node starts sealed. `init` creates the keys (and leaves the node sealed, as Vault does
//! with Shamir); `unseal` collects key shares until the threshold is met; once unsealed the
//! node loads its mount tables and token store ([`Active`]) and serves logical requests;
//! `seal` drops every key. Init, unseal and seal are serialized by one lock so no request can
//! observe a half-unsealed node.

mod auto_unseal;
mod generate_root;
mod ha;
mod init;
mod keys;
mod status;
mod unseal;

use std::sync::{Arc, RwLock, Weak};
use std::time::Duration;

use zeroize::Zeroizing;

use crate::barrier::{Barrier, BarrierError, BarrierView};
use crate::error::{Classify, ErrorKind};
use crate::lease::{Expiration, LeaseError, LeaseOptions};
use crate::logical::{BackendRequest, LeaseInfo, LogicalError, Operation, Request, Response};
use crate::mount::{Factory, Handler, MountEntry, MountError, Mounts, Table};
use crate::policy::{PolicyStore, PolicyStoreError};
use crate::seal::{Seal, SealError};
use crate::storage::{Backend, StorageError};
use crate::system;
use crate::token::{TokenContext, TokenEntry, TokenError, TokenStore};

pub use auto_unseal::AutoUnseal;
pub use generate_root::RootGenerationStatus;
pub use init::{InitRequest, InitResponse};
pub use status::{ClusterInfo, HealthStatus, LeaderStatus, SealStatus};
pub use unseal::UnsealRequest;

/// Vault's system-wide lease TTL when none is configured (32 days).
pub const DEFAULT_LEASE_TTL: Duration = Duration::from_secs(768 * 3600);

/// Errors from node operations.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// The node is sealed.
    #[error("Vault is sealed")]
    Sealed,
    /// Unseal before init.
    #[error("Vault is not initialized")]
    NotInitialized,
    /// Init after init.
    #[error("Vault is already initialized")]
    AlreadyInitialized,
    /// A malformed request; the message names the problem.
    #[error("{0}")]
    InvalidRequest(String),
    /// The token may not do this.
    #[error("permission denied")]
    PermissionDenied,
    /// This HA node is a standby; the active node's `api_addr` when known.
    #[error("{}", standby_message(.0.as_deref()))]
    Standby(Option<String>),
    /// No mount handles the path.
    #[error("no handler for route {0:?}. route entry not found.")]
    UnsupportedPath(String),
    /// A record the node keeps in storage is damaged.
    #[error("{0}")]
    Corrupt(String),
    /// From a backend.
    #[error(transparent)]
    Logical(#[from] LogicalError),
    /// From the barrier.
    #[error(transparent)]
    Barrier(#[from] BarrierError),
    /// From the seal.
    #[error(transparent)]
    Seal(#[from] SealError),
    /// From storage.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// From the token store.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// From the mount tables.
    #[error(transparent)]
    Mount(#[from] MountError),
    /// From the lease manager.
    #[error(transparent)]
    Lease(#[from] LeaseError),
    /// From the policy store.
    #[error(transparent)]
    Policy(#[from] PolicyStoreError),
}

impl Classify for NodeError {
    fn kind(&self) -> ErrorKind {
        match self {
            NodeError::Sealed | NodeError::Standby(_) => ErrorKind::Sealed,
            NodeError::NotInitialized
            | NodeError::AlreadyInitialized
            | NodeError::InvalidRequest(_) => ErrorKind::InvalidRequest,
            NodeError::PermissionDenied => ErrorKind::PermissionDenied,
            NodeError::UnsupportedPath(_) => ErrorKind::UnsupportedPath,
            NodeError::Corrupt(_) => ErrorKind::Internal,
            NodeError::Logical(e) => e.kind(),
            NodeError::Barrier(e) => e.kind(),
            NodeError::Seal(e) => e.kind(),
            NodeError::Storage(e) => e.kind(),
            NodeError::Token(e) => e.kind(),
            NodeError::Mount(e) => e.kind(),
            NodeError::Lease(e) => e.kind(),
            NodeError::Policy(e) => e.kind(),
        }
    }
}

fn standby_message(leader: Option<&str>) -> String {
    match leader {
        // Vault's wording, which clients and scripts match on.
        None => "local node not active but active cluster node not found".into(),
        Some(addr) => format!("this node is a standby; the active node is at {addr}"),
    }
}

/// Server-level settings a node needs (from the HCL config or `-dev`).
#[derive(Debug, Clone)]
pub struct NodeOptions {
    /// `cluster_name`; generated at init when absent.
    pub cluster_name: Option<String>,
    /// `api_addr`, advertised by `sys/leader`.
    pub api_addr: Option<String>,
    /// `cluster_addr`.
    pub cluster_addr: Option<String>,
    /// `max_lease_ttl`.
    pub max_lease_ttl: Duration,
    /// `default_lease_ttl`.
    pub default_lease_ttl: Duration,
    /// Revocation attempts before a lease is marked irrevocable (`lease_revocation_attempts`).
    pub revoke_attempts: u32,
    /// Base of the revocation retry backoff (`lease_revocation_retry_base`).
    pub revoke_retry_base: Duration,
}

impl Default for NodeOptions {
    fn default() -> Self {
        let leases = LeaseOptions::default();
        Self {
            cluster_name: None,
            api_addr: None,
            cluster_addr: None,
            max_lease_ttl: DEFAULT_LEASE_TTL,
            default_lease_ttl: DEFAULT_LEASE_TTL,
            revoke_attempts: leases.max_revoke_attempts,
            revoke_retry_base: leases.revoke_retry_base,
        }
    }
}

impl NodeOptions {
    /// These options with the revocation retry settings, where given.
    pub fn with_revocation(mut self, attempts: Option<u32>, retry_base: Option<Duration>) -> Self {
        if let Some(a) = attempts {
            self.revoke_attempts = a;
        }
        if let Some(b) = retry_base {
            self.revoke_retry_base = b;
        }
        self
    }

    fn lease_options(&self) -> LeaseOptions {
        LeaseOptions {
            default_ttl: self.default_lease_ttl.min(self.max_lease_ttl),
            max_ttl: self.max_lease_ttl,
            max_revoke_attempts: self.revoke_attempts.max(1),
            revoke_retry_base: self.revoke_retry_base,
        }
    }
}

/// Everything a node holds only while unsealed.
pub(crate) struct Active {
    pub(crate) barrier: Arc<Barrier>,
    pub(crate) mounts: Arc<Mounts>,
    pub(crate) tokens: Arc<TokenStore>,
    pub(crate) policies: Arc<PolicyStore>,
    pub(crate) leases: Arc<Expiration>,
    /// `sys/policies/password`, which engines use to generate passwords.
    pub(crate) passwords: crate::system::password_policy::PasswordPolicies,
    pub(crate) cluster: ClusterInfo,
    /// With HA: when this node must stop serving unless it renews the lock.
    pub(crate) fence: Option<Arc<ha::Fence>>,
    /// With HA: wakes the election to give up the lock (`sys/step-down`).
    pub(crate) step_down: Option<Arc<tokio::sync::Notify>>,
    /// The seal in use (for `sys/seal/awskms`).
    pub(crate) seal: Seal,
    /// The `sys/generate-root` attempt in progress; sealing ends it.
    pub(crate) root_generation: tokio::sync::Mutex<Option<generate_root::Attempt>>,
}

impl Active {
    /// Loads the token store, mount tables and cluster identity after the barrier unsealed.
    async fn load(
        barrier: Arc<Barrier>,
        options: &NodeOptions,
        seal: &Seal,
    ) -> Result<Self, NodeError> {
        let view = |prefix: &str| BarrierView::new(barrier.clone(), prefix);
        let tokens = Arc::new(TokenStore::open(view("sys/token/")).await?);
        let policies = Arc::new(PolicyStore::open(view("sys/policy/")).await?);
        let leases = Expiration::new(view("sys/expire/"), tokens.clone(), options.lease_options());
        let factory: Arc<Factory> = Arc::new(crate::engines::handler);
        let mounts = Arc::new(Mounts::load(barrier.clone(), factory).await?);
        let cluster = ClusterInfo::load_or_create(&barrier, options).await?;
        let passwords =
            crate::system::password_policy::PasswordPolicies::new(view("sys/password_policy/"));
        leases.attach(mounts.clone());
        leases.start();
        Ok(Self {
            barrier,
            mounts,
            tokens,
            policies,
            leases,
            passwords,
            cluster,
            fence: None,
            step_down: None,
            seal: seal.clone(),
            root_generation: tokio::sync::Mutex::new(None),
        })
    }
}

/// An authenticated caller.
pub(crate) struct Caller {
    /// The token's entry as it was before this request's use was counted.
    pub(crate) entry: TokenEntry,
    /// The token's salted id.
    pub(crate) salted: String,
    /// Whether this request spent the token's last use.
    pub(crate) last_use: bool,
}

/// The result of a logical request.
#[derive(Debug)]
pub struct Reply {
    /// The backend's response (`None`: no content).
    pub response: Option<Response>,
    /// The operation after the create/update existence check.
    pub operation: Operation,
    /// The type of the mount that answered (`mount_type` in the envelope).
    pub mount_type: String,
}

/// One Strongroom node.
pub struct Node {
    storage: Arc<dyn Backend>,
    barrier: Arc<Barrier>,
    options: NodeOptions,
    /// Unseal progress; holding this lock serializes init, unseal and seal.
    progress: tokio::sync::Mutex<unseal::Progress>,
    active: RwLock<Option<Arc<Active>>>,
    /// Present when the storage provides an HA lock.
    ha: Option<ha::Ha>,
    /// The seal in use.
    seal: Seal,
    /// The seal marked `disabled` in the config: a migration from it may be pending.
    old_seal: Option<Seal>,
    /// What automatic unsealing last found, for `sys/seal-status`.
    auto_unseal: std::sync::Mutex<auto_unseal::State>,
    /// The automatic unseal task, stopped at shutdown.
    auto_unseal_task: std::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
    /// This node, for the election task it spawns.
    me: Weak<Node>,
}

impl Node {
    /// A sealed node over `storage` with the Shamir seal.
    pub fn new(storage: Arc<dyn Backend>, options: NodeOptions) -> Arc<Self> {
        Self::with_seal(storage, options, Seal::Shamir, None)
    }

    /// A sealed node over `storage` protected by `seal`; `old_seal` is the seal a migration
    /// would start from (the config's `disabled` seal).
    pub fn with_seal(
        storage: Arc<dyn Backend>,
        options: NodeOptions,
        seal: Seal,
        old_seal: Option<Seal>,
    ) -> Arc<Self> {
        Arc::new_cyclic(|me| Self {
            barrier: Arc::new(Barrier::new(storage.clone())),
            ha: storage.ha().map(|_| ha::Ha::new()),
            seal,
            old_seal,
            auto_unseal: std::sync::Mutex::new(auto_unseal::State::default()),
            auto_unseal_task: std::sync::Mutex::new(None),
            storage,
            options,
            progress: tokio::sync::Mutex::new(unseal::Progress::default()),
            active: RwLock::new(None),
            me: me.clone(),
        })
    }

    /// The storage backend's type (`inmem`, `local`, ...).
    pub fn storage_type(&self) -> &'static str {
        self.storage.kind()
    }

    /// The active state, if this node may serve: unsealed and, with HA, holding the lock.
    pub(crate) fn active(&self) -> Result<Arc<Active>, NodeError> {
        let current = self
            .active
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        match current {
            Some(a) if a.fence.as_ref().is_none_or(|f| f.holds()) => Ok(a),
            _ if self.barrier.is_sealed() => Err(NodeError::Sealed),
            _ => Err(NodeError::Standby(
                self.ha
                    .as_ref()
                    .and_then(ha::Ha::leader)
                    .map(|l| l.api_addr)
                    .filter(|a| !a.is_empty()),
            )),
        }
    }

    /// Whether this node takes part in an HA cluster.
    pub fn ha_enabled(&self) -> bool {
        self.ha.is_some()
    }

    /// Replaces the active state; the old one's lease timer stops (sealed or standby).
    fn set_active(&self, active: Option<Arc<Active>>) {
        let old = std::mem::replace(
            &mut *self.active.write().unwrap_or_else(|e| e.into_inner()),
            active,
        );
        if let Some(old) = old {
            old.leases.stop();
        }
    }

    /// Unseals the barrier with `root_key`; then loads everything that lives behind it, or,
    /// with HA, starts campaigning to become the active node.
    async fn unseal_with_root_key(&self, root_key: &Zeroizing<Vec<u8>>) -> Result<(), NodeError> {
        self.barrier.unseal(root_key).await?;
        if self.ha.is_some() {
            self.start_election();
            return Ok(());
        }
        self.load_active().await
    }

    /// Loads the active state behind an unsealed barrier (sealing again if that fails).
    async fn load_active(&self) -> Result<(), NodeError> {
        match Active::load(self.barrier.clone(), &self.options, &self.seal).await {
            Ok(active) => {
                self.set_active(Some(Arc::new(active)));
                Ok(())
            }
            Err(e) => {
                self.barrier.seal();
                Err(e)
            }
        }
    }

    async fn seal_now(&self) {
        self.stop_election().await;
        self.set_active(None);
        self.barrier.seal();
    }

    /// Seals the node (`sys/seal`); needs a token allowed `update` with `sudo` on `sys/seal`.
    pub async fn seal(&self, token: Option<&str>) -> Result<(), NodeError> {
        let active = match self.active() {
            Err(NodeError::Standby(_)) => {
                return Err(NodeError::InvalidRequest(
                    "vault cannot seal when in standby mode; please restart instead".into(),
                ))
            }
            other => other?,
        };
        let caller = self.authenticate(&active, token).await?;
        let acl = active.policies.acl(&caller.entry.policies).await?;
        if !acl.allows("sys/seal", Operation::Update, true) {
            return Err(NodeError::PermissionDenied);
        }
        let mut progress = self.progress.lock().await;
        progress.reset();
        self.seal_now().await;
        tracing::info!("vault is sealed");
        Ok(())
    }

    /// Seals and releases storage; called once when the process stops.
    pub async fn shutdown(&self) {
        self.stop_auto_unseal();
        let mut progress = self.progress.lock().await;
        progress.reset();
        self.seal_now().await;
        self.storage.close().await;
    }

    /// Finds the caller's token: unknown, expired or used-up tokens are denied. A use of a
    /// limited-use token is counted here.
    async fn authenticate(
        &self,
        active: &Active,
        token: Option<&str>,
    ) -> Result<Caller, NodeError> {
        let token = token
            .filter(|t| !t.is_empty())
            .ok_or(NodeError::PermissionDenied)?;
        let salted = active.tokens.salt_id(token);
        let (entry, last_use) = active
            .tokens
            .spend_use(&salted)
            .await?
            .ok_or(NodeError::PermissionDenied)?;
        if entry.ttl > 0 {
            // A token with a TTL lives exactly as long as its lease.
            match active.leases.expiry_of(&entry.lease_id(&salted)).await? {
                Some(expires) if expires > crate::lease::now_ms() => {}
                _ => return Err(NodeError::PermissionDenied),
            }
        }
        Ok(Caller {
            entry,
            salted,
            last_use,
        })
    }

    /// Authenticates, authorizes and routes a logical request.
    pub async fn handle(&self, req: Request) -> Result<Reply, NodeError> {
        let active = self.active()?;
        let route = active.mounts.route(&req.path);
        let unauthenticated = matches!(
            &route,
            Some((r, rel)) if matches!(r.handler, Handler::System) && system::is_unauthenticated(rel)
        );
        let caller = if unauthenticated {
            None
        } else {
            Some(
                self.authenticate(&active, req.client_token.as_deref())
                    .await?,
            )
        };
        let result = self.dispatch(&active, &req, route, caller.as_ref()).await;
        if let Some(c) = caller.filter(|c| c.last_use) {
            // The last use is spent: the token goes, with its children and leases.
            if let Err(e) = active.leases.revoke_token_tree(&c.salted).await {
                tracing::warn!(error = %e, "could not revoke a used-up token");
            }
        }
        result
    }

    async fn dispatch(
        &self,
        active: &Arc<Active>,
        req: &Request,
        route: Option<(Arc<crate::mount::Route>, String)>,
        caller: Option<&Caller>,
    ) -> Result<Reply, NodeError> {
        let (route, relative) =
            route.ok_or_else(|| NodeError::UnsupportedPath(req.path.clone()))?;
        let acl = match caller {
            Some(c) => Some(active.policies.acl(&c.entry.policies).await?),
            None => None,
        };
        let mut backend_req = BackendRequest {
            operation: req.operation,
            path: &relative,
            data: &req.data,
            storage: &route.view,
            token: caller.map(|c| &c.entry),
            client_token: req.client_token.as_deref().filter(|_| caller.is_some()),
            sudo: acl.as_ref().is_some_and(|a| {
                a.is_root()
                    || a.capabilities(&req.path)
                        .contains(crate::policy::Capabilities::SUDO)
            }),
            passwords: &active.passwords,
            leases: caller.map(|c| crate::lease::Issuer {
                manager: &active.leases,
                path: &req.path,
                mount: &route.entry,
                client_token: &c.salted,
            }),
        };
        if backend_req.operation == Operation::Update {
            let exists = match &route.handler {
                Handler::Backend(backend) => backend.exists(&backend_req).await?,
                Handler::System => system::exists(active, &relative).await?,
                Handler::Token => None,
            };
            if exists == Some(false) {
                backend_req.operation = Operation::Create;
            }
        }
        if let Some(acl) = &acl {
            let sudo = matches!(route.handler, Handler::System)
                && system::requires_sudo(&relative, backend_req.operation);
            if !acl.allows(&req.path, backend_req.operation, sudo) {
                return Err(NodeError::PermissionDenied);
            }
        }
        let mut response = match &route.handler {
            Handler::System if relative.starts_with("generate-root-token/") => {
                self.generate_root_logical(&relative, &backend_req).await?
            }
            Handler::System => {
                let ctx = system::Context {
                    active,
                    options: &self.options,
                };
                system::handle(&ctx, &backend_req).await?
            }
            Handler::Token => {
                let ctx = TokenContext {
                    tokens: &active.tokens,
                    leases: &active.leases,
                    policies: &active.policies,
                    mount: &route.entry,
                };
                crate::token::handle(&ctx, &backend_req).await?
            }
            Handler::Backend(backend) => backend.handle(&backend_req).await?,
        };
        if let Some(resp) = response.as_mut() {
            if let Some(secret) = resp.secret.take() {
                self.lease_response(active, &route, &req.path, caller, &secret, resp)
                    .await?;
            }
        }
        Ok(Reply {
            response,
            operation: backend_req.operation,
            mount_type: route.entry.kind.clone(),
        })
    }

    /// Puts a secret under a lease. If that fails the engine revokes what it just created,
    /// so a client never holds a secret nobody will revoke.
    async fn lease_response(
        &self,
        active: &Active,
        route: &crate::mount::Route,
        path: &str,
        caller: Option<&Caller>,
        secret: &crate::logical::Secret,
        resp: &mut Response,
    ) -> Result<(), NodeError> {
        let client = caller.map_or("", |c| c.salted.as_str());
        match active
            .leases
            .register(path, &route.entry, client, secret)
            .await
        {
            Ok(grant) => {
                resp.warnings.extend(grant.warning.clone());
                resp.lease = Some(LeaseInfo {
                    lease_id: grant.lease_id,
                    duration: grant.duration,
                    renewable: grant.renewable,
                });
                Ok(())
            }
            Err(e) => {
                if let Handler::Backend(backend) = &route.handler {
                    let undo = crate::logical::LeaseRequest {
                        lease_id: "",
                        storage: &route.view,
                        internal: &secret.internal,
                        increment: 0,
                        issue_ms: crate::lease::now_ms(),
                        limits: active.leases.limits(&route.entry),
                    };
                    if let Err(undo_err) = backend.revoke(&undo).await {
                        tracing::error!(error = %undo_err, "could not undo a secret whose lease failed");
                    }
                }
                Err(e.into())
            }
        }
    }

    /// For `-dev`: initializes with one share, unseals, creates the root token (with `root_id`
    /// if given) and mounts kv at `secret/` (leased with `-dev-leased-kv`). Returns the unseal
    /// key and the root token.
    pub async fn dev_init(
        &self,
        root_id: Option<&str>,
        leased_kv: bool,
    ) -> Result<(Zeroizing<String>, Zeroizing<String>), NodeError> {
        let init = self
            .init(InitRequest {
                secret_shares: 1,
                secret_threshold: 1,
                ..InitRequest::default()
            })
            .await?;
        let key = Zeroizing::new(init.keys_base64[0].to_string());
        self.unseal(UnsealRequest {
            key: Some(key.to_string()),
            ..UnsealRequest::default()
        })
        .await?;
        let active = self.active()?;
        let root_token = match root_id {
            Some(id) => {
                // Like Vault: the requested id replaces the generated root token.
                let token = Zeroizing::new(active.tokens.create_root(Some(id)).await?);
                active.tokens.revoke(&init.root_token).await?;
                token
            }
            None => Zeroizing::new(init.root_token.to_string()),
        };
        let mut kv = MountEntry::new(Table::Mounts, "secret/", "kv", "key/value secret storage");
        kv.options.insert("version".into(), "1".into());
        if leased_kv {
            kv.options.insert("leased".into(), "true".into());
        }
        active.mounts.mount(kv).await?;
        Ok((key, root_token))
    }
}
