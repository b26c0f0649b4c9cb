/*
 * Pure helpers of the analytics page: the date range in the address bar, and the API's long rows
 * (one per week and trainee / step / rule) turned into the wide rows charts draw (one per week).
 */

export type TRange = { from: string; to: string; traineeId?: string };
export type TWideRow = { week: string } & Record<string, number | string | null>;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The page opens on the last twelve weeks: a quarter, enough to see a trend. */
export const DEFAULT_WEEKS = 12;

const pad = (n: number) => String(n).padStart(2, '0');
export const isoDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** A calendar day that exists (2025-02-30 does not), as typed in a date input or a link. */
export function isDay(value: string | null | undefined): value is string {
  if (!value || !ISO_DAY.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(y, m - 1, d);
  return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d;
}

/** From the Monday `DEFAULT_WEEKS − 1` weeks before this week's, up to today. */
export function defaultRange(today: Date): TRange {
  const monday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - ((today.getDay() + 6) % 7));
  const from = new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() - 7 * (DEFAULT_WEEKS - 1));
  return { from: isoDay(from), to: isoDay(today) };
}

/** The range a link asks for; anything missing or malformed falls back to the default. */
export function readRange(params: { get(name: string): string | null }, today: Date, traineeIds: readonly string[]): TRange {
  const fallback = defaultRange(today);
  const from = params.get('from');
  const to = params.get('to');
  const trainee = params.get('trainee');
  return {
    from: isDay(from) ? from : fallback.from,
    to: isDay(to) ? to : fallback.to,
    traineeId: trainee && traineeIds.includes(trainee) ? trainee : undefined,
  };
}

/** The CSV download of one series for the range (served by /api/analytics/export). */
export function csvHref(series: string, range: TRange): string {
  const query = new URLSearchParams({ series, from: range.from, to: range.to });
  if (range.traineeId) query.set('traineeId', range.traineeId);
  return `/api/analytics/export?${query.toString()}`;
}

/**
 * Long rows → one row per week with a column per key. Keys keep the order they first appear in;
 * a week without a value for a key gets `missing` (0 for stacked bars, null for gaps in lines).
 */
export function pivotByWeek<T extends { week: string }>(
  rows: readonly T[],
  keyOf: (row: T) => string,
  valueOf: (row: T) => number,
  missing: 0 | null,
): { data: TWideRow[]; keys: string[] } {
  const keys: string[] = [];
  const byWeek = new Map<string, TWideRow>();
  for (const row of rows) {
    const key = keyOf(row);
    if (!keys.includes(key)) keys.push(key);
    const wide = byWeek.get(row.week) ?? { week: row.week };
    wide[key] = (typeof wide[key] === 'number' ? wide[key] : 0) + valueOf(row);
    byWeek.set(row.week, wide);
  }
  const data = [...byWeek.values()].sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : 0));
  for (const wide of data) for (const key of keys) if (!(key in wide)) wide[key] = missing;
  return { data, keys };
}

/** "2025-02-03" → "Feb 3", for axis ticks. */
export function weekLabel(week: string): string {
  const [y, m, d] = week.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).toLocaleDateString('en-US', { month: 'short', day: 'numeric' });
}

/** Distinguishable colours, in order, also for common colour-vision deficiencies (Okabe–Ito). */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
export const colorOf = (index: number) => PALETTE[index % PALETTE.length]!;
