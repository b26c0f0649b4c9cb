import { percentile } from '../../lib/proc-stats';

export { percentile };

/** p50/p95 by nearest rank (as `bench:startup`), plus the spread, of one measured figure. */
export type TSummary = { n: number; p50: number; p95: number; mean: number; min: number; max: number };

export function summarize(values: readonly number[]): TSummary {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { n: 0, p50: Number.NaN, p95: Number.NaN, mean: Number.NaN, min: Number.NaN, max: Number.NaN };
  return {
    n: finite.length,
    p50: percentile(finite, 50),
    p95: percentile(finite, 95),
    mean: finite.reduce((s, v) => s + v, 0) / finite.length,
    min: Math.min(...finite),
    max: Math.max(...finite),
  };
}

/** `a ÷ b`, or NaN when either is missing or b is zero. */
export function ratio(a: number | undefined, b: number | undefined): number {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return Number.NaN;
  return a / b;
}

/** Real-time factor: processing time over the audio's duration (below 1 is faster than real time). */
export function realTimeFactor(processingMs: number, audioSeconds: number): number {
  return audioSeconds > 0 ? processingMs / 1000 / audioSeconds : Number.NaN;
}

/**
 * Decode speed: tokens after the first over the time from the first token to the last (the first
 * token's wait is the time to first token, reported on its own). NaN with fewer than 2 tokens.
 */
export function decodeTokensPerSecond(completionTokens: number, firstTokenMs: number, endMs: number): number {
  const span = endMs - firstTokenMs;
  return completionTokens >= 2 && span > 0 ? (completionTokens - 1) / (span / 1000) : Number.NaN;
}

/** Least-squares line y = intercept + slope·x; NaN for fewer than two distinct x. */
export function linearFit(xs: readonly number[], ys: readonly number[]): { intercept: number; slope: number } {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return { intercept: Number.NaN, slope: Number.NaN };
  const mx = xs.slice(0, n).reduce((s, v) => s + v, 0) / n;
  const my = ys.slice(0, n).reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  if (sxx === 0) return { intercept: Number.NaN, slope: Number.NaN };
  const slope = sxy / sxx;
  return { intercept: my - slope * mx, slope };
}

const dash = '—';

export const fmt = {
  ms(v: number): string {
    if (!Number.isFinite(v)) return dash;
    return v < 10 ? `${v.toFixed(1)} ms` : `${Math.round(v).toLocaleString('en-US')} ms`;
  },
  rtf(v: number): string {
    return Number.isFinite(v) ? v.toFixed(3) : dash;
  },
  pct(v: number): string {
    return Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : dash;
  },
  ratio(v: number): string {
    return Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v.toFixed(1)}×` : dash;
  },
  perSecond(v: number, unit: string): string {
    return Number.isFinite(v) ? `${v.toFixed(1)} ${unit}/s` : dash;
  },
  count(v: number): string {
    return Number.isFinite(v) ? String(Math.round(v)) : dash;
  },
};
