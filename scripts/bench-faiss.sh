#!/usr/bin/env bash
# `npm run bench:faiss`: FAISS IndexBinaryFlat k-NN beside ccsr's native Hamming ranking
# on the same codes, in one run, single-threaded (and FAISS with 2 threads too).
#   bash scripts/bench-faiss.sh [--bits 8,16,32,64] [--trained] [--min-ms MS] [--json FILE]
# Makes a venv with faiss-cpu and numpy from PyPI under target/faiss-venv (once; FAISS_VENV
# to put it elsewhere), exports seeded random codes of ml-1m-head's size (2,999 users x
# 3,615 items) at each r (and, with --trained, CCSR codes trained on ../shared/data/
# ml-1m-head at r = 40, 20 epochs), runs `bench_rank --codes` (ours: top-k at k = 10, 100
# and the whole catalogue) and scripts/bench-faiss.py (FAISS at the same k), which checks
# that both return the same k nearest distances for every user and prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."

bits=8,16,32,64
min_ms=1000
trained=0
json=
while [ $# -gt 0 ]; do
  case $1 in
    --bits) bits=$2; shift 2 ;;
    --min-ms) min_ms=$2; shift 2 ;;
    --trained) trained=1; shift ;;
    --json) json=$2; shift 2 ;;
    *) echo "bench-faiss: unknown option $1" >&2; exit 2 ;;
  esac
done

target=${CARGO_TARGET_DIR:-target}
venv=${FAISS_VENV:-$target/faiss-venv}
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import faiss, numpy' 2>/dev/null; then
  echo "[faiss] creating $venv with faiss-cpu and numpy (once)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet faiss-cpu numpy
fi

cargo build --release --quiet --example bench_rank --example export_codes
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n_items=3615
dirs=()
ours=()
run_ours() { # DIR BITS
  "$target/release/examples/bench_rank" --codes "$1" --bits "$2" \
    --methods "top:10,top:100,top:$n_items" --write-topk "10,100,$n_items" \
    --min-ms "$min_ms" --json "$1/ours.json"
  dirs+=("$1")
  ours+=("$1/ours.json")
}
echo "[faiss] ours (native, 1 thread), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in ${bits//,/ }; do
  "$target/release/examples/export_codes" random --bits "$r" --out "$work/random-$r" >/dev/null
  run_ours "$work/random-$r" "$r"
done
if [ "$trained" = 1 ]; then
  "$target/release/examples/export_codes" trained --data ../shared/data/ml-1m-head --bits 40 \
    --epochs 20 --out "$work/trained-40" 2>/dev/null
  run_ours "$work/trained-40" 40
fi
join() { local IFS=,; echo "$*"; }
echo "[faiss] FAISS IndexBinaryFlat"
"$venv/bin/python" scripts/bench-faiss.py --dir "$(join "${dirs[@]}")" --ours "$(join "${ours[@]}")" \
  --min-ms "$min_ms" ${json:+--json "$json"}
