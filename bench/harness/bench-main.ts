// The harness's command line, shared by `node dist/bench/harness/main.js` and `kindling bench`.
// Exit code 0: all good; 1: a checksum/fuel mismatch or a failed engine; 2: usage.
import { BenchError } from './engine-process.js';
import { ManifestError } from './manifest.js';
import { parseBenchArgs, USAGE, UsageError } from './options.js';
import { runBench } from './run-bench.js';

export async function benchMain(argv: readonly string[], programName = 'node dist/bench/harness/main.js'): Promise<number> {
  const usage = USAGE.replace('node dist/bench/harness/main.js', programName);
  let options;
  try {
    options = parseBenchArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`bench: ${error.message}\n\n${usage}\n`);
      return 2;
    }
    throw error;
  }
  if (options === 'help') {
    process.stdout.write(usage + '\n');
    return 0;
  }
  try {
    return (await runBench(options)).exitCode;
  } catch (error) {
    if (error instanceof BenchError || error instanceof ManifestError) {
      process.stderr.write(`bench: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
