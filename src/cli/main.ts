#!/usr/bin/env node
// The `kindling` command.

import { runDemo } from './demo.js';

const USAGE = `usage: kindling <command> [options]

commands:
  demo        assemble, disassemble and run a fuel-metered loop (what \`npm start\` runs for now)
`;

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  switch (command) {
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
