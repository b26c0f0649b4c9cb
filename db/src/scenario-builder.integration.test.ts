import { and, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeAmountFinanced, computeMonthlyPayment } from './domain/finance';
import { archiveScenario, createScenario, restoreScenario, updateScenario } from './scenario-builder';
import type { TScenarioInput } from './scenario-builder-input';
import { getScenarioForEditing, listScenariosForBuilder, listScenariosForDealership, type TScenarioScope } from './scenarios';
import { auditLog, practiceSessions, scenarios } from './schema';
import { startPracticeSession } from './sessions';
import { createOtherDealership, createTestDb } from './testing';

let t: Awaited<ReturnType<typeof createTestDb>>;
let other: Awaited<ReturnType<typeof createOtherDealership>>;
let lakeside: TScenarioScope;
let manager: string;
const platform: TScenarioScope = { kind: 'platform' };

beforeAll(async () => {
  t = await createTestDb();
  other = await createOtherDealership(t.db);
  lakeside = { kind: 'dealership', dealershipId: t.seeded.dealershipId };
  manager = t.seeded.userIds.dealership_admin!;
});
afterAll(() => t.close());

/** A consistent role-play, as the builder form would send it. */
function roleplayInput(overrides: Partial<TScenarioInput> = {}): TScenarioInput {
  const deal = { price: 30000, taxesAndFees: 2000, downPayment: 3000, tradeAllowance: 5000, tradePayoff: 8000 };
  const amountFinanced = computeAmountFinanced(deal);
  return {
    title: 'Upside-down trade, tight budget',
    summary: 'Owes more on the trade than it is worth.',
    mode: 'roleplay',
    persona: { name: 'Casey Long', voice: 'rms', personality: 'Guarded and tired.', background: 'Two jobs.' },
    dealJacket: {
      vehicle: { year: 2026, make: 'Kia', model: 'Telluride', condition: 'new' },
      ...deal,
      amountFinanced,
      apr: 7.9,
      termMonths: 72,
      payment: computeMonthlyPayment(amountFinanced, 7.9, 72),
      creditTier: 'prime',
      menu: [{ kind: 'gap', name: 'GAP', price: 895 }],
    },
    objections: ['I cannot afford another dollar a month.'],
    difficulty: 'hard',
    patience: { minEndpointingDelayMs: 900, maxEndpointingDelayMs: 8000 },
    ...overrides,
  };
}

const counts = async () => ({ scenarios: await t.db.$count(scenarios), audit: await t.db.$count(auditLog) });

describe('createScenario', () => {
  it("stores a manager's scenario in their dealership, audited, and it appears in their practice list only", async () => {
    const row = await createScenario({ db: t.db, scope: lakeside, actorId: manager, input: roleplayInput() });
    expect(row).toMatchObject({ dealershipId: t.seeded.dealershipId, createdById: manager, isActive: true, difficulty: 'hard' });
    const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.targetId, row.id));
    expect(entry).toMatchObject({ action: 'scenario.create', actorId: manager, dealershipId: t.seeded.dealershipId });
    const mine = await listScenariosForDealership({ db: t.db, dealershipId: t.seeded.dealershipId });
    const theirs = await listScenariosForDealership({ db: t.db, dealershipId: other.dealershipId });
    expect(mine.map((s) => s.id)).toContain(row.id);
    expect(theirs.map((s) => s.id)).not.toContain(row.id);
  });

  it('refuses inconsistent or incomplete input with a field message, and changes nothing', async () => {
    const before = await counts();
    const good = roleplayInput();
    const badPayment = roleplayInput({ dealJacket: { ...good.dealJacket!, payment: good.dealJacket!.payment + 40 } });
    await expect(createScenario({ db: t.db, scope: lakeside, actorId: manager, input: badPayment })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      userMessage: expect.stringMatching(/^Deal jacket › payment: payment should be/),
    });
    await expect(
      createScenario({ db: t.db, scope: lakeside, actorId: manager, input: roleplayInput({ dealJacket: null }) }),
    ).rejects.toMatchObject({ userMessage: expect.stringContaining('A role-play needs a deal jacket.') });
    await expect(
      createScenario({ db: t.db, scope: lakeside, actorId: manager, input: { ...roleplayInput(), dealershipId: other.dealershipId } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      createScenario({ db: t.db, scope: lakeside, actorId: manager, input: roleplayInput({ title: ' ' }) }),
    ).rejects.toMatchObject({ userMessage: 'Title: Required.' });
    expect(await counts()).toEqual(before);
  });

  it('a platform scope creates platform-wide scenarios that every dealership can practise', async () => {
    const row = await createScenario({ db: t.db, scope: platform, actorId: t.seeded.userIds.super_admin!, input: roleplayInput({ title: 'Platform trade' }) });
    expect(row.dealershipId).toBeNull();
    const theirs = await listScenariosForDealership({ db: t.db, dealershipId: other.dealershipId });
    expect(theirs.find((s) => s.id === row.id)?.isPlatform).toBe(true);
  });
});

