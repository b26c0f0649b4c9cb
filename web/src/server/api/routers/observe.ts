import { randomBytes } from 'node:crypto';
import { failAbandonedSessions, getSessionToObserve, listLiveSessions, recordAudit } from '@avatar-adam/db';
import { z } from 'zod';
import { createTRPCRouter, managerProcedure } from '../trpc';

export const ZObserveJoinInput = z.object({ sessionId: z.uuid() });

/** Managers listening in, silently, on practice sessions of their own dealership as they happen. */
export const observeRouter = createTRPCRouter({
  /**
   * Sessions going on right now in the manager's dealership, newest first; with Redis, a live
   * session whose agent has stopped refreshing its presence is left out before the reaper fails it.
   */
  live: managerProcedure.query(async ({ ctx }) =>
    ctx.presence.keepServed(await listLiveSessions({ db: ctx.db, dealershipId: ctx.dealershipId })),
  ),

  /**
   * A hidden, listen-only token for the session's room. Every listen is written to the audit log
   * before the token leaves the server. Another dealership's session is NOT_FOUND; one that is over
   * is CONFLICT.
   */
  join: managerProcedure.input(ZObserveJoinInput).mutation(async ({ ctx, input }) => {
    const user = ctx.session.user;
    // A session whose agent died still reads "live" until reaped; its room is gone, so settle it
    // first rather than hand out a token for an empty room (as session.start does).
    const reaped = await failAbandonedSessions({ db: ctx.db, dealershipId: ctx.dealershipId });
    if (reaped.length > 0) ctx.logger.warn({ sessions: reaped }, 'abandoned practice sessions marked failed');
    const session = await getSessionToObserve({ db: ctx.db, dealershipId: ctx.dealershipId, sessionId: input.sessionId });

    // Unique per listen, so several managers (or one in two tabs) can listen to the same room.
    const identity = `observer-${user.id}-${randomBytes(4).toString('hex')}`;
    const token = await ctx.livekit.mintObserverToken({ roomName: session.roomName, identity, name: user.name });
    await recordAudit({
      db: ctx.db,
      action: 'session.observe',
      actorId: user.id,
      dealershipId: ctx.dealershipId,
      targetType: 'practice_session',
      targetId: session.id,
      meta: { roomName: session.roomName, identity, status: session.status },
    });
    ctx.logger.info({ sessionId: session.id, roomName: session.roomName, identity }, 'manager listening to session');

    return { token, serverUrl: ctx.livekit.serverUrl, roomName: session.roomName };
  }),
});
