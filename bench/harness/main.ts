// Entry point of the benchmark harness:  node dist/bench/harness/main.js [--quick] [--engines a,b] [--programs x,y]
// [--runs N] ...  (see options.ts). Exit code 0: all good; 1: a checksum/fuel mismatch or a failed engine; 2: usage.
import { ManifestError } from './manifest.js';
import { parseBenchArgs, USAGE, UsageError } from './options.js';
import { runBench } from './run-bench.js';
import { BenchError } from './engine-process.js';

async function main(argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseBenchArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`bench: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  try {
    return (await runBench(options)).exitCode;
  } catch (error) {
    if (error instanceof BenchError || error instanceof ManifestError) {
      console.error(`bench: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('bench: internal error:', error);
    process.exitCode = 1;
  },
);
