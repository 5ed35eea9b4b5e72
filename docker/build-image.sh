#!/usr/bin/env bash
# Builds the vic-lint container image: a statically linked release binary (the glibc crt-static
# build of the host target, so no other toolchain is needed) in a FROM scratch image.
# Usage: bash docker/build-image.sh [TAG]   (default: vic-lint:<version>, also tagged vic-lint:latest)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
host=$(rustc -vV | sed -n 's/^host: //p')
# --target keeps build scripts and proc macros dynamic; only vic-lint itself is static.
RUSTFLAGS="-C target-feature=+crt-static" \
  cargo build --release --quiet --locked --target "$host" --target-dir target/static -p vic-lint
bin=target/static/$host/release/vic-lint
version=$("$bin" --version | awk '{print $2}')
tag=${1:-vic-lint:$version}
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
cp docker/Dockerfile "$ctx/"
# Debug info (release builds keep it for profiling) has no place in the image.
strip -o "$ctx/vic-lint" "$bin"
out=$(docker build --pull=false -q \
  --label "org.opencontainers.image.version=$version" \
  --label "org.opencontainers.image.title=vic-lint" \
  -t "$tag" -t vic-lint:latest "$ctx" 2>&1) || { echo "$out" >&2; exit 1; }
echo "$tag"
