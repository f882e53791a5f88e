#!/usr/bin/env bash
# Debian packages the tests and benchmarks use: wabt (wast2json, wasm-objdump), binaryen (wasm-opt -ttf for random
# modules), clang/lld/wasi-libc (C benchmarks to wasm32). Best effort: tests that need a missing tool skip visibly.
set -u
need=()
command -v wasm-objdump >/dev/null 2>&1 || need+=(wabt)
command -v wasm-opt >/dev/null 2>&1 || need+=(binaryen)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "install-system-deps: installing ${need[*]}"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/dev/null 2>&1 \
      || echo "install-system-deps: apt-get failed; dependent tests will skip"
  else
    echo "install-system-deps: cannot install ${need[*]} (not root or no apt-get); dependent tests will skip"
  fi
fi
exit 0
