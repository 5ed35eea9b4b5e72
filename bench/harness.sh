#!/usr/bin/env bash
# Benchmark of `vic-lint test` (needs Docker and the images of fixtures/harness/build-images.sh):
#  1. harness overhead per container run: a manifest whose scenarios make exactly three runs of
#     the reference upgrade image (migrate, rerun, read-only), against a script doing the same
#     three runs with plain `docker run --rm` on fresh copies of the same tree;
#  2. a full `vic-lint test` of the reference component with --jobs 1 and --jobs 4.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p vic-lint --quiet
bin=$PWD/target/release/vic-lint
tree=$PWD/fixtures/reference/harness/upgrade/v1.1.0
image=example/reference-upgrade:v1.2.0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Three runs: migrate from[0], its rerun, and the read-only run (no current, incompatible or
# runtime section); version, logs, exit codes and unattended need no container.
cat >"$work/vic-lint.toml" <<TOML
[upgrade]
image = "$image"
version = "v1.2.0"
timeout = "20s"
from = ["$tree"]
TOML

cat >"$work/plain.sh" <<SH
#!/usr/bin/env bash
# The same three runs by hand: copy the tree, run with the harness's settings, remove the copy.
set -u
run() { # READONLY-SUFFIX REUSE-DIR
  docker run --rm --network none --cap-drop ALL --security-opt no-new-privileges \
    --memory 512m --memory-swap 512m --pids-limit 256 \
    -v "\$1/storage/data:/storage/data\$2" -v "\$1/storage/db:/storage/db\$2" \
    -v "\$1/storage/log:/storage/log\$2" $image >/dev/null 2>&1
}
d=\$(mktemp -d); cp -a $tree/. "\$d"; mkdir -p "\$d"/storage/{data,db,log}
run "\$d" ""; run "\$d" ""; rm -rf "\$d"
d=\$(mktemp -d); cp -a $tree/. "\$d"; mkdir -p "\$d"/storage/{data,db,log}
run "\$d" ":ro"; rm -rf "\$d"
exit 0
SH

echo "== three container runs: vic-lint test vs plain docker run --rm"
hyperfine --warmup 2 --runs 15 -i \
  -n "vic-lint test (3 runs)" "$bin test --config $work/vic-lint.toml --jobs 1 --format json" \
  -n "docker run --rm (3 runs)" "bash $work/plain.sh"

echo "== full reference component (14 scenarios, 9 containers)"
hyperfine --warmup 1 --runs 8 -i \
  -n "jobs=1" "$bin test fixtures/reference --jobs 1 --format json" \
  -n "jobs=4" "$bin test fixtures/reference --jobs 4 --format json"
