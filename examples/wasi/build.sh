#!/usr/bin/env bash
# Rebuilds examples/wasi/demo.wasm from demo.c (wasm32-wasi, wasi-libc) and regenerates the expected-* files from a
# NATIVE build of the same source, run with the same arguments and environment: the expectations tests/runtime/wasi.test.ts
# holds the wasm to are thus computed without any wasm engine. Finally runs the new .wasm under node:wasi (V8) and
# checks it against them.
#
# Usage: examples/wasi/build.sh
# Needs (Debian): clang lld wasi-libc libclang-rt-14-dev-wasm32 (compiler-rt builtins for wasm32, which printf's
# floating-point code links against), perl, node. CLANG overrides the compiler.
set -euo pipefail

dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CLANG=${CLANG:-clang}
SYSROOT=${WASI_SYSROOT:-/usr} # Debian's wasi-libc installs /usr/include/wasm32-wasi and /usr/lib/wasm32-wasi
for tool in "$CLANG" perl node; do
  command -v "$tool" >/dev/null || { echo "build.sh: '$tool' not found" >&2; exit 1; }
done
[ -f "$SYSROOT/lib/wasm32-wasi/libc.a" ] || { echo "build.sh: no wasi-libc under $SYSROOT (apt-get install wasi-libc)" >&2; exit 1; }

# Identical C semantics on both targets: no FMA contraction (x86-64 and wasm round the same), sqrt as an instruction.
cflags=(-std=c11 -O2 -ffp-contract=off -fno-math-errno -Wall -Wextra -Werror)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Compile and link in two steps: clang's driver runs wasm-opt on an optimised link when wasm-opt is on PATH, which would
# make the output depend on the machine. The name section is kept (backtraces), DWARF from libc.a is not.
"$CLANG" --target=wasm32-wasi --sysroot="$SYSROOT" "${cflags[@]}" -c "$dir/demo.c" -o "$work/demo.o"
"$CLANG" --target=wasm32-wasi --sysroot="$SYSROOT" "$work/demo.o" -Wl,--strip-debug -o "$dir/demo.wasm"
echo "built demo.wasm ($(wc -c <"$dir/demo.wasm") bytes)"

"$CLANG" "${cflags[@]}" "$dir/demo.c" -lm -o "$work/demo-native"

# The reference run: cwd holds data/input.txt; the wasm run preopens that data/ directory as /data and resolves the
# same relative paths. argv[0] is "demo" and the environment exactly GREETING and LANG on both sides (keep these in
# sync with DEMO_ARGS / DEMO_ENV in tests/runtime/wasi.test.ts).
mkdir -p "$work/data"
cp "$dir/input.txt" "$work/data/input.txt"
set +e
(cd "$work" && env -i "GREETING=hello from the host" LANG=C \
  perl -e '$program = shift; exec {$program} "demo", @ARGV or die "exec: $!"' ./demo-native \
  --in data/input.txt --out data/output.txt >"$dir/expected-stdout.txt" 2>"$dir/expected-stderr.txt")
status=$?
set -e
[ "$status" = 0 ] || { echo "build.sh: native run exited with $status" >&2; exit 1; }
cp "$work/data/output.txt" "$dir/expected-output.txt"
echo "expected-*.txt written from the native run"

# The same run under node:wasi (V8).
mkdir -p "$work/wasm/data"
cp "$dir/input.txt" "$work/wasm/data/input.txt"
node --no-warnings --input-type=module - "$dir/demo.wasm" "$work/wasm" <<'EOF'
import { WASI } from 'node:wasi';
import { readFileSync, openSync, closeSync } from 'node:fs';
const [wasmPath, root] = process.argv.slice(2);
const out = openSync(`${root}/stdout`, 'w');
const err = openSync(`${root}/stderr`, 'w');
const wasi = new WASI({
  version: 'preview1',
  args: ['demo', '--in', 'data/input.txt', '--out', 'data/output.txt'],
  env: { GREETING: 'hello from the host', LANG: 'C' },
  preopens: { '/data': `${root}/data` },
  stdout: out,
  stderr: err,
});
const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), wasi.getImportObject());
const code = wasi.start(instance);
closeSync(out);
closeSync(err);
if (code !== 0) throw new Error(`wasm run exited with ${code}`);
EOF
cmp "$work/wasm/stdout" "$dir/expected-stdout.txt"
cmp "$work/wasm/stderr" "$dir/expected-stderr.txt"
cmp "$work/wasm/data/output.txt" "$dir/expected-output.txt"
echo "V8 (node:wasi) output matches the native build"
