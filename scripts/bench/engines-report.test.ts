import { describe, expect, it } from 'vitest';
import { BENCH_PARTS, DEFAULT_JSON_PATH, parseBenchArgs } from './engines/args';
import { fullBatches } from './engines/embeddings';
import { benchRolePlay } from './engines/role-play';
import { decodeTokensPerSecond, fmt, linearFit, ratio, realTimeFactor, summarize } from './engines/stats';
import { figure, judge, note, renderTable, section, targetSummary } from './engines/table';

describe('summarize', () => {
  it('takes nearest-rank p50 and p95', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100, unsorted
    expect(summarize(values)).toEqual({ n: 100, p50: 50, p95: 95, mean: 50.5, min: 1, max: 100 });
  });

  it('gives the largest value as p95 of a small sample, and the middle one as p50', () => {
    expect(summarize([300, 100, 200, 400])).toMatchObject({ p50: 200, p95: 400 });
    expect(summarize([5])).toMatchObject({ n: 1, p50: 5, p95: 5 });
  });

  it('ignores failed samples (NaN) and reports an empty set as NaN', () => {
    expect(summarize([Number.NaN, 2, 4])).toMatchObject({ n: 2, p50: 2, p95: 4 });
    expect(summarize([]).p50).toBeNaN();
  });
});

describe('ratios and rates', () => {
  it('computes real-time factor, ratios and decode speed', () => {
    expect(realTimeFactor(500, 2.5)).toBeCloseTo(0.2);
    expect(realTimeFactor(500, 0)).toBeNaN();
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNaN();
    expect(ratio(undefined, 2)).toBeNaN();
    // 31 tokens: 30 after the first, over the 1.5 s from the first token to the end.
    expect(decodeTokensPerSecond(31, 500, 2000)).toBeCloseTo(20);
    expect(decodeTokensPerSecond(1, 500, 2000)).toBeNaN();
  });

  it('fits a line through (audio length, recognise time)', () => {
    expect(linearFit([1, 2, 3, 4], [1100, 1200, 1300, 1400])).toEqual({ intercept: 1000, slope: 100 });
    expect(linearFit([2, 2], [1, 3]).slope).toBeNaN();
    expect(linearFit([1], [1]).intercept).toBeNaN();
  });

  it('formats figures for the table', () => {
    expect(fmt.ms(1253.4)).toBe('1,253 ms');
    expect(fmt.ms(7.66)).toBe('7.7 ms');
    expect(fmt.rtf(0.2291)).toBe('0.229');
    expect(fmt.pct(0.056)).toBe('5.6 %');
    expect(fmt.ratio(3.934)).toBe('3.93×');
    expect(fmt.perSecond(25.64, 'tok')).toBe('25.6 tok/s');
    expect(fmt.ms(Number.NaN)).toBe('—');
  });
});

describe('judge', () => {
  const target = { max: 300, text: '≤ 300 ms' };
  it('passes on p95, flags a p50-only pass, fails otherwise', () => {
    expect(judge({ p50: 200, p95: 290 }, target)).toBe('pass');
    expect(judge({ p50: 200, p95: 400 }, target)).toBe('p95-fail');
    expect(judge({ p50: 350, p95: 400 }, target)).toBe('fail');
    expect(judge({ p50: 300 }, target)).toBe('pass');
    expect(judge({ p50: Number.NaN }, target)).toBeUndefined();
  });
});

describe('renderTable', () => {
  it('aligns columns and marks targets', () => {
    const rows = [
      section('STT'),
      figure('real-time factor', { p50: 0.1, p95: 0.25 }, fmt.rtf, { max: 0.2, text: '≤ 0.2' }),
      figure('model load', 3645, fmt.ms),
      note('piper skipped: not installed'),
    ];
    const lines = renderTable(rows).split('\n');
    expect(lines[0]).toMatch(/^figure\s+p50 \/ value\s+p95\s+target\s+ok$/);
    expect(lines[2]).toBe('STT');
    expect(lines[3]).toMatch(/^ {2}real-time factor\s+0\.100\s+0\.250\s+≤ 0\.2\s+✗ \(p50 ✓\)$/);
    expect(lines[4]).toMatch(/^ {2}model load\s+3,645 ms$/);
    expect(lines[5]).toBe('  · piper skipped: not installed');
    // Right-aligned numbers end in the same column.
    expect(lines[3]!.indexOf('0.100') + '0.100'.length).toBe(lines[4]!.indexOf('3,645 ms') + '3,645 ms'.length);
    expect(targetSummary(rows)).toEqual({ met: 0, total: 1 });
  });
});

describe('parseBenchArgs', () => {
  it('defaults to every part and .bench/engines.json', () => {
    expect(parseBenchArgs([])).toEqual({ json: DEFAULT_JSON_PATH, only: new Set(BENCH_PARTS) });
  });

  it('takes --json and --only in both spellings', () => {
    expect(parseBenchArgs(['--json', 'out.json', '--only', 'stt,llm'])).toEqual({ json: 'out.json', only: new Set(['stt', 'llm']) });
    expect(parseBenchArgs(['--only=Embeddings', '--json=x.json'])).toEqual({ json: 'x.json', only: new Set(['embeddings']) });
  });

  it('rejects unknown parts, missing values and stray arguments', () => {
    expect(() => parseBenchArgs(['--only', 'gpu'])).toThrow(/--only takes/);
    expect(() => parseBenchArgs(['--json'])).toThrow(/needs a value/);
    expect(() => parseBenchArgs(['--json', '--only', 'stt'])).toThrow(/needs a value/);
    expect(() => parseBenchArgs(['extra'])).toThrow(/unknown argument/);
  });
});

describe('bench inputs', () => {
  it('fills every embedding batch by wrapping round the set', () => {
    expect(fullBatches(['a', 'b', 'c'], 2, 3)).toEqual([['a', 'b'], ['c', 'a'], ['b', 'c']]);
    expect(fullBatches([], 16, 2)).toEqual([]);
  });

  it('builds the role-play from a seeded scenario: persona prompt with the deal, greeting, five trainee turns', () => {
    const play = benchRolePlay();
    expect(play.instructions).toMatch(/You are Marcus Hill/);
    expect(play.instructions).toMatch(/Base payment \$1,016 a month at 8\.9% for 84 months/);
    expect(play.greeting).toMatch(/^Hi, I'm Marcus Hill\./);
    expect(play.traineeTurns).toHaveLength(5);
    expect(play.traineeTurns[1]).toContain('$63,350 at 8.9% for 84 months');
    expect(() => benchRolePlay('No such scenario')).toThrow(/no seeded role-play/);
  });
});
