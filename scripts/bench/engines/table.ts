/** Pass/fail against an upper bound: judged on p95 when there is one, else on the single value. */
export type TVerdict = 'pass' | 'fail' | 'p95-fail';

export type TTarget = { max: number; text: string };

export type TRow =
  | { kind: 'section'; title: string }
  | { kind: 'figure'; label: string; p50: string; p95: string; target: string; verdict?: TVerdict }
  | { kind: 'note'; text: string };

export function judge(value: { p50: number; p95?: number }, target: TTarget): TVerdict | undefined {
  const ok = (v: number) => v <= target.max;
  if (!Number.isFinite(value.p50)) return undefined;
  if (value.p95 === undefined || !Number.isFinite(value.p95)) return ok(value.p50) ? 'pass' : 'fail';
  if (ok(value.p95)) return 'pass';
  return ok(value.p50) ? 'p95-fail' : 'fail';
}

export const VERDICT_MARK: Record<TVerdict, string> = { pass: '✓', fail: '✗', 'p95-fail': '✗ (p50 ✓)' };

/**
 * A figure row. `value` is a distribution (p50 and p95 shown) or one number (shown under p50).
 * The verdict is computed only when a target is given.
 */
export function figure(
  label: string,
  value: number | { p50: number; p95: number },
  format: (v: number) => string,
  target?: TTarget,
): TRow {
  const dist = typeof value === 'number' ? { p50: value } : value;
  return {
    kind: 'figure',
    label,
    p50: format(dist.p50),
    p95: 'p95' in dist ? format(dist.p95) : '',
    target: target?.text ?? '',
    verdict: target ? judge(dist, target) : undefined,
  };
}

export const section = (title: string): TRow => ({ kind: 'section', title });
export const note = (text: string): TRow => ({ kind: 'note', text });

const HEADER = { label: 'figure', p50: 'p50 / value', p95: 'p95', target: 'target', ok: 'ok' };

/** Renders rows as an aligned plain-text table: labels left, numbers right-aligned. */
export function renderTable(rows: readonly TRow[]): string {
  const figures = rows.filter((r): r is Extract<TRow, { kind: 'figure' }> => r.kind === 'figure');
  const width = (pick: (r: Extract<TRow, { kind: 'figure' }>) => string, header: string) =>
    Math.max(header.length, ...figures.map((r) => pick(r).length));
  const w = {
    label: width((r) => `  ${r.label}`, HEADER.label),
    p50: width((r) => r.p50, HEADER.p50),
    p95: width((r) => r.p95, HEADER.p95),
    target: width((r) => r.target, HEADER.target),
  };
  const line = (label: string, p50: string, p95: string, target: string, ok: string) =>
    `${label.padEnd(w.label)}  ${p50.padStart(w.p50)}  ${p95.padStart(w.p95)}  ${target.padEnd(w.target)}  ${ok}`.trimEnd();
  const total = w.label + w.p50 + w.p95 + w.target + 8 + HEADER.ok.length + 8;
  const out = [line(HEADER.label, HEADER.p50, HEADER.p95, HEADER.target, HEADER.ok), '─'.repeat(total)];
  for (const row of rows) {
    if (row.kind === 'section') out.push(row.title);
    else if (row.kind === 'note') out.push(`  · ${row.text}`);
    else out.push(line(`  ${row.label}`, row.p50, row.p95, row.target, row.verdict ? VERDICT_MARK[row.verdict] : ''));
  }
  return out.join('\n');
}

/** "7 of 9 targets met" over the rows that have a verdict. */
export function targetSummary(rows: readonly TRow[]): { met: number; total: number } {
  const judged = rows.filter((r) => r.kind === 'figure' && r.verdict);
  return { met: judged.filter((r) => r.kind === 'figure' && r.verdict === 'pass').length, total: judged.length };
}

/** What one part of the bench hands back: table rows, lines printed under the table, and raw data for the JSON. */
export type TSection = {
  rows: TRow[];
  details: string[];
  data: Record<string, unknown>;
  /** False when the part measured nothing (engine missing or failed to load). */
  ran: boolean;
};
