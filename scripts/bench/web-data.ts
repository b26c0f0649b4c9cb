// Synthetic practice history for bench:web: a dealership after a busy quarter, so the analytics
// and history reads aggregate realistic volumes instead of an empty seed. Deterministic (seeded PRNG).
import { randomUUID } from 'node:crypto';
import { type Db, hashPassword, listScenariosForDealership, schema } from '@avatar-adam/db';

const { complianceFlags, practiceSessions, scoreItems, scorecards, sessionTurns, turnMetrics, users } = schema;

export type TSyntheticVolume = { trainees: number; weeks: number; sessionsPerTraineeWeek: number };
export const DEFAULT_VOLUME: TSyntheticVolume = { trainees: 20, weeks: 12, sessionsPerTraineeWeek: 8 };

const STEPS = ['greeting', 'base_statement', 'interview', 'needs_awareness', 'menu_presentation', 'objection_handling', 're_close', 'documents'] as const;
const RULES = [['payment_without_apr_term', 'auto_fail'], ['product_required', 'auto_fail'], ['payment_packing', 'warning']] as const;
const TURNS_PER_SESSION = 6;
const DAY_MS = 24 * 60 * 60 * 1000;

/** mulberry32: tiny, seeded, good enough to spread synthetic numbers. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>, size = 500) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** Adds trainees and `weeks` of sessions ending now to the dealership; returns how many of each. */
export async function addSyntheticHistory(db: Db, opts: { dealershipId: string; now: Date; volume?: TSyntheticVolume }) {
  const volume = opts.volume ?? DEFAULT_VOLUME;
  const random = prng(42);
  const passwordHash = await hashPassword(randomUUID());
  const trainees = await db
    .insert(users)
    .values(Array.from({ length: volume.trainees }, (_, i) => ({
      dealershipId: opts.dealershipId,
      email: `bench.trainee.${i + 1}@lakeside.example`,
      name: `Bench Trainee ${String(i + 1).padStart(2, '0')}`,
      role: 'trainee' as const,
      passwordHash,
    })))
    .returning({ id: users.id });
  const scenarios = await listScenariosForDealership({ db, dealershipId: opts.dealershipId });

  const sessions: (typeof practiceSessions.$inferInsert)[] = [];
  const start = opts.now.getTime() - volume.weeks * 7 * DAY_MS;
  for (const trainee of trainees) {
    for (let n = 0; n < volume.weeks * volume.sessionsPerTraineeWeek; n++) {
      const scenario = scenarios[Math.floor(random() * scenarios.length)]!;
      const createdAt = new Date(start + random() * (opts.now.getTime() - start));
      const failed = random() < 0.05;
      sessions.push({
        id: randomUUID(),
        dealershipId: opts.dealershipId,
        traineeId: trainee.id,
        scenarioId: scenario.id,
        roomName: `practice-${randomUUID()}`,
        mode: scenario.mode,
        status: failed ? 'failed' : 'ended',
        createdAt,
        endedAt: new Date(createdAt.getTime() + 8 * 60_000),
      });
    }
  }
  await insertChunked(sessions, (chunk) => db.insert(practiceSessions).values(chunk));

  const turns: (typeof sessionTurns.$inferInsert)[] = [];
  const metrics: (typeof turnMetrics.$inferInsert)[] = [];
  const cards: (typeof scorecards.$inferInsert)[] = [];
  const items: (typeof scoreItems.$inferInsert)[] = [];
  const flags: (typeof complianceFlags.$inferInsert)[] = [];
  for (const s of sessions) {
    const scope = { sessionId: s.id!, dealershipId: opts.dealershipId };
    for (let k = 1; k <= TURNS_PER_SESSION; k++) {
      turns.push({ ...scope, sequence: k, speaker: k % 2 ? 'agent' : 'trainee', text: `Synthetic turn ${k}.`, startedAt: new Date(s.createdAt!.getTime() + k * 15_000) });
      if (k % 2) metrics.push({ ...scope, voiceToVoiceMs: 900 + random() * 900 + (random() < 0.05 ? 1500 : 0), llmTtftMs: 200 + random() * 300 });
    }
    if (s.status !== 'ended') continue;
    const scorecardId = randomUUID();
    const roleplay = s.mode === 'roleplay';
    const steps = STEPS.map((step) => ({ step, score: Math.round(3 + random() * 7) }));
    const autoFail = roleplay && random() < 0.12;
    cards.push({ ...scope, id: scorecardId, status: 'complete', overallScore: roleplay ? Math.round((steps.reduce((a, b) => a + b.score, 0) / 80) * 100) : null, autoFailed: autoFail, tier: roleplay ? 'developing' : null });
    if (!roleplay) continue;
    for (const { step, score } of steps) items.push({ scorecardId, step, score, maxScore: 10 });
    for (const [rule, severity] of RULES) {
      if ((severity === 'auto_fail' && autoFail && random() < 0.6) || (severity === 'warning' && random() < 0.1)) {
        flags.push({ scorecardId, rule, severity, evidenceQuote: 'Synthetic quote.', detectedBy: 'rule' });
      }
    }
  }
  await insertChunked(turns, (chunk) => db.insert(sessionTurns).values(chunk));
  await insertChunked(metrics, (chunk) => db.insert(turnMetrics).values(chunk));
  await insertChunked(cards, (chunk) => db.insert(scorecards).values(chunk));
  await insertChunked(items, (chunk) => db.insert(scoreItems).values(chunk));
  await insertChunked(flags, (chunk) => db.insert(complianceFlags).values(chunk));
  return { trainees: trainees.length, sessions: sessions.length, turns: turns.length, scorecards: cards.length, flags: flags.length };
}
