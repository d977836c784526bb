#!/usr/bin/env bash
# Clang's thread-safety analysis (-Wthread-safety, as errors) over every source that takes or
# declares an annotated lock (absl::Mutex with ABSL_GUARDED_BY and friends). The CI build is GCC,
# which ignores the annotations; this re-parses those sources with clang (-fsyntax-only, no code
# generated) using the include paths and definitions from BUILD_DIR/compile_commands.json.
#
#   scripts/check-thread-safety.sh BUILD_DIR
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="$(cd "${1:?usage: check-thread-safety.sh BUILD_DIR}" && pwd)"
if ! command -v clang++ >/dev/null; then
  echo "clang++ is missing: run scripts/install-deps.sh" >&2
  exit 1
fi
[[ -f "$BUILD/compile_commands.json" ]] || { echo "no $BUILD/compile_commands.json" >&2; exit 1; }

cd "$ROOT"
mapfile -t files < <(grep -rlE 'absl::MutexLock|ABSL_GUARDED_BY|ABSL_EXCLUSIVE_LOCKS_REQUIRED' \
  --include='*.cc' chain policy chainsource devices firmware-mocks controller bench | sort)
(( ${#files[@]} > 0 )) || { echo "no annotated sources found" >&2; exit 1; }

# One line per file: the file, then its -I/-isystem/-D/-std flags from the build (tab-separated).
python3 - "$BUILD/compile_commands.json" "$ROOT" "${files[@]}" > "$BUILD/thread-safety.args" <<'PY'
import json, os, shlex, sys
db, root, files = sys.argv[1], sys.argv[2], sys.argv[3:]
by_file = {os.path.realpath(e["file"]): e for e in json.load(open(db))}
for f in files:
    e = by_file.get(os.path.realpath(os.path.join(root, f)))
    if e is None:
        sys.exit(f"{f} is not in the build's compile_commands.json")
    args = e["arguments"] if "arguments" in e else shlex.split(e["command"])
    keep, i = [], 0
    while i < len(args):
        a = args[i]
        if a in ("-I", "-isystem", "-D"):
            keep += [a, args[i + 1]]
            i += 2
            continue
        if a.startswith(("-I", "-isystem", "-D", "-std=")):
            keep.append(a)
        i += 1
    print("\t".join([f] + keep))
PY

# The analysis must be live: a probe that reads a guarded member without its lock has to fail.
probe="$BUILD/thread-safety-probe.cc"
cat > "$probe" <<'CC'
#include "absl/synchronization/mutex.h"
struct Probe {
  absl::Mutex mu;
  int value ABSL_GUARDED_BY(mu) = 0;
  int Read() { return value; }  // no lock: must be reported
};
CC
if clang++ -fsyntax-only -Wthread-safety -Werror=thread-safety "$probe" 2>/dev/null; then
  echo "the thread-safety analysis did not report the probe's unguarded read" >&2
  exit 1
fi

status=0
while IFS=$'\t' read -r -a line; do
  f="${line[0]}"
  if ! clang++ -fsyntax-only -Wthread-safety -Werror=thread-safety -Wno-unknown-warning-option \
      "${line[@]:1}" "$f" 2> "$BUILD/thread-safety.err"; then
    echo "FAIL $f"
    cat "$BUILD/thread-safety.err"
    status=1
  else
    echo "ok   $f"
  fi
done < "$BUILD/thread-safety.args"
exit "$status"
