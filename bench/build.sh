#!/usr/bin/env bash
# Rebuilds every benchmark program bench/programs/*.c into bench/programs/*.wasm (clang --target=wasm32 + wasm-ld,
# MVP features only, no libc, no WASI), builds the same sources natively as an independent reference, then records in
# bench/programs/manifest.json each module's sha256 and its checksum at every size, after checking that V8 and the
# native build agree. Sizes (n) are edited by hand in the manifest; a new program needs an entry there first.
#
# Usage: bench/build.sh            (needs clang, wasm-ld, node; CLANG / WASM_LD override the tools)
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench_dir")
programs="$bench_dir/programs"
CLANG=${CLANG:-clang}
WASM_LD=${WASM_LD:-wasm-ld}

for tool in "$CLANG" "$WASM_LD" node; do
  command -v "$tool" >/dev/null || { echo "build.sh: '$tool' not found (apt-get install clang lld nodejs)" >&2; exit 1; }
done

# Identical C semantics for both targets: no errno from math (so sqrt is an instruction), no FMA contraction (so f64
# results are bit-identical between wasm and x86-64).
common_flags=(-std=c11 -O2 -ffreestanding -fno-math-errno -ffp-contract=off -Wall -Wextra -Werror)
# MVP only: the programs must run on every engine, including a young one. clang is used to compile and wasm-ld to
# link directly (clang's driver would also run wasm-opt when it is on PATH, making the output depend on the machine).
wasm_flags=(--target=wasm32 -mcpu=mvp)
link_flags=(--no-entry --export=run -z stack-size=262144 --stack-first)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/native"

count=0
for src in "$programs"/*.c; do
  name=$(basename "$src" .c)
  [ "$name" = native_main ] && continue
  "$CLANG" "${wasm_flags[@]}" "${common_flags[@]}" -c "$src" -o "$work/$name.o"
  "$WASM_LD" "${link_flags[@]}" "$work/$name.o" -o "$programs/$name.wasm"
  "$CLANG" "${common_flags[@]}" "$src" "$programs/native_main.c" -lm -o "$work/native/$name"
  echo "built $name.wasm ($(wc -c <"$programs/$name.wasm") bytes)"
  count=$((count + 1))
done
echo "built $count programs"

# The manifest tool is part of the TypeScript harness. tsc emits even when files outside bench/ have type errors.
(cd "$root" && npx tsc -p tsconfig.json >/dev/null) || echo "build.sh: tsc reported errors (ignored unless bench/ is affected)" >&2
node "$root/dist/bench/harness/update-manifest.js" --native-dir "$work/native"