describe('updateScenario and archiveScenario', () => {
  it('a manager edits their own scenario; the audit names the changed fields', async () => {
    const row = await createScenario({ db: t.db, scope: lakeside, actorId: manager, input: roleplayInput({ title: 'To edit' }) });
    const updated = await updateScenario({
      db: t.db, scope: lakeside, actorId: manager, scenarioId: row.id,
      input: roleplayInput({ title: 'Edited', difficulty: 'easy' }),
    });
    expect(updated).toMatchObject({ title: 'Edited', difficulty: 'easy' });
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.targetId, row.id), eq(auditLog.action, 'scenario.update')));
    expect(entry!.meta).toMatchObject({ changed: ['title', 'difficulty'] });
  });

  it("refuses another dealership's scenario (not found) and platform ones (read-only), changing nothing", async () => {
    const [platformRow] = await t.db.select().from(scenarios).where(isNull(scenarios.dealershipId)).limit(1);
    const theirs = await createScenario({ db: t.db, scope: { kind: 'dealership', dealershipId: other.dealershipId }, actorId: other.adminId, input: roleplayInput() });
    const before = await counts();
    const edit = (scenarioId: string) => updateScenario({ db: t.db, scope: lakeside, actorId: manager, scenarioId, input: roleplayInput({ title: 'Hijack' }) });
    await expect(edit(theirs.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(edit(platformRow!.id)).rejects.toMatchObject({ code: 'FORBIDDEN', userMessage: expect.stringContaining('read-only') });
    await expect(archiveScenario({ db: t.db, scope: lakeside, actorId: manager, scenarioId: platformRow!.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // The platform scope edits platform scenarios only, never a dealership's own.
    await expect(updateScenario({ db: t.db, scope: platform, actorId: manager, scenarioId: theirs.id, input: roleplayInput() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await counts()).toEqual(before);
    const [unchanged] = await t.db.select().from(scenarios).where(eq(scenarios.id, platformRow!.id));
    expect(unchanged).toEqual(platformRow);
  });

  it('archiving hides the scenario from practice but keeps its sessions; restoring brings it back', async () => {
    const row = await createScenario({ db: t.db, scope: lakeside, actorId: manager, input: roleplayInput({ title: 'To archive' }) });
    const session = await startPracticeSession({ db: t.db, dealershipId: t.seeded.dealershipId, traineeId: t.seeded.userIds.trainee!, scenarioId: row.id, channel: 'web' });
    await archiveScenario({ db: t.db, scope: lakeside, actorId: manager, scenarioId: row.id });

    const practice = await listScenariosForDealership({ db: t.db, dealershipId: t.seeded.dealershipId });
    expect(practice.map((s) => s.id)).not.toContain(row.id);
    await expect(
      startPracticeSession({ db: t.db, dealershipId: t.seeded.dealershipId, traineeId: t.seeded.userIds.trainee!, scenarioId: row.id, channel: 'web' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const [kept] = await t.db.select().from(practiceSessions).where(eq(practiceSessions.id, session.id));
    expect(kept!.scenarioId).toBe(row.id);

    const builder = await listScenariosForBuilder({ db: t.db, scope: lakeside });
    expect(builder.find((s) => s.id === row.id)).toMatchObject({ isActive: false, editable: true });
    await restoreScenario({ db: t.db, scope: lakeside, actorId: manager, scenarioId: row.id });
    expect((await listScenariosForDealership({ db: t.db, dealershipId: t.seeded.dealershipId })).map((s) => s.id)).toContain(row.id);
    const actions = await t.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, row.id));
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['scenario.archive', 'scenario.restore']));
  });
});

describe('getScenarioForEditing', () => {
  it('opens own scenarios as editable and platform ones read-only; never another dealership’s', async () => {
    const mine = await createScenario({ db: t.db, scope: lakeside, actorId: manager, input: roleplayInput() });
    const [platformRow] = await t.db.select().from(scenarios).where(isNull(scenarios.dealershipId)).limit(1);
    expect(await getScenarioForEditing({ db: t.db, scope: lakeside, scenarioId: mine.id })).toMatchObject({ editable: true, isPlatform: false });
    expect(await getScenarioForEditing({ db: t.db, scope: lakeside, scenarioId: platformRow!.id })).toMatchObject({ editable: false, isPlatform: true });
    expect(await getScenarioForEditing({ db: t.db, scope: platform, scenarioId: platformRow!.id })).toMatchObject({ editable: true });
    const otherScope: TScenarioScope = { kind: 'dealership', dealershipId: other.dealershipId };
    expect(await getScenarioForEditing({ db: t.db, scope: otherScope, scenarioId: mine.id })).toBeNull();
    expect(await getScenarioForEditing({ db: t.db, scope: platform, scenarioId: mine.id })).toBeNull();
  });
});

describe('greetings synthesised ahead', () => {
  /** The keep-greeting jobs stored for a scenario, with their payloads. */
  const greetingJobs = async (scenarioId: string) => {
    const rows = await t.db.execute(sql`select data from pgboss.job where name = 'keep-greeting' and data->>'scenarioId' = ${scenarioId}`);
    return (rows as unknown as { rows?: { data: unknown }[] }).rows ?? (rows as unknown as { data: unknown }[]);
  };

  it('a new role-play, and a role-play whose persona or car changes, gets its greeting job; a coach scenario or a title change none', async () => {
    const roleplay = await createScenario({ db: t.db, scope: lakeside, actorId: manager, input: roleplayInput({ title: 'Greeting ahead' }) });
    expect(await greetingJobs(roleplay.id)).toEqual([{ data: { scenarioId: roleplay.id, dealershipId: t.seeded.dealershipId } }]);

    const platformRoleplay = await createScenario({ db: t.db, scope: platform, actorId: t.seeded.userIds.super_admin!, input: roleplayInput({ title: 'Platform greeting' }) });
    expect(await greetingJobs(platformRoleplay.id)).toEqual([{ data: { scenarioId: platformRoleplay.id, dealershipId: null } }]);

    const coach = await createScenario({
      db: t.db,
      scope: lakeside,
      actorId: manager,
      input: { ...roleplayInput({ title: 'Coach, no greeting job' }), mode: 'coach', dealJacket: null, objections: [] },
    });
    expect(await greetingJobs(coach.id)).toEqual([]);

    // Still waiting: a second job for the scenario is not stored (one waiting job per scenario).
    await updateScenario({ db: t.db, scope: lakeside, actorId: manager, scenarioId: roleplay.id, input: roleplayInput({ title: 'Greeting ahead, renamed' }) });
    await updateScenario({
      db: t.db,
      scope: lakeside,
      actorId: manager,
      scenarioId: roleplay.id,
      input: roleplayInput({ title: 'Greeting ahead, renamed', persona: { name: 'Robin Vale', voice: 'rms', personality: 'Guarded.', background: 'Two jobs.' } }),
    });
    expect(await greetingJobs(roleplay.id)).toHaveLength(1);
    await t.db.execute(sql`update pgboss.job set state = 'completed' where name = 'keep-greeting' and data->>'scenarioId' = ${roleplay.id}`);
    await updateScenario({ db: t.db, scope: lakeside, actorId: manager, scenarioId: roleplay.id, input: roleplayInput({ title: 'Greeting ahead, renamed again', persona: { name: 'Robin Vale', voice: 'rms', personality: 'Guarded.', background: 'Two jobs.' } }) });
    expect(await greetingJobs(roleplay.id)).toHaveLength(1); // title only: no new job
    await updateScenario({ db: t.db, scope: lakeside, actorId: manager, scenarioId: roleplay.id, input: roleplayInput({ title: 'Greeting ahead, renamed again', persona: { name: 'Sam Ortiz', voice: 'rms', personality: 'Guarded.', background: 'Two jobs.' } }) });
    expect(await greetingJobs(roleplay.id)).toHaveLength(2);
  });
});
