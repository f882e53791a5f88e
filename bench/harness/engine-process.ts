// Parent-side handle on one engine's child process: starts it with the engine's node flags, sends requests one at a
// time, and turns every way a child can fail (error report, crash, hang) into a clear BenchError.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EngineSpec } from './engine-registry.js';
import type { ResultType } from './manifest.js';
import type { ChildMessage, ParentMessage, SampleMessage } from './protocol.js';

export class BenchError extends Error {
  override readonly name = 'BenchError';
}

/** The compiled child entry next to this file (dist/bench/harness/child.js). */
export function defaultChildScript(): string {
  return fileURLToPath(new URL('./child.js', import.meta.url));
}

const STDERR_KEEP = 4000;

export interface ChildInfo {
  readonly node: string;
  readonly v8: string;
  readonly execArgv: readonly string[];
}

export class EngineProcess {
  private readonly inbox: ChildMessage[] = [];
  private waiter: ((message: ChildMessage | Error) => void) | undefined;
  private stderrTail = '';
  private exited = false;
  private exitError: Error | undefined;

  private constructor(
    readonly spec: EngineSpec,
    private readonly child: ChildProcess,
    private readonly timeoutMs: number,
    readonly label: string,
  ) {
    const keepTail = (chunk: Buffer): void => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_KEEP);
    };
    child.stderr?.on('data', keepTail);
    child.stdout?.on('data', keepTail);
    child.on('message', (message: ChildMessage) => this.deliver(message));
    child.on('error', (error) => this.fail(new BenchError(`${label}: child process error: ${error.message}`)));
    child.on('exit', (code, signal) => {
      this.exited = true;
      const how = signal !== null ? `signal ${signal}` : `exit code ${code}`;
      const tail = this.stderrTail.trim();
      this.fail(new BenchError(`${label}: child process ended (${how})${tail ? `; its output ended with:\n${tail}` : ''}`));
    });
  }

  /** Starts the child and waits for it to report ready (its engine created). */
  static async start(spec: EngineSpec, label: string, timeoutMs: number, childScript = defaultChildScript()): Promise<{ process: EngineProcess; info: ChildInfo }> {
    if (!existsSync(childScript)) {
      throw new BenchError(`${childScript} is missing: compile the harness first (npx tsc -p tsconfig.json)`);
    }
    const child = fork(childScript, [spec.name], { execArgv: [...spec.nodeFlags], stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'json' });
    const handle = new EngineProcess(spec, child, timeoutMs, label);
    const ready = await handle.receive('startup');
    if (ready.type !== 'ready') throw handle.unexpected(ready, 'ready');
    return { process: handle, info: { node: ready.node, v8: ready.v8, execArgv: ready.execArgv } };
  }

  async setup(bytes: Uint8Array, entry: string, result: ResultType): Promise<void> {
    this.post({ type: 'setup', wasmBase64: Buffer.from(bytes).toString('base64'), entry, result });
    const reply = await this.receive('setup');
    if (reply.type !== 'setup-done') throw this.unexpected(reply, 'setup-done');
  }

  async iterate(index: number, n: number): Promise<SampleMessage> {
    this.post({ type: 'iterate', index, n });
    const reply = await this.receive(`iteration ${index}`);
    if (reply.type !== 'sample') throw this.unexpected(reply, 'sample');
    return reply;
  }

  /** Asks the child to exit; kills it (this child only) if it has not ended within a second. */
  async close(): Promise<void> {
    if (this.exited) return;
    const ended = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      if (this.child.connected) this.child.send({ type: 'exit' } satisfies ParentMessage);
    } catch {
      // The channel is already gone; the kill below ends the child.
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 1000);
    await ended;
    clearTimeout(timer);
  }

  private post(message: ParentMessage): void {
    if (this.exitError !== undefined) throw this.exitError;
    this.child.send(message);
  }

  private deliver(message: ChildMessage): void {
    if (this.waiter !== undefined) {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter(message);
    } else {
      this.inbox.push(message);
    }
  }

  private fail(error: Error): void {
    this.exitError ??= error;
    if (this.waiter !== undefined) {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter(error);
    }
  }

  /** The next message; child-reported errors, crashes and timeouts become BenchErrors naming `what`. */
  private receive(what: string): Promise<ChildMessage> {
    const queued = this.inbox.shift();
    const settle = (message: ChildMessage): ChildMessage => {
      if (message.type === 'error') throw new BenchError(`${this.label}: ${message.phase} failed: ${message.message}`);
      return message;
    };
    if (queued !== undefined) return Promise.resolve(queued).then(settle);
    if (this.exitError !== undefined) return Promise.reject(this.exitError);
    return new Promise<ChildMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        this.child.kill('SIGKILL');
        reject(new BenchError(`${this.label}: ${what} timed out after ${this.timeoutMs / 1000} s (child killed)`));
      }, this.timeoutMs);
      this.waiter = (message) => {
        clearTimeout(timer);
        if (message instanceof Error) reject(message);
        else resolve(message);
      };
    }).then(settle);
  }

  private unexpected(message: ChildMessage, expected: string): BenchError {
    return new BenchError(`${this.label}: expected a "${expected}" message from the child, got "${message.type}"`);
  }
}
