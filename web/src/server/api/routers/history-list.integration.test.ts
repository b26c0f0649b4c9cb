import {
  appendSessionTurn,
  createPendingScorecard,
  endPracticeSession,
  listScenariosForDealership,
  saveScorecard,
  schema,
  startPracticeSession,
  type TAuthUser,
  type TScorecardInput,
} from '@avatar-adam/db';
import { createTenantUsers, createTestDb } from '@avatar-adam/db/testing';
import { TRPCError } from '@trpc/server';
import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller, type RouterInputs } from '../root';
import { unreachableLiveKit } from './test-support';
import { createTRPCContext } from '../trpc';

const { practiceSessions } = schema;

const noLiveKit = unreachableLiveKit('history reads');

type TSeeded = {
  key: string;
  id: string;
  /** As stored, with microseconds, so the expected order is Postgres's. */
  createdAt: string;
  traineeId: string;
  mode: 'coach' | 'roleplay';
  status: 'pending' | 'live' | 'ended' | 'failed';
};

let t: Awaited<ReturnType<typeof createTestDb>>;
let lakeside: { tom: TAuthUser; sam: TAuthUser; manager: TAuthUser };
let outsiders: { trainee: TAuthUser; manager: TAuthUser };
let roleplay: { title: string; persona: { name: string } };
let coachPersona: string;
const seeded = new Map<string, TSeeded>();

function scored(overallScore: number | null, tier: string | null, autoFailed: boolean): TScorecardInput {
  return { overallScore, tier, autoFailed, summary: 'Scored for the history test.', items: [], flags: [] };
}

/**
 * One session with a fixed start time: `outcome` is where it got to, `card` what the scorer left.
 * Start times are set by hand so the order (including a shared millisecond and an exact tie) is known.
 */
async function seedSession(spec: {
  key: string;
  trainee: TAuthUser;
  scenario: { id: string; mode: 'coach' | 'roleplay' };
  createdAt: string;
  outcome: 'pending' | 'live' | 'ended' | 'failed';
  turns: number;
  card?: TScorecardInput | 'pending';
}) {
  const dealershipId = spec.trainee.dealershipId!;
  const session = await startPracticeSession({
    db: t.db,
    dealershipId,
    traineeId: spec.trainee.id,
    scenarioId: spec.scenario.id,
    channel: 'web',
  });
  await t.db
    .update(practiceSessions)
    .set({ createdAt: sql`${spec.createdAt}::timestamptz` })
    .where(eq(practiceSessions.id, session.id));
  const scope = { db: t.db, sessionId: session.id, dealershipId };
  for (let sequence = 1; sequence <= spec.turns; sequence++) {
    await appendSessionTurn({
      ...scope,
      sequence,
      speaker: sequence % 2 ? 'agent' : 'trainee',
      text: `Turn ${sequence}`,
      startedAt: new Date(Date.UTC(2025, 0, 1, 9, 0, sequence)),
    });
  }
  if (spec.outcome === 'live') await t.db.update(practiceSessions).set({ status: 'live' }).where(eq(practiceSessions.id, session.id));
  if (spec.outcome === 'ended') await endPracticeSession({ db: t.db, sessionId: session.id, reason: 'trainee_left' });
  if (spec.outcome === 'failed') await endPracticeSession({ db: t.db, sessionId: session.id, reason: 'agent_lost', status: 'failed' });
  if (spec.card === 'pending') await createPendingScorecard(scope);
  else if (spec.card) await saveScorecard({ ...scope, result: spec.card });
  seeded.set(spec.key, {
    key: spec.key,
    id: session.id,
    createdAt: spec.createdAt,
    traineeId: spec.trainee.id,
    mode: spec.scenario.mode,
    status: spec.outcome,
  });
}

