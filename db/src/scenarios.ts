import { and, asc, desc, eq, isNull, or } from 'drizzle-orm';
import type { Db } from './client';
import { scenarios } from './schema';

/** Visible to a dealership: its own scenarios plus the platform-wide ones. */
export function scenarioVisibleTo(dealershipId: string) {
  return or(eq(scenarios.dealershipId, dealershipId), isNull(scenarios.dealershipId));
}

export async function listScenariosForDealership(opts: { db: Db; dealershipId: string }) {
  return opts.db
    .select({
      id: scenarios.id,
      title: scenarios.title,
      summary: scenarios.summary,
      mode: scenarios.mode,
      difficulty: scenarios.difficulty,
      persona: scenarios.persona,
      dealJacket: scenarios.dealJacket,
      isPlatform: isNull(scenarios.dealershipId),
    })
    .from(scenarios)
    .where(and(scenarioVisibleTo(opts.dealershipId), eq(scenarios.isActive, true)))
    .orderBy(asc(scenarios.mode), asc(scenarios.title));
}

/** One active scenario the dealership may use, or null. */
export async function getScenarioForDealership(opts: {
  db: Db;
  dealershipId: string;
  scenarioId: string;
}) {
  const [row] = await opts.db
    .select()
    .from(scenarios)
    .where(
      and(
        eq(scenarios.id, opts.scenarioId),
        scenarioVisibleTo(opts.dealershipId),
        eq(scenarios.isActive, true),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * Whose scenarios an editor works on: a manager their dealership's own (platform-wide ones are
 * visible to them read-only), a platform admin the platform-wide ones (dealership null). Explicit,
 * so a missing dealership id can never silently mean "platform".
 */
export type TScenarioScope = { kind: 'dealership'; dealershipId: string } | { kind: 'platform' };

/** The dealership a scope's scenarios belong to; null for the platform. */
export function scenarioOwnerOf(scope: TScenarioScope): string | null {
  return scope.kind === 'platform' ? null : scope.dealershipId;
}

/**
 * What the builder lists and opens: a dealership's own scenarios (archived too, so they can be
 * restored) plus the active platform-wide ones; for the platform, every platform-wide scenario.
 */
function builderVisibility(scope: TScenarioScope) {
  if (scope.kind === 'platform') return isNull(scenarios.dealershipId);
  return or(
    eq(scenarios.dealershipId, scope.dealershipId),
    and(isNull(scenarios.dealershipId), eq(scenarios.isActive, true)),
  );
}

const withOwnership = <T extends { dealershipId: string | null }>(scope: TScenarioScope, row: T) => ({
  ...row,
  isPlatform: row.dealershipId === null,
  editable: row.dealershipId === scenarioOwnerOf(scope),
});

export async function listScenariosForBuilder(opts: { db: Db; scope: TScenarioScope }) {
  const rows = await opts.db
    .select({
      id: scenarios.id,
      dealershipId: scenarios.dealershipId,
      title: scenarios.title,
      summary: scenarios.summary,
      mode: scenarios.mode,
      difficulty: scenarios.difficulty,
      persona: scenarios.persona,
      dealJacket: scenarios.dealJacket,
      isActive: scenarios.isActive,
      updatedAt: scenarios.updatedAt,
    })
    .from(scenarios)
    .where(builderVisibility(opts.scope))
    .orderBy(desc(scenarios.isActive), asc(scenarios.mode), asc(scenarios.title));
  return rows.map((row) => withOwnership(opts.scope, row));
}

/** One scenario for the builder, with whether this scope may change it; null if not visible. */
export async function getScenarioForEditing(opts: { db: Db; scope: TScenarioScope; scenarioId: string }) {
  const [row] = await opts.db
    .select()
    .from(scenarios)
    .where(and(eq(scenarios.id, opts.scenarioId), builderVisibility(opts.scope)))
    .limit(1);
  return row ? withOwnership(opts.scope, row) : null;
}

/**
 * A scenario of the given owner (a dealership, or null for a platform-wide one), active or not,
 * or null: what a job about the scenario may read, and nothing of another owner's.
 */
export async function getScenarioOfOwner(opts: { db: Db; scenarioId: string; dealershipId: string | null }) {
  const owner = opts.dealershipId === null ? isNull(scenarios.dealershipId) : eq(scenarios.dealershipId, opts.dealershipId);
  const [row] = await opts.db.select().from(scenarios).where(and(eq(scenarios.id, opts.scenarioId), owner)).limit(1);
  return row ?? null;
}
