#!/usr/bin/env bash
# Benchmark: check generated corpora (10,000 unit files; 10,000 Compose files) with a release
# build and report wall time and peak memory. Usage: bash bench/run.sh [COUNT]
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
compose="bench/corpus/compose-$units"
if [ ! -d "$compose" ]; then
  python3 bench/gen_corpus.py "$compose" "$units" --compose
fi
$bin check --config "$compose/vic-lint.toml" --format json "$compose" >/dev/null || true
echo "== Compose files, --format json, $units files"
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 1 --runs 10 -i "$bin check --config $compose/vic-lint.toml --format json $compose"
fi
/usr/bin/time -f "wall %e s, peak RSS %M KiB" $bin check --config "$compose/vic-lint.toml" --format json "$compose" >/dev/null || true
echo "== one small file (process start-up included)"
small=fixtures/reference/reference.service
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 3 --runs 50 -N -i "$bin check $small"
  hyperfine --warmup 3 --runs 50 -N -i "$bin check fixtures/reference/docker-compose.upgrade.yml"
fi
