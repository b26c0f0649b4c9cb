import { randomUUID } from 'node:crypto';
import type { Db } from './client';
import { listScenariosForDealership } from './scenarios';
import { complianceFlags, practiceSessions, scoreItems, scorecards, turnMetrics } from './schema';
import type { TFiStep } from './scorecards';

/*
 * For tests only: sessions with known scorecards and latencies, so analytics can be checked
 * number by number. Lakeside's time zone is America/Chicago (UTC−6 in February), which is why
 * some start times sit near midnight: T2 is Sunday evening locally but Monday in UTC.
 */

type TCard = {
  overall: number | null;
  autoFailed?: boolean;
  status?: 'pending' | 'complete';
  items?: Array<[TFiStep, number, number]>;
  flags?: Array<[string, 'warning' | 'auto_fail']>;
};

type TSpec = {
  dealershipId: string;
  traineeId: string;
  scenarioId: string;
  at: string;
  status: 'ended' | 'failed';
  mode?: 'coach' | 'roleplay';
  card?: TCard;
  voiceToVoice?: Array<number | null>;
};

/** One session as the agent and scorer would have left it, inserted directly. */
export async function insertAnalyticsSession(db: Db, spec: TSpec): Promise<string> {
  const at = new Date(spec.at);
  const [session] = await db
    .insert(practiceSessions)
    .values({
      dealershipId: spec.dealershipId,
      traineeId: spec.traineeId,
      scenarioId: spec.scenarioId,
      roomName: `practice-${randomUUID()}`,
      mode: spec.mode ?? 'roleplay',
      status: spec.status,
      createdAt: at,
      endedAt: new Date(at.getTime() + 10 * 60_000),
    })
    .returning({ id: practiceSessions.id });
  const sessionId = session!.id;
  const scope = { sessionId, dealershipId: spec.dealershipId };
  if (spec.card) {
    const { card } = spec;
    const [row] = await db
      .insert(scorecards)
      .values({ ...scope, status: card.status ?? 'complete', overallScore: card.overall, autoFailed: card.autoFailed ?? false })
      .returning({ id: scorecards.id });
    const scorecardId = row!.id;
    if (card.items?.length) {
      await db.insert(scoreItems).values(card.items.map(([step, score, maxScore]) => ({ scorecardId, step, score, maxScore })));
    }
    if (card.flags?.length) {
      await db.insert(complianceFlags).values(
        card.flags.map(([rule, severity]) => ({ scorecardId, rule, severity, evidenceQuote: 'quoted for the test', detectedBy: 'rule' })),
      );
    }
  }
  for (const v of spec.voiceToVoice ?? []) await db.insert(turnMetrics).values({ ...scope, voiceToVoiceMs: v });
  return sessionId;
}

/**
 * Lakeside: Tom (3 scored tries at scenario A, one failed and one still being scored at B), Sam
 * (a coach session and two scored tries at B), plus sessions just outside 2025-02-03..2025-02-23
 * and one of another dealership, which must never be counted.
 */
export async function seedAnalyticsFixture(
  db: Db,
  people: { dealershipId: string; tomId: string; samId: string; otherDealershipId: string; otherTraineeId: string },
) {
  const scenarios = await listScenariosForDealership({ db, dealershipId: people.dealershipId });
  const [a, b] = scenarios.filter((s) => s.mode === 'roleplay');
  const coach = scenarios.find((s) => s.mode === 'coach')!;
  const ours = { dealershipId: people.dealershipId };
  const tom = { ...ours, traineeId: people.tomId };
  const sam = { ...ours, traineeId: people.samId };
  const add = (spec: TSpec) => insertAnalyticsSession(db, spec);

  await add({ ...tom, scenarioId: a!.id, at: '2025-02-04T15:00:00Z', status: 'ended', voiceToVoice: [1000, 2000],
    card: { overall: 50, autoFailed: true, items: [['greeting', 4, 10], ['menu_presentation', 6, 10]], flags: [['payment_without_apr_term', 'auto_fail']] } });
  await add({ ...tom, scenarioId: a!.id, at: '2025-02-10T03:00:00Z', status: 'ended', voiceToVoice: [3000],
    card: { overall: 70, items: [['greeting', 8, 10], ['menu_presentation', 3, 5]] } });
  await add({ ...tom, scenarioId: a!.id, at: '2025-02-12T15:00:00Z', status: 'ended', voiceToVoice: [1500],
    card: { overall: 65, items: [['greeting', 6, 10]], flags: [['payment_packing', 'warning'], ['payment_packing', 'warning']] } });
  await add({ ...tom, scenarioId: b!.id, at: '2025-02-18T15:00:00Z', status: 'failed', voiceToVoice: [800] });
  await add({ ...tom, scenarioId: b!.id, at: '2025-02-19T15:00:00Z', status: 'ended', card: { overall: null, status: 'pending' } });
  await add({ ...sam, scenarioId: coach.id, mode: 'coach', at: '2025-02-05T15:00:00Z', status: 'ended', card: { overall: null } });
  await add({ ...sam, scenarioId: b!.id, at: '2025-02-11T15:00:00Z', status: 'ended', voiceToVoice: [null, 1200],
    card: { overall: 40, autoFailed: true, items: [['greeting', 2, 10]], flags: [['product_required', 'auto_fail']] } });
  // Sunday 21:00 in Chicago on the range's last day: inside, and in the week of 2025-02-17.
  await add({ ...sam, scenarioId: b!.id, at: '2025-02-24T03:00:00Z', status: 'ended', voiceToVoice: [900],
    card: { overall: 90, items: [['greeting', 10, 10]] } });

  // Outside the range by an hour either side (local time), and another tenant's session.
  await add({ ...sam, scenarioId: b!.id, at: '2025-02-24T07:00:00Z', status: 'ended', voiceToVoice: [99_000],
    card: { overall: 100, items: [['greeting', 10, 10]], flags: [['approval_tied', 'auto_fail']] } });
  await add({ ...tom, scenarioId: a!.id, at: '2025-02-03T05:00:00Z', status: 'ended', card: { overall: 5, items: [['greeting', 0, 10]] } });
  const theirs = (await listScenariosForDealership({ db, dealershipId: people.otherDealershipId })).find((s) => s.mode === 'roleplay')!;
  await add({ dealershipId: people.otherDealershipId, traineeId: people.otherTraineeId, scenarioId: theirs.id, at: '2025-02-12T15:00:00Z',
    status: 'ended', voiceToVoice: [50_000], card: { overall: 99, items: [['greeting', 9, 10]], flags: [['approval_tied', 'auto_fail']] } });

  return { scenarioA: a!, scenarioB: b!, range: { from: '2025-02-03', to: '2025-02-23' } };
}
