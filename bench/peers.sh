#!/usr/bin/env bash
# vic-lint against its peers on the same files: compose-lint (PyPI, in a virtual environment) for
# the Compose files plus `systemd-analyze verify` (the systemd package) for the units, against one
# `vic-lint check` of both. The corpus is `gen_corpus.py --components`: N components of one unit
# and one Compose file each, declared in its vic-lint.toml. Rounds alternate between the two
# sides; the best round of each is compared.
# Usage: bash bench/peers.sh [COMPONENTS] [ROUNDS]   (a benchmark, not a test)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-1000}"
rounds="${2:-5}"
venv=bench/corpus/peers-venv
if [ ! -x "$venv/bin/compose-lint" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet compose-lint
fi
command -v systemd-analyze >/dev/null || { echo "bench/peers.sh: needs systemd-analyze (apt-get install systemd)" >&2; exit 2; }
corpus="bench/corpus/peers-components-$count"
[ -d "$corpus" ] || python3 bench/gen_corpus.py "$corpus" "$count" --components >/dev/null
cargo build --release -p vic-lint --quiet
python3 - "$PWD/target/release/vic-lint" "$venv/bin/compose-lint" "$corpus" "$rounds" <<'EOF'
import json, os, resource, subprocess, sys, time

vic, compose_lint, corpus, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs)
unit_files = [f for f in files if f.endswith(".service")]
compose_files = [f for f in files if f.endswith(".yml")]

def timed(cmds):
    """Wall and CPU seconds of running the commands one after the other."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    for cmd in cmds:
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu

peers = [[compose_lint, "check", *compose_files], ["systemd-analyze", "verify", "--man=no", *unit_files]]
ours = [[vic, "check", "--config", os.path.join(corpus, "vic-lint.toml"), "--format", "json", corpus]]
report = subprocess.run(ours[0], capture_output=True, text=True).stdout
findings = len(json.loads(report).get("findings", []))
timed(ours)  # warm the page cache for both sides
timed(peers)
best_peers, best_ours = None, None
for _ in range(rounds):
    p = timed(peers)
    o = timed(ours)
    best_peers = p if best_peers is None or p[0] < best_peers[0] else best_peers
    best_ours = o if best_ours is None or o[0] < best_ours[0] else best_ours
print(f"files: {len(unit_files)} units, {len(compose_files)} Compose files, {findings} findings; best of {rounds} alternating rounds")
print(f"compose-lint + systemd-analyze: {best_peers[0]:.3f} s wall, {best_peers[1]:.3f} s CPU")
print(f"vic-lint check:                 {best_ours[0]:.3f} s wall, {best_ours[1]:.3f} s CPU (CPU/wall {best_ours[1] / best_ours[0]:.2f})")
print(f"ratio: vic-lint is {best_peers[0] / best_ours[0]:.1f}x faster (target 40x)")
EOF
