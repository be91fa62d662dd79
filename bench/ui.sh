#!/usr/bin/env bash
# Browser UI metrics: click to credential (team server on moto + PostgreSQL) and the lease
# dashboard's filter-to-rows time at 100,000 leases, each next to its bare API request.
#   bench/ui.sh [runs] [leases]
# STRONGROOM_BIN picks the server binary (default: the release build when there is one).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -z "${STRONGROOM_BIN:-}" ] && [ -x target/release/strongroom ]; then
  export STRONGROOM_BIN="$PWD/target/release/strongroom"
fi
cd tests/e2e
exec node metrics/ui.mjs "${1:-10}" "${2:-100000}"
