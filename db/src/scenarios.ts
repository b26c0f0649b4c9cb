import { and, asc, eq, isNull, or } from 'drizzle-orm';
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
