"""FAISS IndexBinaryFlat k-NN beside ccsr's native Hamming ranking, on the same codes.

Run by scripts/bench-faiss.sh (which makes the venv, exports the codes and runs ours);
by hand: python scripts/bench-faiss.py --dir DIR[,DIR...] --ours ours.json [--min-ms MS]

For each DIR (users.u8, items.u8, meta.json from examples/export_codes.rs, plus
ours_topk_K.u32 from `bench_rank --codes DIR --write-topk K`): builds an
IndexBinaryFlat over the items, searches all users at each k (10, 100, all items)
single-threaded (faiss.omp_set_num_threads(1)) and with 2 threads, times the median of
repeated searches (wall and this process's CPU time), checks that FAISS's distances of
the k nearest items equal ours user by user (the same multiset of distances; the items
may differ within a tie), and prints one table with ours.
"""

import argparse
import json
import os
import statistics
import time

import faiss
import numpy as np


def timed(f, min_ms):
    f()  # warm-up
    walls, cpus = [], []
    started = time.perf_counter()
    while len(walls) < 3 or (time.perf_counter() - started) * 1e3 < min_ms:
        w, c = time.perf_counter(), time.process_time()
        result = f()
        cpus.append((time.process_time() - c) * 1e3)
        walls.append((time.perf_counter() - w) * 1e3)
    return statistics.median(walls), statistics.median(cpus), len(walls), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True, help="comma-separated code folders")
    parser.add_argument("--ours", required=True, help="bench_rank --json output(s), comma-separated")
    parser.add_argument("--min-ms", type=float, default=1000)
    parser.add_argument("--json")
    args = parser.parse_args()

    ours = {}
    for path in args.ours.split(","):
        with open(path) as f:
            for row in json.load(f)["native"]:
                ours[(row["codes_dir"], row["bits"], row["method"])] = row

    rows = []
    print(f"faiss {faiss.__version__}, numpy {np.__version__}, load average {os.getloadavg()}")
    for folder in args.dir.split(","):
        with open(os.path.join(folder, "meta.json")) as f:
            meta = json.load(f)
        bits, d = meta["bits"], meta["d"]
        users = np.fromfile(os.path.join(folder, "users.u8"), np.uint8).reshape(-1, d // 8)
        items = np.fromfile(os.path.join(folder, "items.u8"), np.uint8).reshape(-1, d // 8)
        index = faiss.IndexBinaryFlat(d)
        index.add(items)
        n_items = items.shape[0]
        pairs = users.shape[0] * n_items
        for k in (10, 100, n_items):
            mine = ours.get((folder, bits, f"top:{k}"))
            expected = os.path.join(folder, f"ours_topk_{k}.u32")
            agree = None
            for threads in (1, 2):
                faiss.omp_set_num_threads(threads)
                wall, cpu, reps, (distances, _) = timed(lambda: index.search(users, k), args.min_ms)
                if threads == 1 and os.path.exists(expected):
                    ours_d = np.fromfile(expected, np.uint32).reshape(users.shape[0], -1)
                    # Both are sorted ascending: equal rows = equal multisets.
                    agree = bool(np.array_equal(np.sort(distances, axis=1), ours_d.astype(np.int32)))
                rows.append({
                    "codes": meta["codes"], "bits": bits, "k": k, "threads": threads,
                    "faiss_ms": wall, "faiss_cpu_ms": cpu, "faiss_reps": reps,
                    "faiss_ns_per_pair": wall * 1e6 / pairs,
                    "ours_ms": mine["ms"] if mine else None,
                    "ours_cpu_ms": mine["cpu_ms"] if mine else None,
                    "ours_ns_per_pair": mine["ns_per_pair"] if mine else None,
                    "faiss_over_ours": wall / mine["ms"] if mine else None,
                    "same_distances": agree if threads == 1 else None,
                })

    def cell(x, fmt):
        return "-" if x is None else format(x, fmt)

    header = ("codes", "r", "k", "threads", "FAISS ms", "FAISS ns/pair", "ours ms (1 thread)",
              "ours ns/pair", "FAISS/ours", "same distances")
    table = [header] + [(
        r["codes"], str(r["bits"]), str(r["k"]), str(r["threads"]), cell(r["faiss_ms"], ".2f"),
        cell(r["faiss_ns_per_pair"], ".3f"), cell(r["ours_ms"], ".2f"), cell(r["ours_ns_per_pair"], ".3f"),
        cell(r["faiss_over_ours"], ".2f"),
        "-" if r["same_distances"] is None else ("yes" if r["same_distances"] else "NO"),
    ) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    print()
    for row in table:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths)))
    print(f"\nload average after: {os.getloadavg()}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"faiss": faiss.__version__, "rows": rows}, f, indent=2)
    if any(r["same_distances"] is False for r in rows):
        raise SystemExit("FAISS and ccsr disagree on the k nearest distances")


if __name__ == "__main__":
    main()
