/**
 * The `name` custom section (module name, function names, local names). It is a custom section: when malformed it is
 * ignored (names stay empty and ModuleInfo.nameSectionError says why), never a reason to reject the module.
 */
import { BinaryReader } from './binary-reader.js';
import { CompileError } from './errors.js';
import type { ModuleInfo, NameInfo } from './module-info.js';

const MODULE_NAME = 0;
const FUNCTION_NAMES = 1;
const LOCAL_NAMES = 2;

/** Decodes bytes[start, end) (the payload after the section's name) into module.names. */
export function readNameSection(module: ModuleInfo, start: number, end: number): void {
  const names: NameInfo = { module: null, functions: new Map(), locals: new Map() };
  try {
    const r = new BinaryReader(module.bytes, start, end);
    while (r.pos < end) {
      const id = r.readU8();
      const size = r.readVarU32();
      if (size > end - r.pos) r.fail('name subsection size out of bounds');
      const subEnd = r.pos + size;
      r.end = subEnd;
      if (id === MODULE_NAME) names.module = r.readName();
      else if (id === FUNCTION_NAMES) readNameMap(r, names.functions);
      else if (id === LOCAL_NAMES) {
        const count = r.readVecLength(2);
        for (let i = 0; i < count; i++) {
          const funcIndex = r.readVarU32();
          const locals = new Map<number, string>();
          readNameMap(r, locals);
          names.locals.set(funcIndex, locals);
        }
      } else r.pos = subEnd; // other subsections (labels, types, …) are not used
      if (r.pos !== subEnd) r.fail(`name subsection ${id} size mismatch`);
      r.end = end;
    }
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    module.nameSectionError = e.message;
    return;
  }
  module.names = names;
}

function readNameMap(r: BinaryReader, out: Map<number, string>): void {
  const count = r.readVecLength(2);
  for (let i = 0; i < count; i++) {
    const index = r.readVarU32();
    out.set(index, r.readName());
  }
}
