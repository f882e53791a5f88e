// libc bindings through koffi: the memory-mapping system calls, the C heap, and errno.
//
// Every wrapper that can fail checks the C return value and throws a NativeError whose message names the call,
// its arguments and the OS's reason, e.g.
//   mprotect(0x1001, 4096, PROT_READ|PROT_EXEC) failed: EINVAL (Invalid argument)
// Linux x86-64 only (the constants below are Linux's); the library is bound lazily on first use so that merely
// importing this module never throws.

import koffi from 'koffi';

export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

export const MAP_PRIVATE = 0x02;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_NORESERVE = 0x4000;

const SC_PAGESIZE = 30; // glibc's _SC_PAGESIZE on Linux
const MAP_FAILED = 0xffff_ffff_ffff_ffffn; // (void *)-1

/** An OS call that failed; `errno` and `code` (e.g. 'EINVAL') say why. */
export class NativeError extends Error {
  readonly errno: number;
  readonly code: string;
  readonly call: string;

  constructor(call: string, errnoValue: number) {
    super(`${call} failed: ${errnoName(errnoValue)} (${strerror(errnoValue)})`);
    this.name = 'NativeError';
    this.errno = errnoValue;
    this.code = errnoName(errnoValue);
    this.call = call;
  }
}

type KoffiFunction = (...args: any[]) => any;

interface LibcBindings {
  mmap: KoffiFunction;
  mprotect: KoffiFunction;
  munmap: KoffiFunction;
  sysconf: KoffiFunction;
  strerror: KoffiFunction;
  calloc: KoffiFunction;
  posix_memalign: KoffiFunction;
  memset: KoffiFunction;
  free: KoffiFunction;
}

let bindings: LibcBindings | null = null;

/** Throws a clear error on platforms whose ABI and constants this module does not know. */
export function assertSupportedPlatform(): void {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`kindling's native layer supports linux x64 only (this is ${process.platform} ${process.arch})`);
  }
}

function libc(): LibcBindings {
  if (bindings !== null) return bindings;
  assertSupportedPlatform();
  const lib = koffi.load('libc.so.6');
  bindings = {
    mmap: lib.func('void *mmap(void *addr, size_t length, int prot, int flags, int fd, int64_t offset)'),
    mprotect: lib.func('int mprotect(void *addr, size_t len, int prot)'),
    munmap: lib.func('int munmap(void *addr, size_t len)'),
    sysconf: lib.func('long sysconf(int name)'),
    strerror: lib.func('const char *strerror(int errnum)'),
    calloc: lib.func('void *calloc(size_t count, size_t size)'),
    // memptr is passed as a BigUint64Array: koffi hands its backing store to C, which writes the result in place.
    posix_memalign: lib.func('int posix_memalign(void *memptr, size_t alignment, size_t size)'),
    memset: lib.func('void *memset(void *dest, int value, size_t count)'),
    free: lib.func('void free(void *ptr)'),
  };
  return bindings;
}

let errnoNames: string[] | null = null;

/** The symbolic name of an errno value ('EINVAL'), or 'errno N' when unknown. */
export function errnoName(value: number): string {
  if (errnoNames === null) {
    errnoNames = [];
    for (const [name, code] of Object.entries(koffi.os.errno)) {
      // Several names can share a value (EAGAIN/EWOULDBLOCK): keep the first, which is the classic one.
      if (errnoNames[code] === undefined) errnoNames[code] = name;
    }
  }
  return errnoNames[value] ?? `errno ${value}`;
}

/** The C library's message for an errno value. */
export function strerror(value: number): string {
  return libc().strerror(value) ?? `Unknown error ${value}`;
}

/** errno as left by the most recent native call on this thread. */
export function errno(): number {
  return koffi.errno();
}

export function hex(address: bigint | number): string {
  return '0x' + address.toString(16);
}

/** 'PROT_READ|PROT_EXEC' for messages. */
export function describeProt(prot: number): string {
  if (prot === PROT_NONE) return 'PROT_NONE';
  const parts: string[] = [];
  if (prot & PROT_READ) parts.push('PROT_READ');
  if (prot & PROT_WRITE) parts.push('PROT_WRITE');
  if (prot & PROT_EXEC) parts.push('PROT_EXEC');
  const unknown = prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC);
  if (unknown !== 0) parts.push(hex(unknown));
  return parts.join('|');
}

function describeMapFlags(flags: number): string {
  const parts: string[] = [];
  if (flags & MAP_PRIVATE) parts.push('MAP_PRIVATE');
  if (flags & MAP_FIXED) parts.push('MAP_FIXED');
  if (flags & MAP_ANONYMOUS) parts.push('MAP_ANONYMOUS');
  if (flags & MAP_NORESERVE) parts.push('MAP_NORESERVE');
  const unknown = flags & ~(MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_NORESERVE);
  if (unknown !== 0) parts.push(hex(unknown));
  return parts.join('|');
}

let cachedPageSize = 0;

/** The OS page size in bytes (sysconf(_SC_PAGESIZE)), read once. */
export function pageSize(): number {
  if (cachedPageSize === 0) {
    const size = Number(libc().sysconf(SC_PAGESIZE));
    if (!(size > 0)) throw new NativeError('sysconf(_SC_PAGESIZE)', errno());
    cachedPageSize = size;
  }
  return cachedPageSize;
}

/**
 * Anonymous memory mapping (no file). Returns the mapping's address. With MAP_FIXED, `address` is where the
 * mapping must go (replacing what was there); otherwise it is a hint or null.
 */
export function mmapAnonymous(address: bigint | null, length: number, prot: number, flags: number): bigint {
  const result: bigint | null = libc().mmap(address, length, prot, flags | MAP_ANONYMOUS, -1, 0);
  if (result === null || result === MAP_FAILED) {
    const code = errno();
    const where = address === null ? 'NULL' : hex(address);
    throw new NativeError(`mmap(${where}, ${length}, ${describeProt(prot)}, ${describeMapFlags(flags | MAP_ANONYMOUS)})`, code);
  }
  return result;
}

/** Changes the protection of whole pages; `address` must be page-aligned. */
export function mprotect(address: bigint, length: number, prot: number): void {
  if (libc().mprotect(address, length, prot) !== 0) {
    throw new NativeError(`mprotect(${hex(address)}, ${length}, ${describeProt(prot)})`, errno());
  }
}

/** Unmaps whole pages; `address` must be page-aligned. */
export function munmap(address: bigint, length: number): void {
  if (libc().munmap(address, length) !== 0) {
    throw new NativeError(`munmap(${hex(address)}, ${length})`, errno());
  }
}

/** Zeroed C-heap memory (calloc); throws ENOMEM-style NativeError on failure. */
export function calloc(size: number): bigint {
  const result: bigint | null = libc().calloc(1, size);
  if (result === null) throw new NativeError(`calloc(1, ${size})`, errno());
  return result;
}

/** Zeroed C-heap memory aligned to `alignment` (a power of two, multiple of 8). */
export function alignedCalloc(size: number, alignment: number): bigint {
  const out = new BigUint64Array(1);
  const status: number = libc().posix_memalign(out, alignment, size);
  // posix_memalign returns the error code instead of setting errno.
  if (status !== 0) throw new NativeError(`posix_memalign(${alignment}, ${size})`, status);
  const address = out[0]!;
  libc().memset(address, 0, size);
  return address;
}

/** Releases C-heap memory from calloc/alignedCalloc. */
export function free(address: bigint): void {
  libc().free(address);
}
