import { acceptInvitation, AppError, createInvitation, listPendingInvitations, recordAudit } from '@avatar-adam/db';
import { z } from 'zod';
import { createTRPCRouter, managerProcedure, publicProcedure } from '../trpc';

/** Strict: a dealership or a role other than these two cannot be smuggled in. */
export const ZInvitationCreateInput = z.strictObject({
  email: z.email().max(320),
  role: z.enum(['trainee', 'dealership_admin']),
});

export const ZInvitationAcceptInput = z.strictObject({
  token: z.string().min(20).max(200),
  name: z.string().trim().min(1).max(120),
  password: z.string().min(1).max(512),
});

/** Managers inviting staff into their own dealership, and the invitee accepting by link. */
export const invitationRouter = createTRPCRouter({
  /** Emails a 7-day single-use link; a pending invitation for the same address is replaced. */
  create: managerProcedure.input(ZInvitationCreateInput).mutation(async ({ ctx, input }) => {
    const user = ctx.session.user;
    const { invitation, token } = await createInvitation({
      db: ctx.db,
      dealershipId: ctx.dealershipId,
      invitedById: user.id,
      email: input.email,
      role: input.role,
    });
    await recordAudit({
      db: ctx.db,
      action: 'user.invite',
      actorId: user.id,
      dealershipId: ctx.dealershipId,
      targetType: 'invitation',
      targetId: invitation.id,
      meta: { invitedEmail: invitation.email, role: invitation.role },
    });
    const link = `${ctx.appUrl}/invite/${token}`;
    const roleName = invitation.role === 'dealership_admin' ? 'manager' : 'trainee';
    try {
      await ctx.mailer.send({
        to: invitation.email,
        subject: 'You are invited to AvatarAdam',
        text: [
          `${user.name} invited you to practise F&I conversations on AvatarAdam as a ${roleName}.`,
          '',
          'Choose your name and password here (the link works once, for 7 days):',
          link,
          '',
          'If you did not expect this email, you can ignore it.',
        ].join('\n'),
        link,
        kind: 'invitation',
      });
    } catch (error) {
      throw new AppError('UNAVAILABLE', {
        message: 'invitation email could not be sent',
        userMessage: 'The invitation was saved but the email could not be sent. Please try again.',
        cause: error,
      });
    }
    ctx.logger.info({ invitationId: invitation.id, invitedEmail: invitation.email }, 'invitation sent');
    return { id: invitation.id, email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt };
  }),

  /** Invitations of the caller's dealership that can still be accepted. */
  list: managerProcedure.query(({ ctx }) => listPendingInvitations({ db: ctx.db, dealershipId: ctx.dealershipId })),

  /** Creates the account; the invitee then signs in with the email the invitation was sent to. */
  accept: publicProcedure.input(ZInvitationAcceptInput).mutation(async ({ ctx, input }) => {
    const { user, invitationId } = await acceptInvitation({ db: ctx.db, ...input });
    await recordAudit({
      db: ctx.db,
      action: 'user.invite_accepted',
      actorId: user.id,
      dealershipId: user.dealershipId,
      targetType: 'invitation',
      targetId: invitationId,
      meta: { role: user.role },
    });
    return { email: user.email };
  }),
});
