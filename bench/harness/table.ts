// The terminal view: one block of rows per program, printed as soon as the program finishes, then geomeans; and a
// progress line on stderr while iterations run (rewritten in place on a terminal, one line per program otherwise).
import type { EngineName } from './engine-registry.js';
import type { EngineGeomean, ProgramReport } from './report.js';
import type { ProgressEvent } from './runner.js';

/** Milliseconds with about three significant digits. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '–';
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

export function formatRatio(r: number | undefined): string {
  if (r === undefined) return '–';
  return r < 10 ? r.toFixed(2) : r.toFixed(1);
}

const COLUMNS = [
  { title: 'program', width: 14, right: false },
  { title: 'engine', width: 23, right: false },
  { title: 'compile ms', width: 10, right: true },
  { title: 'run ms', width: 9, right: true },
  { title: '[min – max]', width: 20, right: false },
  { title: '×TF', width: 6, right: true },
  { title: '×kindling', width: 9, right: true },
  { title: 'fuel', width: 16, right: true },
] as const;

function row(cells: readonly string[]): string {
  return COLUMNS.map((c, i) => (c.right ? (cells[i] ?? '').padStart(c.width) : (cells[i] ?? '').padEnd(c.width))).join('  ').trimEnd();
}

export function tableHeader(): string[] {
  const header = row(COLUMNS.map((c) => c.title));
  return [header, '─'.repeat(header.length)];
}

/** The rows of one program: one per engine, the program name on the first. Failed engines show their error. */
export function programRows(report: ProgramReport, engines: readonly EngineName[]): string[] {
  const lines: string[] = [];
  engines.forEach((engine, i) => {
    const first = i === 0 ? report.name : '';
    const e = report.engines[engine];
    if (e === undefined) return;
    if (!e.ok) {
      lines.push(row([first, engine, 'FAILED']) + `  ${e.error ?? ''}`);
      return;
    }
    const range = e.runMs ? `[${formatMs(e.runMs.min)} – ${formatMs(e.runMs.max)}]` : '';
    lines.push(
      row([first, engine, formatMs(e.compileMs?.median), formatMs(e.runMs?.median), range, formatRatio(e.runVsTurbofan), formatRatio(e.runVsKindling), e.fuel ?? '–']),
    );
  });
  return lines;
}

export function geomeanRows(geomean: Partial<Record<EngineName, EngineGeomean>>, engines: readonly EngineName[], programCount: number): string[] {
  const lines = [`geomean over ${programCount} program(s)          compile ×TF   run ×TF   run ×kindling`];
  for (const engine of engines) {
    const g = geomean[engine];
    if (g === undefined) continue;
    lines.push(
      `  ${engine.padEnd(31)}${formatRatio(g.compileVsTurbofan).padStart(11)}${formatRatio(g.runVsTurbofan).padStart(10)}${formatRatio(g.runVsKindling).padStart(16)}`,
    );
  }
  return lines;
}

/** Progress on a stream: in place on a terminal; otherwise one line when each program starts. */
export class ProgressLine {
  private shown = false;
  private programIndex = 0;

  constructor(
    private readonly out: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly programCount: number,
  ) {}

  update(event: ProgressEvent): void {
    if (event.kind === 'starting') {
      this.programIndex++;
      if (!this.out.isTTY) this.out.write(`[${this.programIndex}/${this.programCount}] ${event.program}\n`);
      return;
    }
    if (!this.out.isTTY) return;
    this.out.write(`\r\x1b[2K[${this.programIndex}/${this.programCount}] ${event.program}: ${event.engine} ${event.phase} ${event.index}/${event.count}`);
    this.shown = true;
  }

  /** Erases the progress line so table rows print cleanly. */
  clear(): void {
    if (this.shown) this.out.write('\r\x1b[2K');
    this.shown = false;
  }
}
