#!/usr/bin/env bash
# Growth of check's cost in each input dimension: every shape of bench/gen_shapes.py at n and 4n
# on a release build, best of 3 runs each. Linear cost gives a factor near 4; the script exits 1
# when a factor reaches 6. Usage: bash bench/scaling.sh [SHAPE...]   (a benchmark, not a test)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p vic-lint --quiet
bin="$PWD/target/release/vic-lint"
shapes=("$@")
if [ ${#shapes[@]} -eq 0 ]; then
  mapfile -t shapes < <(python3 bench/gen_shapes.py --list)
fi
python3 - "$bin" "${shapes[@]}" <<'EOF'
import json, os, shutil, subprocess, sys, time

# n for each shape: large enough that start-up does not hide the growth.
SIZES = {
    "continuations": 10000, "long-line": 10000, "unit-keys": 10000, "questions": 20000,
    "services": 5000, "mounts": 10000, "ports": 2000, "yaml-keys": 20000, "dropins": 2000,
    "components": 1000, "version-lines": 20000, "drone-steps": 5000, "compose-files": 1000,
    "fixes": 5000, "baseline": 5000, "stale-baseline": 20000,
    "recorded-images": 5000, "unit-distinct-keys": 20000, "md-paragraph": 20000,
    "md-subbullets": 20000, "one-line-compose": 5000, "junit-files": 5000,
}
binary, shapes = sys.argv[1], sys.argv[2:]
root = "bench/corpus/shapes"

def best(path):
    # A shape may add arguments (`--diff`, `--baseline F`), and a command to run once first.
    extra = {"args": [], "prepare": []}
    if os.path.exists(f"{path}.args.json"):
        with open(f"{path}.args.json") as f:
            extra = json.load(f)
    # JSON unless the shape names its own format.
    base = [binary, "check", "--isolated"] + ([] if "--format" in extra["args"] else ["--format", "json"])
    if extra["prepare"]:
        subprocess.run(base + extra["prepare"] + [path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(base + extra["args"] + [path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times)

worst = 0.0
print(f"{'shape':<15} {'n':>7} {'time n':>9} {'time 4n':>9} {'growth':>7}")
for shape in shapes:
    n = SIZES[shape]
    runs = []
    for size in (n, 4 * n):
        out = f"{root}/{shape}-{size}"
        if not os.path.isdir(out):
            subprocess.run([sys.executable, "bench/gen_shapes.py", shape, str(size), out], check=True)
        runs.append(best(out))
    growth = runs[1] / max(runs[0], 1e-9)
    worst = max(worst, growth)
    flag = "" if growth < 6 else "   <-- not linear"
    print(f"{shape:<15} {n:>7} {runs[0]:>8.3f}s {runs[1]:>8.3f}s {growth:>6.1f}x{flag}", flush=True)
print(f"worst growth {worst:.1f}x (4 is linear; the target is under 6)")
sys.exit(0 if worst < 6 else 1)
EOF
