#!/usr/bin/env bash
# Builds the native benchmark peers (bench/native/*.c) into artifacts/native/ when a C compiler is present; the benchmarks
# that use them print a message and skip their rows otherwise. Not part of the library or of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
cc=${CC:-gcc}
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "build-native: no C compiler ($cc); native peers skipped" >&2
  exit 0
fi
mkdir -p artifacts/native
"$cc" -O3 -march=x86-64-v4 -shared -fPIC -o artifacts/native/libnumerics_softmax_c.so bench/native/softmax_twopass.c
echo "build-native: artifacts/native/libnumerics_softmax_c.so ($("$cc" --version | head -1))"
