import {
  createDealership,
  inviteDealershipManager,
  listDealerships,
  reactivateDealership,
  suspendDealership,
} from '@avatar-adam/db';
import { z } from 'zod';
import { createTRPCRouter, superAdminProcedure, type TRPCContext } from '../trpc';
import { readPlatformHealth } from './admin-health';
import { sendManagerInvitation } from './admin-mail';

export const ZDealershipCreateInput = z.strictObject({
  name: z.string().trim().min(2).max(120),
  /** Checked in full (format, uniqueness) by `createDealership`, with messages that say what to fix. */
  slug: z.string().trim().min(1).max(60),
  timezone: z.string().trim().min(1).max(64),
  adminEmail: z.email().max(320),
});

export const ZDealershipIdInput = z.strictObject({ dealershipId: z.uuid() });
export const ZInviteManagerInput = ZDealershipIdInput.extend({ email: z.email().max(320) });

/**
 * The platform operator's tools: tenants (create, suspend, reactivate, invite their managers)
 * and the platform's health. Platform-wide scenarios are edited on /scenarios.
 */
/** Emails the invitation a dealership procedure just created, from the signed-in platform admin. */
function mailInvitation(
  ctx: TRPCContext & { session: { user: { name: string } } },
  made: { dealership: { name: string }; invitation: { id: string; email: string }; token: string },
): Promise<boolean> {
  return sendManagerInvitation({
    mailer: ctx.mailer,
    logger: ctx.logger,
    appUrl: ctx.appUrl,
    token: made.token,
    to: made.invitation.email,
    dealershipName: made.dealership.name,
    invitedByName: ctx.session.user.name,
    invitationId: made.invitation.id,
  });
}

export const adminRouter = createTRPCRouter({
  /** Every dealership with its people and sessions counted. */
  dealerships: superAdminProcedure.query(({ ctx }) => listDealerships({ db: ctx.db })),

  /**
   * Creates the dealership and emails its first manager an invitation. The dealership stays
   * created if the email fails (`invitationSent: false`); `inviteManager` sends a fresh link.
   */
  createDealership: superAdminProcedure.input(ZDealershipCreateInput).mutation(async ({ ctx, input }) => {
    const actor = ctx.session.user;
    const { dealership, invitation, token } = await createDealership({ db: ctx.db, actorId: actor.id, ...input });
    const invitationSent = await mailInvitation(ctx, { dealership, invitation, token });
    ctx.logger.info({ dealershipId: dealership.id, slug: dealership.slug }, 'dealership created');
    return { id: dealership.id, name: dealership.name, slug: dealership.slug, invitedEmail: invitation.email, invitationSent };
  }),

  /** Another (or a fresh) manager invitation into a dealership; replaces a pending one for that address. */
  inviteManager: superAdminProcedure.input(ZInviteManagerInput).mutation(async ({ ctx, input }) => {
    const actor = ctx.session.user;
    const { dealership, invitation, token } = await inviteDealershipManager({ db: ctx.db, actorId: actor.id, ...input });
    const invitationSent = await mailInvitation(ctx, { dealership, invitation, token });
    return { invitedEmail: invitation.email, invitationSent };
  }),

  /** Locks the dealership's people out at once (sign-in and every tenant procedure). */
  suspend: superAdminProcedure
    .input(ZDealershipIdInput)
    .mutation(({ ctx, input }) => suspendDealership({ db: ctx.db, dealershipId: input.dealershipId, actorId: ctx.session.user.id })),

  reactivate: superAdminProcedure
    .input(ZDealershipIdInput)
    .mutation(({ ctx, input }) => reactivateDealership({ db: ctx.db, dealershipId: input.dealershipId, actorId: ctx.session.user.id })),

  /** Database, LiveKit, agent workers, queue depth and providers, each checked on its own. */
  health: superAdminProcedure.query(({ ctx }) => readPlatformHealth(ctx)),
});
