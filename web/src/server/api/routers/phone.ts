import {
  AppError,
  deletePhoneLine,
  getPhoneLine,
  issuePhonePin,
  listPhoneTrainees,
  savePhoneLine,
  setPhoneCallerId,
  validatePhoneLine,
} from '@avatar-adam/db';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { notEnabled } from '../../phone';
import { createTRPCRouter, managerProcedure, tenantProcedure } from '../trpc';

export const ZSaveLineInput = z.strictObject({
  phoneNumber: z.string().trim().min(3).max(40),
  defaultScenarioId: z.uuid().nullable(),
});

/** Phone practice needs the PIN secret (and a SIP bridge): refused before any handler runs. */
const phoneManagerProcedure = managerProcedure.use(({ ctx, next }) => {
  if (!ctx.phone.enabled || !ctx.phone.pinSecret) throw notEnabled();
  return next({ ctx: { pinSecret: ctx.phone.pinSecret } });
});
const phoneMemberProcedure = tenantProcedure.use(({ ctx, next }) => {
  if (!ctx.phone.enabled || !ctx.phone.pinSecret) throw notEnabled();
  return next({ ctx: { pinSecret: ctx.phone.pinSecret } });
});

function describeLine(line: Awaited<ReturnType<typeof getPhoneLine>>, dialHint: string | null) {
  if (!line) return null;
  return {
    phoneNumber: line.phoneNumber,
    defaultScenarioId: line.defaultScenarioId,
    dial: dialHint ? dialHint.replace('{number}', line.phoneNumber) : null,
  };
}

/** The dealership's practice line and its trainees' PINs (managers); a member's own PIN. */
export const phoneRouter = createTRPCRouter({
  /** What the phone page shows a manager. Works when phone practice is off, to say so. */
  overview: managerProcedure.query(async ({ ctx }) => {
    const [line, trainees] = await Promise.all([
      getPhoneLine({ db: ctx.db, dealershipId: ctx.dealershipId }),
      listPhoneTrainees({ db: ctx.db, dealershipId: ctx.dealershipId }),
    ]);
    return { enabled: ctx.phone.enabled, line: describeLine(line, ctx.phone.dialHint), trainees };
  }),

  /**
   * Sets the number (and the default scenario): provisions a new SIP trunk and dispatch rule,
   * stores them, then removes the previous ones. If LiveKit refuses, nothing is stored.
   */
  saveLine: phoneManagerProcedure.input(ZSaveLineInput).mutation(async ({ ctx, input }) => {
    const valid = await validatePhoneLine({ db: ctx.db, dealershipId: ctx.dealershipId, ...input });
    const previous = await getPhoneLine({ db: ctx.db, dealershipId: ctx.dealershipId });
    const phoneLineId = previous?.id ?? randomUUID();
    if (previous) {
      // The number may stay the same, and LiveKit refuses two trunks for one number.
      await ctx.phone.removeLine({ sipTrunkId: previous.sipTrunkId ?? undefined, sipDispatchRuleId: previous.sipDispatchRuleId ?? undefined });
    }
    const sip = await ctx.phone.provisionLine({ phoneLineId, phoneNumber: valid.phoneNumber, label: ctx.dealershipId });
    try {
      const line = await savePhoneLine({ db: ctx.db, dealershipId: ctx.dealershipId, actorId: ctx.session.user.id, ...valid, ...sip, id: phoneLineId });
      return describeLine(line, ctx.phone.dialHint);
    } catch (error) {
      await ctx.phone.removeLine(sip).catch((cleanup: unknown) => ctx.logger.error({ err: cleanup }, 'could not remove SIP objects of a line that was not saved'));
      throw error;
    }
  }),

  removeLine: phoneManagerProcedure.mutation(async ({ ctx }) => {
    const line = await getPhoneLine({ db: ctx.db, dealershipId: ctx.dealershipId });
    if (!line) {
      throw new AppError('NOT_FOUND', { message: 'no phone line', userMessage: 'This dealership has no practice number.' });
    }
    await ctx.phone.removeLine({ sipTrunkId: line.sipTrunkId ?? undefined, sipDispatchRuleId: line.sipDispatchRuleId ?? undefined });
    await deletePhoneLine({ db: ctx.db, dealershipId: ctx.dealershipId, actorId: ctx.session.user.id });
    return { removed: true };
  }),

  /** A new PIN for a trainee of the dealership; shown once, the old one stops working. */
  issuePin: phoneManagerProcedure.input(z.strictObject({ traineeId: z.uuid() })).mutation(async ({ ctx, input }) => {
    const pin = await issuePhonePin({ db: ctx.db, secret: ctx.pinSecret, dealershipId: ctx.dealershipId, traineeId: input.traineeId, actorId: ctx.session.user.id });
    return { pin };
  }),

  setCallerId: phoneManagerProcedure
    .input(z.strictObject({ traineeId: z.uuid(), callerId: z.string().trim().max(40).nullable() }))
    .mutation(async ({ ctx, input }) => {
      const callerId = await setPhoneCallerId({ db: ctx.db, dealershipId: ctx.dealershipId, actorId: ctx.session.user.id, ...input });
      return { callerId };
    }),

  /** The caller's own view: the number to call and whether they have a PIN. */
  mine: tenantProcedure.query(async ({ ctx }) => {
    const [line, trainees] = await Promise.all([
      getPhoneLine({ db: ctx.db, dealershipId: ctx.dealershipId }),
      listPhoneTrainees({ db: ctx.db, dealershipId: ctx.dealershipId }),
    ]);
    const me = trainees.find((t) => t.id === ctx.session.user.id);
    return { enabled: ctx.phone.enabled, line: describeLine(line, ctx.phone.dialHint), hasPin: me?.hasPin ?? false };
  }),

  /** A member gives themselves a new PIN (shown once). */
  issueMyPin: phoneMemberProcedure.mutation(async ({ ctx }) => {
    const user = ctx.session.user;
    const pin = await issuePhonePin({ db: ctx.db, secret: ctx.pinSecret, dealershipId: ctx.dealershipId, traineeId: user.id, actorId: user.id });
    return { pin };
  }),
});
