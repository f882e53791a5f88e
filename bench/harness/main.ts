// Entry point of the benchmark harness:  node dist/bench/harness/main.js [--quick] [--engines a,b] [--programs x,y]
// [--runs N] ...  (see options.ts; `kindling bench` runs the same).
import { benchMain } from './bench-main.js';

benchMain(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('bench: internal error:', error);
    process.exitCode = 1;
  },
);
