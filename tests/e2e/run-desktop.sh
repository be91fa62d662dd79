#!/usr/bin/env bash
# Runs the desktop end-to-end tests the way a Linux desktop session runs the app: an X server
# (Xvfb), a session bus, and an unlocked GNOME Keyring for the OS keychain, all private to this
# run and gone when it ends.
#   tests/e2e/run-desktop.sh                  the desktop tests
#   tests/e2e/run-desktop.sh node FILE.mjs    anything else in that session (bench/desktop.sh)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
if [ -z "${STRONGROOM_KEYRING_READY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1280x900x24" dbus-run-session -- env STRONGROOM_KEYRING_READY=1 "$here/run-desktop.sh" "$@"
fi
export XDG_DATA_HOME="${XDG_DATA_HOME:-$(mktemp -d)}"
eval "$(printf 'e2e-keyring' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
if [ $# -eq 0 ]; then
  set -- node --test --test-concurrency=1 desktop/
fi
exec "$@"
