#!/usr/bin/env bash
# Benchmark: check a generated corpus of 10,000 unit files with a release build and report wall
# time and peak memory. Usage: bash bench/run.sh [UNITS]
set -euo pipefail
cd "$(dirname "$0")/.."
units="${1:-10000}"
corpus="bench/corpus/units-$units"
if [ ! -d "$corpus" ]; then
  python3 bench/gen_corpus.py "$corpus" "$units"
fi
cargo build --release -p vic-lint --quiet
bin=target/release/vic-lint
# Warm the page cache so that the figure is vic-lint's, not the disk's.
$bin check --config "$corpus/vic-lint.toml" --format json "$corpus" >/dev/null || true
# The corpus declares its components in its own vic-lint.toml.
config="$corpus/vic-lint.toml"
for format in json human; do
  echo "== --format $format, $units files"
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --warmup 1 --runs 10 -i "$bin check --config $config --format $format $corpus"
  fi
  /usr/bin/time -f "wall %e s, peak RSS %M KiB" $bin check --config "$config" --format "$format" "$corpus" >/dev/null || true
done
echo "== one small file (process start-up included)"
small=fixtures/reference/reference.service
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 3 --runs 50 -N "$bin check $small"
fi
