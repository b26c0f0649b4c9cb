import { and, eq, isNull } from 'drizzle-orm';
import { recordAudit } from './audit';
import type { Db, Tx } from './client';
import { AppError } from './errors';
import { enqueueKeepGreeting } from './job-queue';
import { describeIssuePath, parseScenarioInput, type TScenarioContent } from './scenario-builder-input';
import { scenarioOwnerOf, scenarioVisibleTo, type TScenarioScope } from './scenarios';
import { scenarios } from './schema';

export type TScenario = typeof scenarios.$inferSelect;

type TEditOptions = { db: Db; scope: TScenarioScope; actorId: string };

/** Validates builder input into the stored shape; refuses with the first problem, changing nothing. */
export function validateScenarioContent(input: unknown): TScenarioContent {
  const parsed = parseScenarioInput(input);
  if (parsed.ok) return parsed.data;
  const [first] = parsed.issues;
  throw new AppError('BAD_REQUEST', {
    message: `invalid scenario: ${parsed.issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
    userMessage: first ? `${describeIssuePath(first.path)}: ${first.message}` : 'Check the scenario.',
  });
}

export async function createScenario(opts: TEditOptions & { input: unknown }): Promise<TScenario> {
  const content = validateScenarioContent(opts.input);
  return opts.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(scenarios)
      .values({ ...content, dealershipId: scenarioOwnerOf(opts.scope), createdById: opts.actorId })
      .returning();
    if (!row) throw new AppError('INTERNAL', { message: 'insert returned no scenario row' });
    await audit(tx, opts, 'scenario.create', row, { title: row.title, mode: row.mode });
    // Its greeting is synthesised before the first session needs it (stored with the scenario or not at all).
    await enqueueKeepGreeting({ db: tx, scenario: row });
    return row;
  });
}

/** Replaces the editable content. Sessions already held keep their scenario id, and see the new text. */
export async function updateScenario(opts: TEditOptions & { scenarioId: string; input: unknown }): Promise<TScenario> {
  const content = validateScenarioContent(opts.input);
  return opts.db.transaction(async (tx) => {
    const before = await loadEditable(tx, opts);
    const changed = (Object.keys(content) as (keyof TScenarioContent)[]).filter(
      (key) => canonicalJson(before[key]) !== canonicalJson(content[key]),
    );
    const [row] = await tx
      .update(scenarios)
      .set(content)
      .where(eq(scenarios.id, before.id))
      .returning();
    if (!row) throw new AppError('INTERNAL', { message: 'update returned no scenario row' });
    await audit(tx, opts, 'scenario.update', row, { title: row.title, changed });
    // A new name or car is a new greeting.
    if (changed.some((key) => key === 'persona' || key === 'dealJacket' || key === 'mode')) await enqueueKeepGreeting({ db: tx, scenario: row });
    return row;
  });
}

/**
 * Archiving hides a scenario from practice and assignment pickers. Nothing is deleted: past
 * sessions, scorecards and assignments keep pointing at it, and it can be restored.
 */
export async function archiveScenario(opts: TEditOptions & { scenarioId: string }): Promise<TScenario> {
  return setActive(opts, false);
}

export async function restoreScenario(opts: TEditOptions & { scenarioId: string }): Promise<TScenario> {
  return setActive(opts, true);
}

async function setActive(opts: TEditOptions & { scenarioId: string }, isActive: boolean): Promise<TScenario> {
  return opts.db.transaction(async (tx) => {
    const before = await loadEditable(tx, opts);
    if (before.isActive === isActive) return before;
    const [row] = await tx
      .update(scenarios)
      .set({ isActive })
      .where(eq(scenarios.id, before.id))
      .returning();
    if (!row) throw new AppError('INTERNAL', { message: 'update returned no scenario row' });
    await audit(tx, opts, isActive ? 'scenario.restore' : 'scenario.archive', row, { title: row.title });
    return row;
  });
}

/**
 * The scenario if the scope may change it. A platform scenario seen from a dealership is
 * FORBIDDEN (the manager can see it, so saying "not found" would be false); another dealership's
 * scenario is NOT_FOUND, so ids cannot be probed across tenants.
 */
async function loadEditable(tx: Tx, opts: { scope: TScenarioScope; scenarioId: string }): Promise<TScenario> {
  const owner = scenarioOwnerOf(opts.scope);
  const [row] = await tx
    .select()
    .from(scenarios)
    .where(
      and(eq(scenarios.id, opts.scenarioId), owner === null ? isNull(scenarios.dealershipId) : scenarioVisibleTo(owner)),
    )
    .limit(1)
    .for('update');
  if (row && row.dealershipId === owner) return row;
  if (row && row.dealershipId === null && row.isActive) {
    throw new AppError('FORBIDDEN', {
      message: `scenario ${opts.scenarioId} is platform-wide; dealership ${owner} cannot change it`,
      userMessage: 'Platform scenarios are read-only. Create your own scenario to change it.',
    });
  }
  throw new AppError('NOT_FOUND', {
    message: `scenario ${opts.scenarioId} is not editable by ${owner ?? 'the platform'}`,
    userMessage: 'That scenario does not exist.',
  });
}

function audit(tx: Tx, opts: TEditOptions, action: string, row: TScenario, meta: Record<string, unknown>) {
  return recordAudit({
    db: tx,
    action,
    actorId: opts.actorId,
    dealershipId: scenarioOwnerOf(opts.scope),
    targetType: 'scenario',
    targetId: row.id,
    meta,
  });
}

/** JSON with sorted keys: jsonb hands objects back in its own key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
