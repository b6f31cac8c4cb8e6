#!/usr/bin/env bash
# Builds the release wasm into pkg/ (wasm-pack, --target web, for a module worker) twice
# from the same source: pkg/ccsr_bg.wasm with relaxed SIMD (.cargo/config.toml's flags;
# the products' fused multiply-add) and pkg/ccsr_simd128_bg.wasm with simd128 alone, for
# engines without relaxed SIMD (www/wasm-build.js picks one). Both share pkg/ccsr.js;
# the script fails if the two builds' glue differs. Each is optimised by npm binaryen's
# wasm-opt (wasm-pack's own would download binaryen from GitHub; Cargo.toml turns that
# off). tests/e2e/wasm-builds.test.mjs checks that an engine without relaxed SIMD
# compiles the fallback.
set -euo pipefail
cd "$(dirname "$0")/.."

FEATURES=(--enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue)

optimise() {
  local wasm=$1; shift
  local before after gz
  before=$(stat -c %s "$wasm")
  node_modules/.bin/wasm-opt "$wasm" -O3 --strip-debug --strip-producers "${FEATURES[@]}" "$@" -o "$wasm"
  after=$(stat -c %s "$wasm")
  gz=$(gzip -9 -c "$wasm" | wc -c)
  echo "[build] $wasm: $before -> $after bytes after wasm-opt ($gz gzipped)"
}

wasm-pack build --release --target web --no-typescript --no-pack --out-dir pkg
optimise pkg/ccsr_bg.wasm --enable-relaxed-simd

# The fallback: its own target directory, so the two builds do not rebuild each other;
# RUSTFLAGS replaces the config's flags (CARGO_TARGET_<triple>_RUSTFLAGS would add to
# them).
fallback=target/simd128-pkg
CARGO_TARGET_DIR=target/simd128 RUSTFLAGS="-C target-feature=+simd128" \
  wasm-pack build --release --target web --no-typescript --no-pack --out-dir "$fallback"
if ! cmp -s "$fallback/ccsr.js" pkg/ccsr.js; then
  echo "[build] the simd128 build's JS glue differs from the relaxed-SIMD build's" >&2
  exit 1
fi
cp "$fallback/ccsr_bg.wasm" pkg/ccsr_simd128_bg.wasm
optimise pkg/ccsr_simd128_bg.wasm
