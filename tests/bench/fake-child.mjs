// A stand-in for bench/harness/child.js that speaks the same protocol, for testing the runner and the process
// handling: it really runs the module under V8, and reports fuel / misbehaves as FAKE_CHILD_MODE says:
//   agree     fuel 1000 on every metering engine (name contains "fuel") and run; no fuel from the others
//   disagree  fuel 1000, but 1001 on engines whose name contains "memory"
//   crash     exits with code 3 (after writing to stderr) on the second iteration
//   hang      never answers the second iteration
//   wrong     returns checksum 0xdeadbeef
const mode = process.env.FAKE_CHILD_MODE ?? 'agree';
const engine = process.argv[2];
let program;

process.on('message', (message) => {
  if (message.type === 'setup') {
    const module = new WebAssembly.Module(Buffer.from(message.wasmBase64, 'base64'));
    program = { module, entry: message.entry };
    process.send({ type: 'setup-done' });
  } else if (message.type === 'iterate') {
    if (message.index === 1 && mode === 'crash') {
      process.stderr.write('fake child: crashing on purpose\n');
      process.exit(3);
    }
    if (message.index === 1 && mode === 'hang') return;
    const instance = new WebAssembly.Instance(program.module, {});
    const result = instance.exports[program.entry](message.n);
    const checksum = mode === 'wrong' ? '0xdeadbeef' : '0x' + (result >>> 0).toString(16).padStart(8, '0');
    const fuel = !engine.includes('fuel') ? null : mode === 'disagree' && engine.includes('memory') ? '1001' : '1000';
    process.send({ type: 'sample', index: message.index, compileMs: 1, instantiateMs: 0.5, runMs: 2 + message.index, runCpuMs: 1.5 + message.index, checksum, fuel });
  } else if (message.type === 'exit') {
    process.disconnect();
  }
});
process.send({ type: 'ready', engine, node: process.version, v8: process.versions.v8, execArgv: process.execArgv });
