import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  MAP_PRIVATE, NativeError, PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE, describeProt, errnoName, mmapAnonymous, mprotect, munmap,
  pageSize, strerror,
} from '../../native/libc.js';
import { mappingAt } from './proc-maps.js';

describe('libc bindings', () => {
  it('pageSize matches getconf PAGESIZE', () => {
    const expected = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim());
    expect(pageSize()).toBe(expected);
  });

  it('mmap / mprotect / munmap change what /proc/self/maps shows', () => {
    const page = pageSize();
    const address = mmapAnonymous(null, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    expect(address % BigInt(page)).toBe(0n);
    expect(mappingAt(address)?.perms).toBe('rw-p');
    mprotect(address + BigInt(page), page, PROT_READ);
    expect(mappingAt(address)?.perms).toBe('rw-p');
    expect(mappingAt(address + BigInt(page))?.perms).toBe('r--p');
    munmap(address, 2 * page);
    expect(mappingAt(address)).toBeUndefined();
  });

  it('mprotect on a bad address: NativeError with errno name and text', () => {
    let caught: unknown;
    try {
      mprotect(0x1001n, 4096, PROT_READ | PROT_EXEC);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NativeError);
    const error = caught as NativeError;
    expect(error.message).toBe('mprotect(0x1001, 4096, PROT_READ|PROT_EXEC) failed: EINVAL (Invalid argument)');
    expect(error.errno).toBe(22);
    expect(error.code).toBe('EINVAL');
    expect(error.call).toBe('mprotect(0x1001, 4096, PROT_READ|PROT_EXEC)');
  });

  it('mprotect of unmapped memory is ENOMEM; munmap of a misaligned address is EINVAL', () => {
    const page = pageSize();
    const address = mmapAnonymous(null, page, PROT_READ, MAP_PRIVATE);
    munmap(address, page);
    expect(() => mprotect(address, page, PROT_READ)).toThrow(/^mprotect\(0x[0-9a-f]+, 4096, PROT_READ\) failed: ENOMEM \(Cannot allocate memory\)$/);
    expect(() => munmap(0x7n, 4096)).toThrow('munmap(0x7, 4096) failed: EINVAL (Invalid argument)');
  });

  it('mmap failure is reported with its arguments', () => {
    // A length this large cannot be mapped.
    expect(() => mmapAnonymous(null, 2 ** 52, PROT_READ, MAP_PRIVATE)).toThrow(
      /^mmap\(NULL, 4503599627370496, PROT_READ, MAP_PRIVATE\|MAP_ANONYMOUS\) failed: ENOMEM \(Cannot allocate memory\)$/,
    );
  });

  it('names errno values and protections', () => {
    expect(errnoName(22)).toBe('EINVAL');
    expect(errnoName(12)).toBe('ENOMEM');
    expect(errnoName(11)).toBe('EAGAIN');
    expect(errnoName(99999)).toBe('errno 99999');
    expect(strerror(2)).toBe('No such file or directory');
    expect(describeProt(PROT_NONE)).toBe('PROT_NONE');
    expect(describeProt(PROT_READ | PROT_WRITE)).toBe('PROT_READ|PROT_WRITE');
    expect(describeProt(PROT_READ | 0x40)).toBe('PROT_READ|0x40');
  });
});
