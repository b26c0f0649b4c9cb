import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getComplianceFlagsPerWeek, getSessionsPerWeek, getStepScoresPerWeek } from './analytics';
import { exportAnalyticsCsv } from './analytics-export';
import { getAnalyticsSummary, getFirstToBest, getLatencyPerWeek } from './analytics-progress';
import { seedAnalyticsFixture } from './analytics-testing';
import { createTenantUsers, createTestDb } from './testing';

let t: Awaited<ReturnType<typeof createTestDb>>;
let tenant: Awaited<ReturnType<typeof createTenantUsers>>;
let fixture: Awaited<ReturnType<typeof seedAnalyticsFixture>>;

beforeAll(async () => {
  t = await createTestDb();
  tenant = await createTenantUsers(t);
  fixture = await seedAnalyticsFixture(t.db, {
    dealershipId: t.seeded.dealershipId,
    tomId: tenant.lakeside.trainee.id,
    samId: tenant.lakeside.secondTrainee.id,
    otherDealershipId: tenant.other.dealershipId,
    otherTraineeId: tenant.other.traineeId,
  });
});
afterAll(() => t.close());

const lakeside = (extra: { traineeId?: string } = {}) => ({ db: t.db, dealershipId: t.seeded.dealershipId, ...fixture.range, ...extra });

describe('weekly series (weeks start on Monday in the dealership’s time zone)', () => {
  it('counts sessions per trainee and week, a Sunday-evening session in its local week', async () => {
    const tom = tenant.lakeside.trainee.id;
    const sam = tenant.lakeside.secondTrainee.id;
    expect(await getSessionsPerWeek(lakeside())).toEqual([
      { week: '2025-02-03', traineeId: sam, traineeName: 'Sam Second', sessions: 1, completed: 1 },
      { week: '2025-02-03', traineeId: tom, traineeName: 'Tom Becker', sessions: 2, completed: 2 },
      { week: '2025-02-10', traineeId: sam, traineeName: 'Sam Second', sessions: 1, completed: 1 },
      { week: '2025-02-10', traineeId: tom, traineeName: 'Tom Becker', sessions: 1, completed: 1 },
      { week: '2025-02-17', traineeId: sam, traineeName: 'Sam Second', sessions: 1, completed: 1 },
      { week: '2025-02-17', traineeId: tom, traineeName: 'Tom Becker', sessions: 2, completed: 1 },
    ]);
  });

  it('averages each F&I step per week on a 0–10 scale, from complete scorecards only', async () => {
    expect(await getStepScoresPerWeek(lakeside())).toEqual([
      { week: '2025-02-03', step: 'greeting', averageScore: 6, scoredSessions: 2 },
      // 6/10 and 3/5 are both 6 on the 0–10 scale.
      { week: '2025-02-03', step: 'menu_presentation', averageScore: 6, scoredSessions: 2 },
      { week: '2025-02-10', step: 'greeting', averageScore: 4, scoredSessions: 2 },
      { week: '2025-02-17', step: 'greeting', averageScore: 10, scoredSessions: 1 },
    ]);
  });

  it('counts compliance flags per week by rule and severity, auto-fails first', async () => {
    expect(await getComplianceFlagsPerWeek(lakeside())).toEqual([
      { week: '2025-02-03', rule: 'payment_without_apr_term', severity: 'auto_fail', flags: 1, sessions: 1 },
      { week: '2025-02-10', rule: 'product_required', severity: 'auto_fail', flags: 1, sessions: 1 },
      { week: '2025-02-10', rule: 'payment_packing', severity: 'warning', flags: 2, sessions: 1 },
    ]);
  });

  it('gives voice-to-voice p50/p95 per week, skipping replies without a measurement', async () => {
    expect(await getLatencyPerWeek(lakeside())).toEqual([
      { week: '2025-02-03', replies: 3, voiceToVoiceP50: 2000, voiceToVoiceP95: 2900 },
      { week: '2025-02-10', replies: 2, voiceToVoiceP50: 1350, voiceToVoiceP95: 1485 },
      { week: '2025-02-17', replies: 2, voiceToVoiceP50: 850, voiceToVoiceP95: 895 },
    ]);
  });
});

