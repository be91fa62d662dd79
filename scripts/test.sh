#!/usr/bin/env bash
# Runs every check and test of Strongroom, installing what is missing first.
#   scripts/test.sh
# Stages: formatting, UI (typecheck, Vitest, build), clippy, Rust tests (unit, conformance,
# API, fixtures against real moto_server and PostgreSQL), system tests that drive the real
# `strongroom` binary with the bao CLI and hvac, then the end-to-end tests: the web UI in
# chromium against the real server, and the real desktop app under tauri-driver.
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

stage "web UI end-to-end (Playwright + chromium, real server, moto)"
(cd tests/e2e && npm run --silent test:browser)

stage "desktop end-to-end (tauri-driver + WebKitWebDriver under Xvfb, real app, OS keychain)"
tests/e2e/run-desktop.sh

stage "all tests passed"
