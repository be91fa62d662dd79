#!/usr/bin/env bash
# Builds and starts the Strongroom desktop app with its defaults: embedded local storage and
# the Shamir seal, no AWS needed. Installs what is missing first.
#   scripts/run-app.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$REPO_ROOT"

setup_app
log "building the UI"
(cd ui && npm run --silent build >/dev/null)
log "building the app (the first build takes several minutes)"
cargo build --workspace --locked
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display found. On a headless machine run: xvfb-run -a scripts/run-app.sh" >&2
  exit 1
fi
log "starting Strongroom"
exec "$REPO_ROOT/target/debug/strongroom-desktop"
