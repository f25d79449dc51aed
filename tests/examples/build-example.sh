#!/usr/bin/env bash
# Installs this build into a temporary prefix and builds and tests examples/embedding against
# that installed package only (not the source tree): what an ИС team does.
# Usage: build-example.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$1"
src="$2"
work="$(mktemp -d "${TMPDIR:-/tmp}/gosdoki-example.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
# The example sees the installed headers and archive, never the source tree.
test -f "$work/prefix/include/gosdoki/sandbox.hpp"
test -f "$work/prefix/lib/libgosdoki-sandbox.a"
cmake -S "$src/examples/embedding" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" > "$work/configure.log" ||
  { cat "$work/configure.log"; exit 1; }
cmake --build "$work/build" -j 2 > "$work/build.log" || { cat "$work/build.log"; exit 1; }
ctest --test-dir "$work/build" --output-on-failure
