import { recordAudit, requestPasswordReset, resetPassword } from '@avatar-adam/db';
import { z } from 'zod';
import { createTRPCRouter, publicProcedure } from '../trpc';

export const ZRequestPasswordResetInput = z.strictObject({ email: z.string().trim().min(3).max(320) });

export const ZResetPasswordInput = z.strictObject({
  token: z.string().min(20).max(200),
  password: z.string().min(1).max(512),
});

/** The same answer whether or not the address has an account, so the form reveals nothing. */
const RESET_REQUESTED = {
  message: 'If an account exists for that email address, we have sent a link to reset its password.',
} as const;

/** Signed-out account recovery. Signing in itself goes through next-auth. */
export const authRouter = createTRPCRouter({
  requestPasswordReset: publicProcedure.input(ZRequestPasswordResetInput).mutation(async ({ ctx, input }) => {
    // Over the hourly allowance: the same answer, no token and no mail (no inbox flooding, and
    // nothing that tells whether the account exists).
    if (!(await ctx.resetLimiter.allow(input.email))) {
      await recordAudit({
        db: ctx.db,
        action: 'auth.password_reset_throttled',
        meta: { attemptedEmail: input.email.toLowerCase() },
      });
      return RESET_REQUESTED;
    }
    const reset = await requestPasswordReset({ db: ctx.db, email: input.email });
    if (!reset) {
      await recordAudit({
        db: ctx.db,
        action: 'auth.password_reset_requested',
        meta: { attemptedEmail: input.email.toLowerCase(), accountFound: false },
      });
      return RESET_REQUESTED;
    }
    await recordAudit({
      db: ctx.db,
      action: 'auth.password_reset_requested',
      actorId: reset.userId,
      dealershipId: reset.dealershipId,
      targetType: 'user',
      targetId: reset.userId,
      meta: { accountFound: true },
    });
    const link = `${ctx.appUrl}/reset-password/${reset.token}`;
    try {
      await ctx.mailer.send({
        to: reset.email,
        subject: 'Reset your AvatarAdam password',
        text: [
          `Hello ${reset.name},`,
          '',
          'Choose a new password here (the link works once, for 1 hour):',
          link,
          '',
          'If you did not ask for this, ignore this email: your password stays as it is.',
        ].join('\n'),
        link,
        kind: 'password_reset',
      });
    } catch (error) {
      // Answering differently here would tell the caller the account exists; the log has it.
      ctx.logger.error({ err: error, userId: reset.userId }, 'password reset email could not be sent');
    }
    return RESET_REQUESTED;
  }),

  resetPassword: publicProcedure.input(ZResetPasswordInput).mutation(async ({ ctx, input }) => {
    const { userId, dealershipId } = await resetPassword({ db: ctx.db, token: input.token, password: input.password });
    await recordAudit({
      db: ctx.db,
      action: 'auth.password_reset',
      actorId: userId,
      dealershipId,
      targetType: 'user',
      targetId: userId,
    });
    return { ok: true as const };
  }),
});
