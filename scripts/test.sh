#!/usr/bin/env bash
# `npm test`: installs what is missing, then runs every check and test suite. Fails if
# any step fails or a test suite runs no test.
#   1. style: cargo fmt --check, clippy (native and wasm32, -D warnings), node --check
#   2. cargo test (native)
#   3. wasm-pack test --headless --chrome (wasm-bindgen-test in headless Chromium)
#   4. end-to-end: release wasm build, the page served on 127.0.0.1, driven by Playwright
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test

export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-180}
export CHROMEDRIVER=${CHROMEDRIVER:-$(command -v chromedriver)}
LOGS=$(mktemp -d)
started=$SECONDS

step() {
  local name=$1; shift
  local t0=$SECONDS
  printf '\n=== %s: %s\n' "$name" "$*"
  if ! "$@" 2>&1 | tee "$LOGS/$name.log"; then
    printf '=== %s FAILED\n' "$name" >&2
    exit 1
  fi
  printf '=== %s ok (%ss)\n' "$name" $((SECONDS - t0))
}

# Sums "N passed" over a step's log and fails when it is zero.
require_tests() {
  local name=$1 pattern=$2
  local n
  n=$(grep -oE "$pattern" "$LOGS/$name.log" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
  if [ "$n" -eq 0 ]; then
    printf '=== %s ran no test\n' "$name" >&2
    exit 1
  fi
  printf '=== %s: %s tests passed\n' "$name" "$n"
}

js_modules() { git ls-files --cached --others --exclude-standard -- '*.js' '*.mjs'; }

step fmt cargo fmt --check
step clippy cargo clippy --all-targets --locked -- -D warnings
step clippy-wasm cargo clippy --target wasm32-unknown-unknown --lib --tests --locked -- -D warnings
step js-check bash -c 'for f in $(git ls-files --cached --others --exclude-standard -- "*.js" "*.mjs"); do node --check "$f" || exit 1; done; echo "node --check: $(git ls-files --cached --others --exclude-standard -- "*.js" "*.mjs" | wc -l) modules"'
step cargo-test cargo test --locked
require_tests cargo-test 'test result: ok\. [0-9]+ passed'
step wasm-pack-test wasm-pack test --headless --chrome
require_tests wasm-pack-test 'test result: ok\. [0-9]+ passed'
step build-wasm bash scripts/build-wasm.sh
step e2e node --test --test-concurrency=1 tests/e2e/
require_tests e2e '^# pass [0-9]+'

printf '\nall checks passed in %ss\n' $((SECONDS - started))
