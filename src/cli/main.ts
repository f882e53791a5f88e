#!/usr/bin/env node
// The `kindling` command.

import { runDemo } from './demo.js';
import { benchMain } from '../../bench/harness/bench-main.js';
import { runWastMain } from './wast/main.js';
import { runMain } from './run.js';
import { compileMain } from './compile.js';

const USAGE = `usage: kindling <command> [options]

commands:
  run         run a module: kindling run FILE.wasm [--invoke NAME ARGS…] [--fuel N] [--wasi] (see --help)
  compile     show the IR, vcode or disassembly kindling makes: kindling compile FILE.wasm --emit ir|vcode|asm [--timings]
  bench       run the benchmark programs side by side on V8 and kindling (see \`kindling bench --help\`)
  wast        run spec-test command files (wast2json .json): kindling wast FILE.json|DIR… [--engine v8|v8-raw|kindling]
  demo        assemble, disassemble and run a fuel-metered loop with kindling's encoder
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'bench':
      return benchMain(rest, 'kindling bench');
    case 'wast':
      return runWastMain(rest);
    case 'run':
      return runMain(rest);
    case 'compile':
      return compileMain(rest);
    case 'demo':
      await runDemo();
      return 0;
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`kindling: unknown command '${command}'\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`kindling: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
