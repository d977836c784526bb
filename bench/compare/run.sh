#!/usr/bin/env bash
# Issue 17's comparison table: Stakeward and each reference measured in one run on this machine,
# printed as ratios against the goals. References: CSL (npm, pinned in tests/interop's lock file)
# for transaction decoding, Node JSON.parse and Python json for snapshot parsing, libsodium for
# signing, a raw SQLite commit loop for durable writes. Timings are medians (see compare_main.cc);
# the parsing and decoding figures are medians of three rounds in which Stakeward and the
# references take turns.
#
#   bench/compare/run.sh [--quick]      builds the release preset's targets, then measures
#
# --quick: fewer witnesses and plans (a smoke run; the figures are noisier).
# Needs scripts/install-deps.sh and scripts/install-npm.sh to have run. Prints the table on stdout;
# the raw outputs stay in the work folder it names.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
WITNESSES=2000 PLANS=200 SQLITE_COMMITS=3000
if [[ "${1:-}" == "--quick" ]]; then WITNESSES=300 PLANS=40 SQLITE_COMMITS=500; fi

CSL_DIR=tests/interop/node_modules/@emurgo/cardano-serialization-lib-nodejs
[[ -d "$CSL_DIR" ]] || { echo "run scripts/install-npm.sh first (CSL missing)" >&2; exit 2; }

BUILD=build/release
[[ -f "$BUILD/build.ninja" ]] || cmake --preset release >/dev/null
cmake --build "$BUILD" --target policy_bench stakeward-compare stakeward-load -j2 >/dev/null
BIN="$ROOT/$BUILD/bin"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/sw-compare.XXXXXX")"
export TMPDIR="$WORK"  # stakeward-load's database and the raw SQLite file on the same disk
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

"$BIN/stakeward-compare" fixtures policy/samples/snapshot.json "$WORK"
val() { sed -n "s/^$1 \([0-9.]*\).*/\1/p" "$2" | head -n1; }

# MakePlan (max-rewards) per pool count, each in its own process so peak RSS is per size.
for n in 1000 3000 10000 30000 100000; do
  "$BIN/policy_bench" --benchmark_filter="BM_Plan/$n/2/" --benchmark_repetitions=5 \
    --benchmark_report_aggregates_only=true --benchmark_format=json >"$WORK/plan_$n.json"
done
plan_ms() {  # median real time (ms) and peak RSS (MiB) of the 5 repetitions
  python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
m=[b for b in d["benchmarks"] if b.get("aggregate_name")=="median"][0]
print("%.3f %.1f" % (m["real_time"], m["peak_rss_MiB"]))' "$1"
}
for n in 1000 3000 10000 30000 100000; do plan_ms "$WORK/plan_$n.json" >"$WORK/plan_$n.txt"; done
read -r P1K _ <"$WORK/plan_1000.txt"
read -r P3K R3K <"$WORK/plan_3000.txt"
read -r P10K _ <"$WORK/plan_10000.txt"
read -r P30K _ <"$WORK/plan_30000.txt"
read -r P100K R100K <"$WORK/plan_100000.txt"

"$BIN/stakeward-load" --clients 50 --witnesses "$WITNESSES" --pools 3000 --plans "$PLANS" \
  --streams 0 --probes 0 --source-dir "$ROOT" >"$WORK/load.txt"
WIT="$(sed -n 's/^witness submissions: .* = \([0-9.]*\) \/s$/\1/p' "$WORK/load.txt")"
DRY50="$(sed -n 's/^DryRunPlan over .* p50 \([0-9.]*\) ms.*/\1/p' "$WORK/load.txt")"
DRY99="$(sed -n 's/^DryRunPlan over .* p99 \([0-9.]*\) ms.*/\1/p' "$WORK/load.txt")"
DRY1="$(sed -n 's/^DryRunPlan first call .*: \([0-9.]*\) ms$/\1/p' "$WORK/load.txt")"
WIT_CPU="$(sed -n 's/^witness CPU: \([0-9.]*\) us.*/\1/p' "$WORK/load.txt")"
"$BIN/stakeward-compare" sqlite "$WORK" "$SQLITE_COMMITS" >"$WORK/sqlite.txt"
SQL="$(val sqlite_commits_per_s "$WORK/sqlite.txt")"

# Stakeward and its references take turns, three rounds, and each figure is the median of its
# three runs: a change in the machine's load (it is shared) then reaches both sides of a ratio
# alike instead of whichever happened to run during it.
ROUNDS=3
med3() {  # median of the figure named $1 in files $2...
  local name="$1"; shift
  for f in "$@"; do val "$name" "$f"; done | sort -g | sed -n "$(( ($# + 1) / 2 ))p"
}
for r in $(seq "$ROUNDS"); do
  "$BIN/stakeward-compare" snapshot "$WORK/snapshot_3000.json" >"$WORK/snap_ours.$r.txt"
  node bench/compare/timing.mjs json-parse "$WORK/snapshot_3000.json" >"$WORK/snap_node.$r.txt"
  python3 bench/compare/json_parse.py "$WORK/snapshot_3000.json" >"$WORK/snap_py.$r.txt"
  for t in big small; do
    "$BIN/stakeward-compare" decode "$WORK/${t}_tx.cbor" >"$WORK/dec_${t}_ours.$r.txt"
    node bench/compare/timing.mjs csl-decode "$WORK/${t}_tx.cbor" >"$WORK/dec_${t}_csl.$r.txt"
  done
