#!/usr/bin/env bash
# Builds the libFuzzer target for the transaction decoder with clang (preset "fuzz") and runs it
# for a bounded time on a seed corpus made from the shared vectors. Fails on any crash, leak or
# sanitizer report.
set -euo pipefail
SECONDS_TO_RUN="${1:-60}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
cmake --preset fuzz >/dev/null
cmake --build build/fuzz --target tx_decoder_fuzz -j"$(nproc)"
CORPUS="build/fuzz/corpus/tx_decoder"
rm -rf "$CORPUS" && mkdir -p "$CORPUS"
bash tests/fuzz/make_corpus.sh "$CORPUS"
build/fuzz/bin/tx_decoder_fuzz -max_total_time="$SECONDS_TO_RUN" -rss_limit_mb=2048 \
  -print_final_stats=1 "$CORPUS"
