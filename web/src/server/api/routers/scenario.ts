import { describeScenarioVehicle, listScenariosForDealership } from '@avatar-adam/db';
import { createTRPCRouter, tenantProcedure } from '../trpc';

export const scenarioRouter = createTRPCRouter({
  /**
   * The caller's dealership scenarios plus the platform-wide ones, shaped for the picker: the
   * persona's name but not its personality notes, which would tell the trainee in advance how
   * the customer is going to react.
   */
  list: tenantProcedure.query(async ({ ctx }) => {
    const rows = await listScenariosForDealership({ db: ctx.db, dealershipId: ctx.dealershipId });
    return rows.map((s) => ({
      id: s.id,
      title: s.title,
      summary: s.summary,
      mode: s.mode,
      difficulty: s.difficulty,
      personaName: s.persona.name,
      vehicle: s.dealJacket ? describeScenarioVehicle(s.dealJacket) : null,
      isPlatform: s.isPlatform,
    }));
  }),
});
