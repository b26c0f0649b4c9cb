import { type Db, type TAuthUser, recordAudit, verifyCredentials } from '@avatar-adam/db';
import { enqueueCoachGreetings } from '@avatar-adam/db/job-queue';
import type { Logger } from 'pino';
import { z } from 'zod';
import { SIGN_IN_LOCKED, SIGN_IN_UNAVAILABLE } from '@/lib/sign-in-errors';
import type { TLoginLimiter } from './login-limiter';

export const ZCredentials = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(512),
});

/** next-auth forwards a thrown message to the browser: only these codes are ever thrown. */
export class SignInRefused extends Error {}

/**
 * The credentials check behind next-auth's `authorize`: throttled per account and per address,
 * every attempt audited. Returns the user, or null for wrong credentials; throws `SignInRefused`
 * with a code the sign-in form explains (locked out, service unavailable).
 */
export async function authorizeCredentials(opts: {
  db: Db;
  limiter: TLoginLimiter;
  credentials: unknown;
  ip: string;
  logger: Logger;
}): Promise<TAuthUser | null> {
  const parsed = ZCredentials.safeParse(opts.credentials);
  if (!parsed.success) return null;
  const { email } = parsed.data;
  const attemptedEmail = email.toLowerCase();
  try {
    // Checked before the password: a locked account answers the same whether or not it is right.
    const lockedMs = await opts.limiter.lockedForMs({ email, ip: opts.ip });
    if (lockedMs > 0) {
      await recordAudit({ db: opts.db, action: 'auth.sign_in_locked', actorId: null, dealershipId: null, meta: { attemptedEmail }, ip: opts.ip });
      throw new SignInRefused(SIGN_IN_LOCKED);
    }
    const user = await verifyCredentials({ db: opts.db, ...parsed.data });
    if (user) {
      await opts.limiter.recordSuccess({ email });
      await recordAudit({ db: opts.db, action: 'auth.sign_in', actorId: user.id, dealershipId: user.dealershipId, ip: opts.ip });
      // A coach greeting names the trainee: the job worker synthesises theirs while they find the
      // practice page, so their first coach session greets as fast as a role-play. Never fails sign-in.
      if (user.dealershipId) {
        await enqueueCoachGreetings({ db: opts.db, user: { id: user.id, dealershipId: user.dealershipId } }).catch((error: unknown) =>
          opts.logger.warn({ err: error }, 'could not ask for the coach greetings'),
        );
      }
      return user;
    }
    const lockedNowMs = await opts.limiter.recordFailure({ email, ip: opts.ip });
    await recordAudit({
      db: opts.db,
      action: lockedNowMs > 0 ? 'auth.locked_out' : 'auth.sign_in_failed',
      actorId: null,
      dealershipId: null,
      meta: { attemptedEmail, ...(lockedNowMs > 0 ? { lockedForSeconds: Math.ceil(lockedNowMs / 1000) } : {}) },
      ip: opts.ip,
    });
    return null;
  } catch (error) {
    if (error instanceof SignInRefused) throw error;
    opts.logger.error({ err: error }, 'sign-in check failed');
    throw new SignInRefused(SIGN_IN_UNAVAILABLE);
  }
}

/** The caller's address as the proxy in front of the app reports it (first `x-forwarded-for` hop). */
export function clientAddress(headers: Record<string, string | string[] | undefined> | undefined): string {
  const forwarded = headers?.['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first || 'unknown';
}
