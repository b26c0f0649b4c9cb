import {
  createAssignments,
  deleteAssignment,
  listAssignableTrainees,
  listAssignmentsForDealership,
  listAssignmentsForTrainee,
  listScenariosForDealership,
  MAX_TRAINEES_PER_ASSIGNMENT,
} from '@avatar-adam/db';
import { z } from 'zod';
import { createTRPCRouter, managerProcedure, tenantProcedure } from '../trpc';

/**
 * Shape only: ranges (future due date, pass mark 1–100, who may be assigned) are checked by
 * `createAssignments`, whose refusals carry the message the form shows.
 */
export const ZAssignmentCreateInput = z.strictObject({
  scenarioId: z.uuid(),
  traineeIds: z.array(z.uuid()).max(MAX_TRAINEES_PER_ASSIGNMENT),
  dueAt: z.date(),
  passMark: z.number(),
});

/** Managers assign scenarios to their trainees; trainees see their own assignments. */
export const assignmentRouter = createTRPCRouter({
  create: managerProcedure.input(ZAssignmentCreateInput).mutation(async ({ ctx, input }) => {
    const rows = await createAssignments({ db: ctx.db, dealershipId: ctx.dealershipId, assignedById: ctx.session.user.id, ...input });
    return { created: rows.length };
  }),

  /** Every assignment of the dealership with status, best score and attempts. */
  list: managerProcedure.query(({ ctx }) => listAssignmentsForDealership({ db: ctx.db, dealershipId: ctx.dealershipId })),

  /** What the assign form offers: active role-plays the dealership may use, and active trainees. */
  options: managerProcedure.query(async ({ ctx }) => {
    const scenarios = await listScenariosForDealership({ db: ctx.db, dealershipId: ctx.dealershipId });
    const trainees = await listAssignableTrainees({ db: ctx.db, dealershipId: ctx.dealershipId });
    return {
      scenarios: scenarios
        .filter((s) => s.mode === 'roleplay')
        .map((s) => ({ id: s.id, title: s.title, difficulty: s.difficulty, isPlatform: s.isPlatform })),
      trainees,
    };
  }),

  delete: managerProcedure.input(z.strictObject({ assignmentId: z.uuid() })).mutation(async ({ ctx, input }) => {
    await deleteAssignment({ db: ctx.db, dealershipId: ctx.dealershipId, assignmentId: input.assignmentId, actorId: ctx.session.user.id });
    return { id: input.assignmentId };
  }),

  /** The caller's own assignments (empty for anyone who has none), for the practice page. */
  mine: tenantProcedure.query(({ ctx }) =>
    listAssignmentsForTrainee({ db: ctx.db, dealershipId: ctx.dealershipId, traineeId: ctx.session.user.id }),
  ),
});
