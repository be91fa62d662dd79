//! `strongroom server`: run a node behind the HTTP API until SIGINT or SIGTERM.

use std::process::ExitCode;
use std::time::Duration;

use std::path::Path;
use std::sync::Arc;

use strongroom_core::config::{Config, SealConfig, StorageConfig};
use strongroom_core::host::{Host, HostError, HostOptions};
use strongroom_core::node::NodeError;
use strongroom_core::storage::StorageError;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::args::ServerArgs;

mod ui {
    include!(concat!(env!("OUT_DIR"), "/ui_assets.rs"));
}

/// How long in-flight requests may run after a shutdown signal before the node seals anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Why the server could not start or stopped abnormally.
#[derive(Debug, thiserror::Error)]
enum ServerError {
    #[error("{0}")]
    Usage(String),
    #[error("Error loading configuration: {0}")]
    Config(#[from] strongroom_core::config::ConfigError),
    #[error("Error initializing storage: {0}")]
    Storage(#[from] StorageError),
    #[error("{0}")]
    Host(#[from] HostError),
    #[error("Error listening on {address}: {source}")]
    Listen {
        address: String,
        source: std::io::Error,
    },
    #[error("Error setting up the development server: {0}")]
    Dev(#[from] NodeError),
    #[error("Error serving HTTP: {0}")]
    Serve(std::io::Error),
}

/// Runs the server; the exit code is 0 after a clean shutdown, 1 on any error.
pub fn run(args: ServerArgs) -> ExitCode {
    let config = match load_config(&args) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let level = args
        .log_level
        .clone()
        .or_else(|| config.as_ref().and_then(|c| c.log_level.clone()))
        .unwrap_or_else(|| "info".into());
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(format!(
                "warn,strongroom={level},strongroom_core={level}"
            ))
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("Error starting the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(config, &args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// The config to start with; `None` means setup mode (`-setup` and no config file yet).
fn load_config(args: &ServerArgs) -> Result<Option<Config>, ServerError> {
    match (&args.config, args.dev) {
        (Some(_), true) => Err(ServerError::Usage(
            "-dev and -config cannot be combined: -dev always runs in memory".into(),
        )),
        (None, false) if args.setup => Err(ServerError::Usage(
            "-setup needs -config=FILE: the file the setup wizard writes".into(),
        )),
        (Some(path), false) if args.setup && !path.exists() => Ok(None),
        (Some(path), false) => Ok(Some(Config::load(path)?)),
        (None, true) => Ok(Some(Config::dev(&args.dev_listen_address)?)),
        (None, false) => Err(ServerError::Usage(
            "A configuration file must be given with -config=FILE, or use -dev for a development server"
                .into(),
        )),
    }
}

fn describe_storage(config: &StorageConfig) -> String {
    match config {
        StorageConfig::Inmem => "inmem".into(),
        StorageConfig::Local { path } => format!("local (path: {})", path.display()),
        StorageConfig::DynamoDb(s) => format!(
            "dynamodb (table: {}, region: {}{}, ha_enabled: {})",
            s.table,
            s.region,
            s.endpoint
                .as_ref()
                .map(|e| format!(", endpoint: {e}"))
                .unwrap_or_default(),
            s.ha_enabled
        ),
    }
}

fn describe_seal(config: &Config) -> String {
    let one = |seal: &SealConfig| match seal {
        SealConfig::Shamir => "shamir".to_owned(),
        SealConfig::AwsKms(s) => format!(
            "awskms (kms_key_id: {}, region: {}{})",
            s.key_id,
            s.region.as_deref().unwrap_or("from the AWS environment"),
            s.endpoint
                .as_ref()
                .map(|e| format!(", endpoint: {e}"))
                .unwrap_or_default()
        ),
    };
    match &config.old_seal {
        Some(old) => format!("{} (migrating from {})", one(&config.seal), one(old)),
        None => one(&config.seal),
    }
}

/// Opens the host: the dev node, the config's node, or setup mode.
async fn open_host(startup: Option<Config>, args: &ServerArgs) -> Result<Arc<Host>, ServerError> {
    match (startup, &args.config) {
        (Some(config), None) => Ok(Host::with_config(config).await?),
        (_, Some(path)) => Ok(Host::open(HostOptions {
            config_path: path.clone(),
            local_path: path
                .parent()
                .unwrap_or(Path::new("."))
                .join("strongroom.db"),
            secrets: None,
            listener: Some(args.setup_listen_address.clone()),
            ui: true,
        })
        .await?),
        (None, None) => unreachable!("setup mode needs -config"),
    }
}

async fn serve(startup: Option<Config>, args: &ServerArgs) -> Result<(), ServerError> {
    let host = open_host(startup, args).await?;
    let running = host.running();
    let addresses: Vec<String> = match &running {
        Some(r) => r
            .config
            .listeners
            .iter()
            .map(|l| l.address.clone())
            .collect(),
        None => vec![args.setup_listen_address.clone()],
    };
    let mut listeners = Vec::new();
    for address in addresses {
        let listener = TcpListener::bind(&address)
            .await
            .map_err(|source| ServerError::Listen {
                address: address.clone(),
                source,
            })?;
        listeners.push((address, listener));
    }

    let dev_credentials = match (&running, args.dev) {
        (Some(r), true) => Some(
            r.node
                .dev_init(args.dev_root_token_id.as_deref(), args.dev_leased_kv)
                .await?,
        ),
        _ => None,
    };

    println!("==> Strongroom server configuration:\n");
    let api_addr = match &running {
        Some(r) => r.config.node_options().api_addr,
        None => Some(format!("http://{}", args.setup_listen_address)),
    };
    println!(
        "             Api Address: {}",
        api_addr.as_deref().unwrap_or("(none)")
    );
    if let Some(cluster) = running
        .as_ref()
        .and_then(|r| r.config.node_options().cluster_addr)
    {
        println!("         Cluster Address: {cluster}");
    }
    for (i, (address, _)) in listeners.iter().enumerate() {
        println!(
            "              Listener {}: tcp (addr: \"{address}\", tls: \"disabled\")",
            i + 1
        );
    }
    match &running {
        Some(r) => {
            println!(
                "                 Storage: {}",
                describe_storage(&r.config.storage)
            );
            println!("                    Seal: {}", describe_seal(&r.config));
        }
        None => println!(
            "                   Setup: {} does not exist yet; open http://{}/ui/ to create it",
            args.config
                .as_deref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            args.setup_listen_address
        ),
    }
    println!(
        "                 Version: Strongroom v{}\n",
        strongroom_core::VERSION
    );
    if let Some((unseal_key, root_token)) = &dev_credentials {
        print_dev_banner(api_addr.as_deref().unwrap_or(""), unseal_key, root_token);
    }
    println!("==> Strongroom server started! Log data will stream in below:\n");
    if running
        .as_ref()
        .is_some_and(|r| r.config.old_seal.is_some())
    {
        tracing::warn!(
            "a disabled seal is configured: if its migration is pending, the node will not \
             unseal by itself; unseal with the old seal's keys and -migrate"
        );
    }

    let (stop_tx, stop_rx) = watch::channel(false);
    let mut servers = tokio::task::JoinSet::new();
    for (_, listener) in listeners {
        let app = strongroom_core::http::host_router(host.clone(), Some(ui::UI_ASSETS));
        let mut stop = stop_rx.clone();
        servers.spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stop.wait_for(|s| *s).await;
                })
                .await
        });
    }

    let signal = wait_for_signal().await;
    tracing::info!(signal, "shutdown triggered, draining requests");
    let _ = stop_tx.send(true);
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        let mut result = Ok(());
        while let Some(joined) = servers.join_next().await {
            if let Ok(Err(e)) = joined {
                result = Err(ServerError::Serve(e));
            }
        }
        result
    })
    .await;
    if drained.is_err() {
        tracing::warn!("requests still running after {SHUTDOWN_GRACE:?}; sealing anyway");
        servers.abort_all();
    }
    host.shutdown().await;
    tracing::info!("sealed and stopped");
    drained.unwrap_or(Ok(()))
}

fn print_dev_banner(api_addr: &str, unseal_key: &str, root_token: &str) {
    println!(
        "WARNING! dev mode is enabled! Everything is kept in memory and lost on exit; the server\n\
         starts initialized and unsealed with a single unseal key.\n\n\
         To use the vault or bao CLI against it:\n\n    \
         $ export VAULT_ADDR='{api_addr}'\n    \
         $ export VAULT_TOKEN='{root_token}'\n\n\
         The web UI is at {api_addr}/ui/ (sign in with the root token).\n\n\
         The unseal key and root token are shown below in case you want to\n\
         seal/unseal the server or re-authenticate.\n\n\
         Unseal Key: {unseal_key}\n\
         Root Token: {root_token}\n\n\
         Development mode should NOT be used in production installations!\n"
    );
}

/// Waits for SIGINT or SIGTERM and names the one received.
async fn wait_for_signal() -> &'static str {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        // Without signal handlers the server can only be killed; keep serving.
        std::future::pending::<()>().await;
        return "none";
    };
    tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = int.recv() => "SIGINT",
    }
}