describe('first-to-best and the summary', () => {
  it('compares the first scored try with the best per trainee and scenario, biggest gain first', async () => {
    const rows = await getFirstToBest(lakeside());
    expect(rows.map(({ firstAt: _f, lastAt: _l, traineeId: _t, scenarioId: _s, ...r }) => r)).toEqual([
      { traineeName: 'Sam Second', scenarioTitle: fixture.scenarioB.title, attempts: 2, firstScore: 40, bestScore: 90, improvement: 50 },
      { traineeName: 'Tom Becker', scenarioTitle: fixture.scenarioA.title, attempts: 3, firstScore: 50, bestScore: 70, improvement: 20 },
    ]);
    expect(rows[1]!.firstAt.toISOString()).toBe('2025-02-04T15:00:00.000Z');
    expect(rows[1]!.lastAt.toISOString()).toBe('2025-02-12T15:00:00.000Z');
  });

  it('sums up the range, and narrows to one trainee', async () => {
    expect(await getAnalyticsSummary(lakeside())).toEqual({
      sessions: 8,
      completedSessions: 7,
      activeTrainees: 2,
      scoredSessions: 5,
      averageScore: 63,
      autoFailedSessions: 2,
      voiceToVoiceP50: 1200,
    });
    expect(await getAnalyticsSummary(lakeside({ traineeId: tenant.lakeside.trainee.id }))).toEqual({
      sessions: 5,
      completedSessions: 4,
      activeTrainees: 1,
      scoredSessions: 3,
      averageScore: 61.7,
      autoFailedSessions: 1,
      voiceToVoiceP50: 1500,
    });
  });

  it('returns nothing for another dealership’s trainee, and zeros for an empty range', async () => {
    const outsider = lakeside({ traineeId: tenant.outsiders.trainee.id });
    expect(await getSessionsPerWeek(outsider)).toEqual([]);
    expect(await getFirstToBest(outsider)).toEqual([]);
    // The other dealership asking about Tom sees nothing of Lakeside either.
    const theirs = { ...lakeside({ traineeId: tenant.lakeside.trainee.id }), dealershipId: tenant.other.dealershipId };
    expect(await getLatencyPerWeek(theirs)).toEqual([]);
    expect(await getAnalyticsSummary({ ...lakeside(), from: '2024-01-01', to: '2024-01-31' })).toEqual({
      sessions: 0,
      completedSessions: 0,
      activeTrainees: 0,
      scoredSessions: 0,
      averageScore: null,
      autoFailedSessions: 0,
      voiceToVoiceP50: null,
    });
  });

  it('refuses malformed, impossible, reversed and over-long ranges before querying', async () => {
    for (const range of [
      { from: '2025-2-3', to: '2025-02-23' },
      { from: '2025-02-30', to: '2025-03-02' },
      { from: '2025-02-23', to: '2025-02-03' },
      { from: '2020-01-01', to: '2025-01-01' },
    ]) {
      await expect(getSessionsPerWeek({ ...lakeside(), ...range })).rejects.toMatchObject({ name: 'AppError', code: 'BAD_REQUEST' });
    }
  });
});

describe('exportAnalyticsCsv', () => {
  it('writes the series with a header row, CRLF line ends and a dated file name', async () => {
    const { filename, csv } = await exportAnalyticsCsv({ ...lakeside(), series: 'latency' });
    expect(filename).toBe('analytics-latency-2025-02-03-to-2025-02-23.csv');
    expect(csv).toBe(
      '\uFEFFWeek starting,Replies measured,Voice-to-voice p50 (ms),Voice-to-voice p95 (ms)\r\n' +
        '2025-02-03,3,2000,2900\r\n2025-02-10,2,1350,1485\r\n2025-02-17,2,850,895\r\n',
    );
    const firstToBest = await exportAnalyticsCsv({ ...lakeside(), series: 'first-to-best' });
    expect(firstToBest.csv.split('\r\n')[2]).toContain('Tom Becker');
    expect(firstToBest.csv.split('\r\n')[2]).toContain(',3,50,70,20,2025-02-04T15:00:00.000Z,2025-02-12T15:00:00.000Z');
  });
});
