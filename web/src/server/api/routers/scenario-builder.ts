import {
  AppError,
  archiveScenario,
  createScenario,
  getScenarioForEditing,
  listScenariosForBuilder,
  restoreScenario,
  scenarioInputOf,
  updateScenario,
  ZScenarioInput,
} from '@avatar-adam/db';
import { z } from 'zod';
import { createTRPCRouter } from '../trpc';
import { toScenarioCard } from './scenario';
import { scenarioEditorProcedure } from './scenario-editor-procedure';

const ZScenarioId = z.strictObject({ scenarioId: z.uuid() });

/**
 * The scenario builder: a manager's own scenarios (platform-wide ones read-only), or for a
 * platform admin the platform-wide scenarios every dealership sees. Content is validated by
 * `ZScenarioInput`, the same schema the form checks live in the browser.
 */
export const scenarioBuilderRouter = createTRPCRouter({
  list: scenarioEditorProcedure.query(async ({ ctx }) => {
    const rows = await listScenariosForBuilder({ db: ctx.db, scope: ctx.scenarioScope });
    return rows.map((s) => ({ ...toScenarioCard(s), isActive: s.isActive, editable: s.editable, updatedAt: s.updatedAt }));
  }),

  get: scenarioEditorProcedure.input(ZScenarioId).query(async ({ ctx, input }) => {
    const row = await getScenarioForEditing({ db: ctx.db, scope: ctx.scenarioScope, scenarioId: input.scenarioId });
    if (!row) {
      throw new AppError('NOT_FOUND', {
        message: `scenario ${input.scenarioId} not visible to ${ctx.session.user.id}`,
        userMessage: 'That scenario does not exist.',
      });
    }
    return {
      id: row.id,
      isActive: row.isActive,
      isPlatform: row.isPlatform,
      editable: row.editable,
      updatedAt: row.updatedAt,
      content: scenarioInputOf(row),
    };
  }),

  create: scenarioEditorProcedure.input(ZScenarioInput).mutation(async ({ ctx, input }) => {
    const row = await createScenario({ db: ctx.db, scope: ctx.scenarioScope, actorId: ctx.session.user.id, input });
    ctx.logger.info({ scenarioId: row.id, platform: row.dealershipId === null }, 'scenario created');
    return { id: row.id };
  }),

  update: scenarioEditorProcedure
    .input(z.strictObject({ scenarioId: z.uuid(), scenario: ZScenarioInput }))
    .mutation(async ({ ctx, input }) => {
      const row = await updateScenario({
        db: ctx.db,
        scope: ctx.scenarioScope,
        actorId: ctx.session.user.id,
        scenarioId: input.scenarioId,
        input: input.scenario,
      });
      return { id: row.id, updatedAt: row.updatedAt };
    }),

  /** Hidden from practice and assignment pickers; past sessions and assignments keep it. */
  archive: scenarioEditorProcedure.input(ZScenarioId).mutation(async ({ ctx, input }) => {
    const row = await archiveScenario({ db: ctx.db, scope: ctx.scenarioScope, actorId: ctx.session.user.id, ...input });
    return { id: row.id, isActive: row.isActive };
  }),

  restore: scenarioEditorProcedure.input(ZScenarioId).mutation(async ({ ctx, input }) => {
    const row = await restoreScenario({ db: ctx.db, scope: ctx.scenarioScope, actorId: ctx.session.user.id, ...input });
    return { id: row.id, isActive: row.isActive };
  }),
});
