import { and, asc, eq, sql } from 'drizzle-orm';
import { recordAudit } from './audit';
import type { Db } from './client';
import { AppError } from './errors';
import { dealerships } from './schema';

export type TDealershipStatus = (typeof dealerships.$inferSelect)['status'];

export type TDealershipRow = {
  id: string;
  name: string;
  slug: string;
  status: TDealershipStatus;
  timezone: string;
  createdAt: Date;
  userCount: number;
  sessionCount: number;
  lastSessionAt: Date | null;
};

/** Every tenant with its size and activity, for the platform operator. Suspended ones included. */
export async function listDealerships(opts: { db: Db }): Promise<TDealershipRow[]> {
  const d = dealerships;
  const rows = await opts.db
    .select({
      id: d.id,
      name: d.name,
      slug: d.slug,
      status: d.status,
      timezone: d.timezone,
      createdAt: d.createdAt,
      // Table-qualified by hand: drizzle leaves columns of a one-table select unqualified, and
      // inside these subqueries "id" would then mean the inner table's own id.
      userCount: sql<number>`(select count(*)::int from users u where u.dealership_id = dealerships.id)`,
      sessionCount: sql<number>`(select count(*)::int from practice_sessions ps where ps.dealership_id = dealerships.id)`,
      lastSessionAt: sql<string | null>`(select max(ps.created_at) from practice_sessions ps where ps.dealership_id = dealerships.id)`,
    })
    .from(d)
    .orderBy(asc(d.name), asc(d.id));
  // A raw subquery's timestamp arrives as the driver's text, not as a Date.
  return rows.map((r) => ({ ...r, lastSessionAt: r.lastSessionAt === null ? null : new Date(r.lastSessionAt) }));
}

/** active, suspended, or null for a dealership that does not exist. One primary-key read. */
export async function getDealershipStatus(opts: { db: Db; dealershipId: string }): Promise<TDealershipStatus | null> {
  const [row] = await opts.db
    .select({ status: dealerships.status })
    .from(dealerships)
    .where(eq(dealerships.id, opts.dealershipId))
    .limit(1);
  return row?.status ?? null;
}

/**
 * Marks a dealership suspended or active again, audited. Suspension locks its people out at once:
 * sign-in refuses them and every tenant procedure checks the status on each request. Setting the
 * status it already has changes nothing and writes no audit entry.
 */
export async function setDealershipStatus(opts: {
  db: Db;
  dealershipId: string;
  status: TDealershipStatus;
  actorId: string;
}): Promise<{ id: string; name: string; status: TDealershipStatus; changed: boolean }> {
  return opts.db.transaction(async (tx) => {
    const [current] = await tx
      .select({ id: dealerships.id, name: dealerships.name, status: dealerships.status })
      .from(dealerships)
      .where(eq(dealerships.id, opts.dealershipId))
      .for('update');
    if (!current) {
      throw new AppError('NOT_FOUND', {
        message: `dealership ${opts.dealershipId} not found`,
        userMessage: 'That dealership does not exist.',
      });
    }
    if (current.status === opts.status) return { ...current, changed: false };
    await tx
      .update(dealerships)
      .set({ status: opts.status })
      .where(and(eq(dealerships.id, opts.dealershipId), eq(dealerships.status, current.status)));
    await recordAudit({
      db: tx,
      action: opts.status === 'suspended' ? 'dealership.suspend' : 'dealership.reactivate',
      actorId: opts.actorId,
      dealershipId: opts.dealershipId,
      targetType: 'dealership',
      targetId: opts.dealershipId,
      meta: { from: current.status, to: opts.status },
    });
    return { ...current, status: opts.status, changed: true };
  });
}

export const suspendDealership = (opts: { db: Db; dealershipId: string; actorId: string }) =>
  setDealershipStatus({ ...opts, status: 'suspended' });

export const reactivateDealership = (opts: { db: Db; dealershipId: string; actorId: string }) =>
  setDealershipStatus({ ...opts, status: 'active' });
