#!/usr/bin/env bash
# Desktop metrics of the release app:
#   npx --yes @tauri-apps/cli@2.12.5 build --bundles deb   # release binary + .deb
#   bench/desktop.sh [runs]            cold start, idle memory, installed size
#   bench/desktop.sh checkout [runs]   click to credential (with a throwaway PostgreSQL)
# STRONGROOM_DESKTOP_BIN picks another binary (default: the release build).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export STRONGROOM_DESKTOP_BIN="${STRONGROOM_DESKTOP_BIN:-$PWD/target/release/strongroom-desktop}"
if [ "${1:-}" = checkout ]; then
  exec tests/e2e/run-desktop.sh node metrics/desktop-checkout.mjs "${2:-10}"
fi
exec tests/e2e/run-desktop.sh node metrics/desktop.mjs "${1:-5}"
