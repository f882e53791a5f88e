// Wat → wasm for the runtime tests (wabt, all Wasm 2.0 features; names kept so backtraces can be checked).
import wabtInit from 'wabt';

let wabtPromise: ReturnType<typeof wabtInit> | null = null;

/** Assembles `text`; `validate: false` lets tests write invalid modules. */
export async function wat(text: string, options: { validate?: boolean } = {}): Promise<Uint8Array<ArrayBuffer>> {
  wabtPromise ??= wabtInit();
  const wabt = await wabtPromise;
  const features = { mutable_globals: true, bulk_memory: true, reference_types: true, multi_value: true, sat_float_to_int: true, sign_extension: true };
  const m = wabt.parseWat('test.wat', text, features);
  try {
    m.resolveNames();
    if (options.validate !== false) m.validate();
    return Uint8Array.from(m.toBinary({ write_debug_names: true }).buffer);
  } finally {
    m.destroy();
  }
}