done
SNAP="$(med3 snapshot_ms "$WORK"/snap_ours.*.txt)"
SNAP_NODE="$(med3 parse_ms "$WORK"/snap_node.*.txt)"
SNAP_PY="$(med3 parse_ms "$WORK"/snap_py.*.txt)"
SNAP_BYTES="$(sed -n 's/.* bytes \([0-9]*\)$/\1/p' "$WORK/snap_ours.1.txt")"
DEC_BIG="$(med3 decode_us "$WORK"/dec_big_ours.*.txt)"
DEC_BIG_CSL="$(med3 decode_us "$WORK"/dec_big_csl.*.txt)"
DEC_SMALL="$(med3 decode_us "$WORK"/dec_small_ours.*.txt)"
DEC_SMALL_CSL="$(med3 decode_us "$WORK"/dec_small_csl.*.txt)"
BIG_BYTES="$(sed -n 's/.* bytes \([0-9]*\)$/\1/p' "$WORK/dec_big_ours.1.txt")"
SMALL_BYTES="$(sed -n 's/.* bytes \([0-9]*\)$/\1/p' "$WORK/dec_small_ours.1.txt")"

"$BIN/stakeward-compare" sign >"$WORK/sign.txt"
SIGN="$(val sign_held_us "$WORK/sign.txt")"
SIGN_X="$(val sign_xprv_us "$WORK/sign.txt")"
SODIUM="$(val sodium_sign_us "$WORK/sign.txt")"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

python3 - <<PY
import math
rows = []
def row(name, ours, ref, ratio, goal, met):
    rows.append((name, ours, ref, ratio, goal, "-" if met is None else "yes" if met else "NO"))
p3k, p100k, r100k = $P3K, $P100K, $R100K
rows.append(("MakePlan, 1k / 3k / 10k / 30k / 100k pools (max-rewards)",
             "$P1K / $P3K / $P10K / $P30K / $P100K ms", "-", "-", "-", "-"))
row("MakePlan, 3,000 pools, 500 slots", f"{p3k:.2f} ms", "-", "-", "< 5 ms", p3k < 5)
row("MakePlan, 100,000 pools", f"{p100k:.1f} ms", "-", "-", "< 200 ms", p100k < 200)
row("MakePlan, 100,000 pools, peak RSS (process)", f"{r100k:.1f} MiB", "-", "-", "< 150 MiB",
    r100k < 150)
w, s = $WIT, $SQL
row(f"durable witness submissions, 50 clients ({$WIT_CPU:.0f} us CPU each, clients included)",
    f"{w:.0f} /s",
    f"raw SQLite 1 insert/commit {s:.0f} /s", f"{w / s:.2f}", ">= 1.0", w / s >= 1.0)
sn, node, py = $SNAP, $SNAP_NODE, $SNAP_PY
row(f"parse + hash, 3,000-pool snapshot ({$SNAP_BYTES / 1e6:.1f} MB JSON)", f"{sn:.1f} ms",
    f"Node JSON.parse {node:.1f} ms; Python json {py:.1f} ms", f"{sn / node:.2f} / {sn / py:.2f}",
    "<= 1.0 vs Node", sn / node <= 1.0)
b, bc = $DEC_BIG, $DEC_BIG_CSL
row(f"decode the 50-cert, 50-withdrawal tx ($BIG_BYTES bytes)", f"{b:.1f} us",
    f"CSL Transaction.from_bytes {bc:.1f} us", f"{b / bc:.2f}", "<= 0.2", b / bc <= 0.2)
sm, smc = $DEC_SMALL, $DEC_SMALL_CSL
row(f"decode a $SMALL_BYTES-byte tx", f"{sm:.2f} us", f"CSL {smc:.2f} us", f"{sm / smc:.2f}",
    "<= 0.1", sm / smc <= 0.1)
sg, sx, so = $SIGN, $SIGN_X, $SODIUM
row("sign a 32-byte body, extended key held (SigningKey)", f"{sg:.1f} us",
    f"libsodium crypto_sign_detached {so:.1f} us", f"{sg / so:.2f}", "<= 1.1", sg / so <= 1.1)
row("  the same from a bare XPrv (public key recomputed)", f"{sx:.1f} us", "", f"{sx / so:.2f}",
    "-", None)
d50, d99, d1 = $DRY50, $DRY99, $DRY1
row("DryRunPlan RPC, 3,000 pools, repeat calls (plan memoised)", f"p50 {d50} ms, p99 {d99} ms",
    "-", "-", "p99 < 5 ms", d99 < 5)
row("DryRunPlan RPC, 3,000 pools, first call (plans)", f"{d1} ms", "-", "-", "< 5 ms", d1 < 5)
exp = math.log($P100K / $P1K) / math.log(100)
print("| measure | Stakeward | reference | ratio | goal | met |")
print("|---|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
print()
print(f"MakePlan growth exponent, 1k -> 100k pools: {exp:.2f} (time ~ pools^{exp:.2f}); "
      f"peak RSS {$R3K} MiB at 3k, {r100k} MiB at 100k")
print("load average before: $LOAD_BEFORE; after: $LOAD_AFTER; raw outputs in $WORK")
PY
rounds() {  # the figure named $1 in files $2..., in round order
  local name="$1"; shift
  for f in "$@"; do val "$name" "$f"; done | paste -sd' '
}
echo "rounds (medians above are of these): parse + hash ms $(rounds snapshot_ms "$WORK"/snap_ours.*.txt)" \
  "| Node $(rounds parse_ms "$WORK"/snap_node.*.txt); small decode us" \
  "$(rounds decode_us "$WORK"/dec_small_ours.*.txt) | CSL $(rounds decode_us "$WORK"/dec_small_csl.*.txt);" \
  "big decode us $(rounds decode_us "$WORK"/dec_big_ours.*.txt) | CSL $(rounds decode_us "$WORK"/dec_big_csl.*.txt)"
