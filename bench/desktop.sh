#!/usr/bin/env bash
# Desktop metrics (cold start, idle memory, installed size) of the release app:
#   npx --yes @tauri-apps/cli@2.12.5 build --bundles deb   # release binary + .deb
#   bench/desktop.sh [runs]
# STRONGROOM_DESKTOP_BIN picks another binary (default: the release build).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export STRONGROOM_DESKTOP_BIN="${STRONGROOM_DESKTOP_BIN:-$PWD/target/release/strongroom-desktop}"
exec tests/e2e/run-desktop.sh node metrics/desktop.mjs "${1:-5}"
