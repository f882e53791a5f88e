/**
 * The engines `kindling wast --engine NAME` can run: V8 (Node's own WebAssembly) through the plain JS API, V8 with
 * the trampoline raw-bits channel, and kindling's runtime once its public entry exists.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WastEngine } from './engine.js';
import { jsApiWastEngine, v8WastEngine } from './js-api-engine.js';
import type { JsApiNamespace } from './js-api-namespace.js';
import { JsValueCodec } from './js-values.js';
import { trampolineRawCall } from './trampoline-raw-call.js';

export const WAST_ENGINE_NAMES = ['v8', 'v8-raw', 'kindling'] as const;
export type WastEngineName = (typeof WAST_ENGINE_NAMES)[number];

/**
 * kindling's package entry (ARCHITECTURE.md "Public API": it exports the `WebAssembly` namespace), relative to this
 * file: src/cli/wast → src/index (dist/src/index.js once built). Loaded dynamically so this folder type-checks
 * before the runtime exists.
 */
const KINDLING_ENTRY = new URL('../../index.js', import.meta.url);

/** The engine named `name`, or a message saying why it is not available. */
export async function loadWastEngine(name: string): Promise<WastEngine | string> {
  switch (name) {
    case 'v8':
      return v8WastEngine();
    case 'v8-raw':
      return v8WastEngine({ rawBits: true });
    case 'kindling':
      return loadKindlingEngine();
    default:
      return `unknown engine '${name}' (engines: ${WAST_ENGINE_NAMES.join(', ')})`;
  }
}

async function loadKindlingEngine(): Promise<WastEngine | string> {
  const entry = fileURLToPath(KINDLING_ENTRY);
  const source = entry.replace(/\.js$/, '.ts');
  if (!existsSync(entry) && !existsSync(source)) {
    return `kindling's runtime is not available yet: ${entry} is missing (build with npx tsc once src/index.ts exists)`;
  }
  let api: { WebAssembly?: unknown };
  try {
    api = (await import(KINDLING_ENTRY.href)) as { WebAssembly?: unknown };
  } catch (error) {
    return `kindling's runtime failed to load from ${entry}: ${(error as Error).message}`;
  }
  const namespace = api.WebAssembly as Partial<JsApiNamespace> | undefined;
  if (typeof namespace?.Module !== 'function' || typeof namespace.Instance !== 'function') {
    return `kindling's entry ${entry} does not export a WebAssembly namespace with Module and Instance`;
  }
  // SIMD stays off until the runtime has it. Raw bits: trampolines call kindling's exports wasm → wasm (a direct
  // VMFuncRef call), so NaN payloads reach them unchanged.
  const codec = new JsValueCodec();
  return jsApiWastEngine(namespace as JsApiNamespace, { name: 'kindling', simd: false, codec, callRaw: trampolineRawCall(namespace as JsApiNamespace, codec) });
}
