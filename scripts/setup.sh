#!/usr/bin/env bash
# Installs what the build needs, each only when missing: the wasm32 target, a
# wasm-bindgen-cli of exactly the crate's wasm-bindgen version (from Cargo.lock),
# wasm-pack, and the npm packages. With --test, also Chromium and ChromeDriver
# (Debian packages via apt-get when run as root) for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-pack uses the wasm-bindgen on PATH only when its version equals Cargo.lock's.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version (a few minutes, once)"
  # Not --locked: its lockfile wants a crate newer than the registry here (toolchain.md).
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

if [ "$(wasm-pack --version 2>/dev/null || true)" != "wasm-pack 0.15.1" ]; then
  say "installing wasm-pack 0.15.1 (a few minutes, once)"
  cargo install wasm-pack --version 0.15.1 --locked
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund
  touch node_modules
fi

if [ "${1:-}" = "--test" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "installing chromium and chromium-driver (Debian packages)"
      apt-get update -q
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver
    else
      echo "[setup] Chromium and ChromeDriver are needed for the browser tests:" >&2
      echo "[setup]   sudo apt-get install chromium chromium-driver (or your system's packages)" >&2
      exit 1
    fi
  fi
fi