beforeAll(async () => {
  t = await createTestDb();
  const tenant = await createTenantUsers(t);
  lakeside = { tom: tenant.lakeside.trainee, manager: tenant.lakeside.manager, sam: tenant.lakeside.secondTrainee };
  outsiders = tenant.outsiders;
  const dealershipId = tenant.other.dealershipId;

  const scenarios = await listScenariosForDealership({ db: t.db, dealershipId: t.seeded.dealershipId });
  const coach = scenarios.find((s) => s.mode === 'coach')!;
  const [roleplayA, roleplayB] = scenarios.filter((s) => s.mode === 'roleplay');
  const { tom, sam } = lakeside;
  roleplay = roleplayA!;
  coachPersona = coach.persona.name;
  await seedSession({ key: 'T1', trainee: tom, scenario: roleplayA!, createdAt: '2025-03-03T15:00:00.000500Z', outcome: 'ended', turns: 4, card: scored(42, 'needs_work', true) });
  await seedSession({ key: 'S1', trainee: sam, scenario: roleplayB!, createdAt: '2025-03-03T09:00:00.000000Z', outcome: 'ended', turns: 6, card: scored(88, 'proficient', false) });
  // T2 and T3 share a millisecond: a cursor holding a JS Date would lose T3 between pages.
  await seedSession({ key: 'T2', trainee: tom, scenario: coach, createdAt: '2025-03-02T10:00:00.123456Z', outcome: 'ended', turns: 2, card: scored(null, null, false) });
  await seedSession({ key: 'T3', trainee: tom, scenario: roleplayA!, createdAt: '2025-03-02T10:00:00.123400Z', outcome: 'failed', turns: 1 });
  await seedSession({ key: 'S2', trainee: sam, scenario: coach, createdAt: '2025-02-25T12:00:00.000000Z', outcome: 'failed', turns: 0 });
  // T4 and T5 started at the very same instant: only the id orders them.
  await seedSession({ key: 'T4', trainee: tom, scenario: roleplayB!, createdAt: '2025-02-20T08:00:00.000000Z', outcome: 'ended', turns: 0, card: 'pending' });
  await seedSession({ key: 'T5', trainee: tom, scenario: roleplayA!, createdAt: '2025-02-20T08:00:00.000000Z', outcome: 'live', turns: 3 });

  const otherScenarios = await listScenariosForDealership({ db: t.db, dealershipId });
  const otherRoleplay = otherScenarios.find((s) => s.mode === 'roleplay')!;
  await seedSession({ key: 'O1', trainee: outsiders.trainee, scenario: otherRoleplay, createdAt: '2025-03-03T12:00:00.000000Z', outcome: 'ended', turns: 2 });
});
afterAll(() => t.close());

function callerAs(user: TAuthUser) {
  const session = { user, expires: new Date(Date.now() + 3_600_000).toISOString() };
  return createCaller(createTRPCContext({ db: t.db, session, livekit: noLiveKit, logger: pino({ level: 'silent' }) }));
}

async function codeOf(call: Promise<unknown>): Promise<string> {
  const error = await call.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCError);
  return (error as TRPCError).code;
}

type TFilters = NonNullable<RouterInputs['history']['list']['filters']>;

/** The keys of the sessions `user` gets on the first page (large enough to hold everything). */
async function keysSeenBy(user: TAuthUser, filters: TFilters = {}): Promise<string[]> {
  const page = await callerAs(user).history.list({ filters, limit: 100 });
  expect(page.nextCursor).toBeNull();
  return page.items.map((row) => keyOf(row.id));
}

function keyOf(sessionId: string): string {
  return [...seeded.values()].find((s) => s.id === sessionId)?.key ?? `unknown:${sessionId}`;
}

/** Code-point order, as Postgres compares these timestamps (same format) and uuids (hex digits). */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Newest first, ties broken by id descending: the order the list promises. */
function expectedKeys(keep: (s: TSeeded) => boolean): string[] {
  return [...seeded.values()]
    .filter(keep)
    .sort((a, b) => compare(b.createdAt, a.createdAt) || compare(b.id, a.id))
    .map((s) => s.key);
}

const isLakeside = (s: TSeeded) => s.key !== 'O1';

