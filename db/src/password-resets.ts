import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from './client';
import { AppError } from './errors';
import { checkPasswordStrength, hashPassword } from './passwords';
import { dealerships, passwordResets, users } from './schema';
import { createEmailToken, hashEmailToken } from './tokens';

export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;

/**
 * Starts a reset for an active account. Returns the token for the emailed link, or null when the
 * email is unknown or the account (or its dealership) is disabled; the caller must answer the
 * same either way so the form cannot be used to find out who has an account.
 */
export async function requestPasswordReset(opts: {
  db: Db;
  email: string;
  now?: Date;
}): Promise<{ token: string; userId: string; email: string; name: string; dealershipId: string | null } | null> {
  const email = opts.email.trim().toLowerCase();
  const now = opts.now ?? new Date();
  const [user] = await opts.db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      status: users.status,
      dealershipId: users.dealershipId,
      dealershipStatus: dealerships.status,
    })
    .from(users)
    .leftJoin(dealerships, eq(dealerships.id, users.dealershipId))
    .where(eq(sql`lower(${users.email})`, email))
    .limit(1);
  if (!user || user.status !== 'active') return null;
  if (user.dealershipId && user.dealershipStatus !== 'active') return null;
  const { token, tokenHash } = createEmailToken();
  await opts.db.insert(passwordResets).values({
    userId: user.id,
    tokenHash,
    expiresAt: new Date(now.getTime() + PASSWORD_RESET_TTL_MS),
  });
  return { token, userId: user.id, email: user.email, name: user.name, dealershipId: user.dealershipId };
}

/**
 * Redeems a reset token: sets the new password, marks the token used and voids every other
 * outstanding reset of the same user, all in one transaction.
 */
export async function resetPassword(opts: {
  db: Db;
  token: string;
  password: string;
  now?: Date;
}): Promise<{ userId: string; dealershipId: string | null }> {
  const weak = checkPasswordStrength(opts.password);
  if (weak) throw new AppError('BAD_REQUEST', { message: 'weak password', userMessage: weak });
  const now = opts.now ?? new Date();
  const passwordHash = await hashPassword(opts.password);
  return opts.db.transaction(async (tx) => {
    const [reset] = await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(
        and(
          eq(passwordResets.tokenHash, hashEmailToken(opts.token)),
          isNull(passwordResets.usedAt),
          gt(passwordResets.expiresAt, now),
        ),
      )
      .returning({ userId: passwordResets.userId });
    if (!reset) {
      throw new AppError('BAD_REQUEST', {
        message: 'reset token not usable',
        userMessage: 'This reset link is invalid, expired or already used. Request a new one.',
      });
    }
    await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.userId, reset.userId), isNull(passwordResets.usedAt)));
    const [user] = await tx
      .update(users)
      .set({ passwordHash })
      .where(eq(users.id, reset.userId))
      .returning({ id: users.id, dealershipId: users.dealershipId });
    return { userId: user!.id, dealershipId: user!.dealershipId };
  });
}
