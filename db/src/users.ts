import { and, eq, sql } from 'drizzle-orm';
import type { Db } from './client';
import { randomUUID } from 'node:crypto';
import { hashPassword, verifyPassword } from './passwords';
import { dealerships, users } from './schema';

export type TAuthUser = {
  id: string;
  email: string;
  name: string;
  role: 'super_admin' | 'dealership_admin' | 'trainee';
  dealershipId: string | null;
};

/**
 * Checks an email/password pair. Returns null for any failure (unknown email, wrong password,
 * disabled user, suspended dealership) so callers cannot tell which, and spends the same hashing
 * time either way so response timing does not reveal whether the email exists.
 */
export async function verifyCredentials(opts: {
  db: Db;
  email: string;
  password: string;
}): Promise<TAuthUser | null> {
  const email = opts.email.trim().toLowerCase();
  const [row] = await opts.db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      status: users.status,
      dealershipId: users.dealershipId,
      passwordHash: users.passwordHash,
      dealershipStatus: dealerships.status,
    })
    .from(users)
    .leftJoin(dealerships, eq(dealerships.id, users.dealershipId))
    .where(eq(sql`lower(${users.email})`, email))
    .limit(1);
  const ok = await verifyPassword(row?.passwordHash ?? (await dummyHash()), opts.password);
  if (!row || !ok || row.status !== 'active') return null;
  if (row.dealershipId && row.dealershipStatus !== 'active') return null;
  await opts.db.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, row.id));
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    dealershipId: row.dealershipId,
  };
}

/** A user of the given dealership, or null: the tenant-scoped lookup. */
export async function getDealershipUser(opts: { db: Db; dealershipId: string; userId: string }) {
  const [row] = await opts.db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role })
    .from(users)
    .where(and(eq(users.id, opts.userId), eq(users.dealershipId, opts.dealershipId)))
    .limit(1);
  return row ?? null;
}

// Verified against when the email is unknown, so timing does not reveal which emails exist.
let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomUUID());
  return dummy;
}