describe('history.list scoping', () => {
  it('gives a trainee only their own sessions, newest first', async () => {
    expect(await keysSeenBy(lakeside.tom)).toEqual(expectedKeys((s) => s.traineeId === lakeside.tom.id));
    expect(await keysSeenBy(lakeside.sam)).toEqual(['S1', 'S2']);
  });

  it('gives a trainee who filters by a colleague an empty page, not the colleague’s sessions', async () => {
    expect(await keysSeenBy(lakeside.tom, { traineeId: lakeside.sam.id })).toEqual([]);
    expect(await keysSeenBy(lakeside.sam, { traineeId: lakeside.tom.id })).toEqual([]);
    expect(await keysSeenBy(lakeside.tom, { traineeId: lakeside.tom.id })).toEqual(expectedKeys((s) => s.traineeId === lakeside.tom.id));
  });

  it('gives a manager every session of both trainees with what the list shows', async () => {
    const page = await callerAs(lakeside.manager).history.list({});
    expect(page.items.map((row) => keyOf(row.id))).toEqual(expectedKeys(isLakeside));

    const byKey = new Map(page.items.map((row) => [keyOf(row.id), row]));
    expect(byKey.get('T1')).toMatchObject({
      status: 'ended',
      endReason: 'trainee_left',
      mode: 'roleplay',
      channel: 'web',
      scenarioTitle: roleplay.title,
      personaName: roleplay.persona.name,
      traineeId: lakeside.tom.id,
      traineeName: 'Tom Becker',
      turnCount: 4,
      overallScore: 42,
      tier: 'needs_work',
      autoFailed: true,
      scorecardStatus: 'complete',
    });
    expect(byKey.get('T1')!.endedAt).toBeInstanceOf(Date);
    expect(byKey.get('T1')!.createdAt.toISOString()).toBe('2025-03-03T15:00:00.000Z');
    expect(byKey.get('S1')).toMatchObject({ traineeName: 'Sam Second', turnCount: 6, overallScore: 88, tier: 'proficient', autoFailed: false });
    expect(byKey.get('T2')).toMatchObject({ mode: 'coach', personaName: coachPersona, overallScore: null, scorecardStatus: 'complete' });
    expect(byKey.get('T3')).toMatchObject({ status: 'failed', endReason: 'agent_lost', turnCount: 1, scorecardStatus: null, autoFailed: false });
    expect(byKey.get('T4')).toMatchObject({ status: 'ended', turnCount: 0, scorecardStatus: 'pending', overallScore: null });
    expect(byKey.get('T5')).toMatchObject({ status: 'live', endedAt: null, turnCount: 3, scorecardStatus: null });
  });

  it('never shows Lakeside sessions to another dealership’s manager or trainee', async () => {
    expect(await keysSeenBy(outsiders.manager)).toEqual(['O1']);
    expect(await keysSeenBy(outsiders.trainee)).toEqual(['O1']);
    expect(await keysSeenBy(outsiders.manager, { traineeId: lakeside.tom.id })).toEqual([]);
    expect(await keysSeenBy(outsiders.manager, { status: 'failed' })).toEqual([]);
    expect(await keysSeenBy(lakeside.manager, { traineeId: outsiders.trainee.id })).toEqual([]);
  });
});

describe('history.list filters for a manager', () => {
  it('narrows to one trainee', async () => {
    expect(await keysSeenBy(lakeside.manager, { traineeId: lakeside.sam.id })).toEqual(['S1', 'S2']);
    expect(await keysSeenBy(lakeside.manager, { traineeId: lakeside.tom.id })).toEqual(expectedKeys((s) => s.traineeId === lakeside.tom.id));
  });

  it('narrows by mode and by status, and combines filters', async () => {
    expect(await keysSeenBy(lakeside.manager, { mode: 'coach' })).toEqual(['T2', 'S2']);
    expect(await keysSeenBy(lakeside.manager, { status: 'failed' })).toEqual(['T3', 'S2']);
    expect(await keysSeenBy(lakeside.manager, { status: 'live' })).toEqual(['T5']);
    expect(await keysSeenBy(lakeside.manager, { traineeId: lakeside.sam.id, mode: 'coach' })).toEqual(['S2']);
    expect(await keysSeenBy(lakeside.tom, { mode: 'roleplay', status: 'ended' })).toEqual(expectedKeys((s) => s.traineeId === lakeside.tom.id && s.mode === 'roleplay' && s.status === 'ended'));
  });

  it('narrows by date range, the start included and the end excluded', async () => {
    const range = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) });
    expect(await keysSeenBy(lakeside.manager, range('2025-03-02T00:00:00Z', '2025-03-03T00:00:00Z'))).toEqual(['T2', 'T3']);
    expect(await keysSeenBy(lakeside.manager, range('2025-02-20T08:00:00Z', '2025-02-25T12:00:00Z'))).toEqual(expectedKeys((s) => s.key === 'T4' || s.key === 'T5'));
    expect(await keysSeenBy(lakeside.manager, { from: new Date('2025-03-03T00:00:00Z') })).toEqual(['T1', 'S1']);
    expect(await keysSeenBy(lakeside.manager, { to: new Date('2025-02-21T00:00:00Z') })).toEqual(expectedKeys((s) => s.key === 'T4' || s.key === 'T5'));
  });

  it('rejects a range that ends before it starts', async () => {
    const filters = { from: new Date('2025-03-03T00:00:00Z'), to: new Date('2025-03-01T00:00:00Z') };
    expect(await codeOf(callerAs(lakeside.manager).history.list({ filters }))).toBe('BAD_REQUEST');
  });
});

