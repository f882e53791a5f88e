/** Section ids of the Wasm 2.0 binary format, and the order a module must list them in. */

export const enum SectionId {
  CUSTOM = 0,
  TYPE = 1,
  IMPORT = 2,
  FUNCTION = 3,
  TABLE = 4,
  MEMORY = 5,
  GLOBAL = 6,
  EXPORT = 7,
  START = 8,
  ELEMENT = 9,
  CODE = 10,
  DATA = 11,
  DATA_COUNT = 12,
}

/** Position of each known section id in the required order (data count sits between element and code). */
export const SECTION_ORDER: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10];
