"""Reference for bench/compare/run.sh: json.loads of a file, median over batches, ms per op."""
import json
import sys
import time


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    per_op = []
    for _ in range(11):
        t0 = time.perf_counter_ns()
        json.loads(text)
        per_op.append((time.perf_counter_ns() - t0) / 1e6)
    per_op.sort()
    print(f"parse_ms {per_op[len(per_op) // 2]:.3f} bytes {len(text.encode())}")


if __name__ == "__main__":
    main()
