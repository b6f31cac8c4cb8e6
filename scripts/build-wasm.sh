#!/usr/bin/env bash
# Builds the release wasm into pkg/ (wasm-pack, --target web, for a module worker),
# then optimises it with npm binaryen's wasm-opt (wasm-pack's own would download
# binaryen from GitHub; Cargo.toml turns that off).
set -euo pipefail
cd "$(dirname "$0")/.."
wasm-pack build --release --target web --no-typescript --no-pack --out-dir pkg
before=$(stat -c %s pkg/ccsr_bg.wasm)
node_modules/.bin/wasm-opt pkg/ccsr_bg.wasm -O3 --strip-debug --strip-producers \
  --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  -o pkg/ccsr_bg.wasm
after=$(stat -c %s pkg/ccsr_bg.wasm)
gz=$(gzip -9 -c pkg/ccsr_bg.wasm | wc -c)
echo "[build] pkg/ccsr_bg.wasm: $before -> $after bytes after wasm-opt ($gz gzipped)"
