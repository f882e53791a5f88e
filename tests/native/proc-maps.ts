// /proc/self/maps reader for the W^X tests.
import { readFileSync } from 'node:fs';

export interface Mapping {
  start: bigint;
  end: bigint;
  /** e.g. 'r-xp' */
  perms: string;
  line: string;
}

export function readMappings(): Mapping[] {
  const mappings: Mapping[] = [];
  for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    const match = /^([0-9a-f]+)-([0-9a-f]+) (\S{4})/.exec(line);
    if (match === null) continue;
    mappings.push({ start: BigInt('0x' + match[1]), end: BigInt('0x' + match[2]), perms: match[3]!, line });
  }
  return mappings;
}

/** The mapping that contains `address`, or undefined. */
export function mappingAt(address: bigint, mappings: Mapping[] = readMappings()): Mapping | undefined {
  return mappings.find((m) => m.start <= address && address < m.end);
}

export function isWritableAndExecutable(m: Mapping): boolean {
  return m.perms[1] === 'w' && m.perms[2] === 'x';
}

export function overlaps(m: Mapping, start: bigint, end: bigint): boolean {
  return m.start < end && start < m.end;
}