describe('history.list pagination', () => {
  /** Follows nextCursor to the end, returning the keys page by page. */
  async function allPages(user: TAuthUser, limit: number, filters: TFilters = {}): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<ReturnType<typeof callerAs>['history']['list']>> = await callerAs(user).history.list({ filters, cursor, limit });
      pages.push(page.items.map((row) => keyOf(row.id)));
      cursor = page.nextCursor;
    } while (cursor && pages.length < 20);
    return pages;
  }

  it('returns every row exactly once, in order, across pages of two', async () => {
    const managerPages = await allPages(lakeside.manager, 2);
    expect(managerPages.map((p) => p.length)).toEqual([2, 2, 2, 1]);
    expect(managerPages.flat()).toEqual(expectedKeys(isLakeside));

    // Tom's pages end on T2 (T3 shares its millisecond) and between T4 and T5 (the same instant).
    const tomPages = await allPages(lakeside.tom, 2);
    expect(tomPages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(tomPages.flat()).toEqual(expectedKeys((s) => s.traineeId === lakeside.tom.id));
  });

  it('pages through a filtered list and ends without an empty last page', async () => {
    const pages = await allPages(lakeside.manager, 2, { traineeId: lakeside.sam.id });
    expect(pages).toEqual([['S1', 'S2']]);
    const three = await allPages(lakeside.manager, 3);
    expect(three.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(three.flat()).toEqual(expectedKeys(isLakeside));
  });

  it('answers BAD_REQUEST for a malformed cursor, never a server error', async () => {
    const caller = callerAs(lakeside.manager);
    const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
    const uuid = crypto.randomUUID();
    const cursors = [
      'not-a-cursor',
      encode('garbage'),
      encode(`2025-02-30T10:00:00.000000Z|${uuid}`),
      encode(`2025-03-02T10:00:00.123456Z|not-a-uuid`),
      encode(`2025-03-02T10:00:00Z|${uuid}`),
      encode(`2025-03-02T10:00:00.123456Z|${uuid}|extra`),
      "'); drop table practice_sessions; --",
      'x'.repeat(500),
    ];
    for (const cursor of cursors) {
      expect(await codeOf(caller.history.list({ cursor, limit: 2 })), cursor).toBe('BAD_REQUEST');
    }
    expect(await codeOf(caller.history.list({ limit: 0 }))).toBe('BAD_REQUEST');
    expect(await codeOf(caller.history.list({ limit: 101 }))).toBe('BAD_REQUEST');
    expect(await keysSeenBy(lakeside.manager)).toEqual(expectedKeys(isLakeside));
  });
});

describe('history.trainees', () => {
  it('refuses a trainee', async () => {
    expect(await codeOf(callerAs(lakeside.tom).history.trainees())).toBe('FORBIDDEN');
  });

  it('lists the people of the manager’s own dealership only', async () => {
    const lakesidePeople = await callerAs(lakeside.manager).history.trainees();
    expect(lakesidePeople.map((p) => p.name)).toEqual(['Maria Delgado', 'Sam Second', 'Tom Becker']);
    const otherPeople = await callerAs(outsiders.manager).history.trainees();
    expect(otherPeople.map((p) => p.id).sort()).toEqual([outsiders.manager.id, outsiders.trainee.id].sort());
  });
});
