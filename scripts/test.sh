#!/usr/bin/env bash
# Runs every check and test of Strongroom, installing what is missing first.
#   scripts/test.sh
# Stages: formatting, UI (typecheck, Vitest, build), clippy, Rust tests (unit, conformance,
# API, fixtures against real moto_server and PostgreSQL), then system tests that drive the
# real `strongroom` binary with the bao CLI and hvac.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$REPO_ROOT"

started=$SECONDS
stage() { log "$1 ($((SECONDS - started)) s)"; }

stage "setup"
setup_tests
export STRONGROOM_VENV="$VENV"

stage "cargo fmt --check"
cargo fmt --all --check

stage "UI: typecheck, unit tests, build"
(cd ui && npm run --silent typecheck && npx vitest run --reporter=dot && npm run --silent build >/dev/null)

# Always the same package selection (--workspace) so that feature unification, and with it the
# build cache, stays identical across these steps.
stage "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

stage "cargo build"
cargo build --workspace --all-targets --locked

stage "Rust tests"
cargo test --workspace --locked

stage "system tests (bao CLI, hvac, real binary)"
"$VENV/bin/pytest" -q -p no:cacheprovider tests/system

stage "all tests passed"
