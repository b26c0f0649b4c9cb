import type { Db, Tx } from './client';
import { auditLog } from './schema';

/** Appends one audit entry: sign-ins and every admin action. */
export async function recordAudit(opts: {
  db: Db | Tx;
  action: string;
  actorId?: string | null;
  dealershipId?: string | null;
  targetType?: string;
  targetId?: string;
  meta?: Record<string, unknown>;
  ip?: string | null;
}): Promise<void> {
  await opts.db.insert(auditLog).values({
    action: opts.action,
    actorId: opts.actorId ?? null,
    dealershipId: opts.dealershipId ?? null,
    targetType: opts.targetType,
    targetId: opts.targetId,
    meta: opts.meta ?? {},
    ip: opts.ip ?? null,
  });
}
