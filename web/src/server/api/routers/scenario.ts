import { describeScenarioVehicle, listScenariosForDealership } from '@avatar-adam/db';
import { createTRPCRouter, tenantProcedure } from '../trpc';

type TScenarioRow = Awaited<ReturnType<typeof listScenariosForDealership>>[number];

/** What a scenario card shows: the persona's name but never its personality notes. */
export function toScenarioCard(s: Pick<TScenarioRow, 'id' | 'title' | 'summary' | 'mode' | 'difficulty' | 'persona' | 'dealJacket' | 'isPlatform'>) {
  return {
    id: s.id,
    title: s.title,
    summary: s.summary,
    mode: s.mode,
    difficulty: s.difficulty,
    personaName: s.persona.name,
    vehicle: s.dealJacket ? describeScenarioVehicle(s.dealJacket) : null,
    isPlatform: s.isPlatform,
  };
}

export const scenarioRouter = createTRPCRouter({
  /**
   * The caller's dealership scenarios plus the platform-wide ones, shaped for the picker: the
   * persona's name but not its personality notes, which would tell the trainee in advance how
   * the customer is going to react.
   */
  list: tenantProcedure.query(async ({ ctx }) => {
    const rows = await listScenariosForDealership({ db: ctx.db, dealershipId: ctx.dealershipId });
    return rows.map(toScenarioCard);
  }),
});
