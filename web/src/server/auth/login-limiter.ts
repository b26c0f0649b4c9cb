import type { Redis } from 'ioredis';
import { RateLimiterMemory, type RateLimiterAbstract, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** Failed sign-ins allowed per account before it is locked, and for how long. */
export const ACCOUNT_FAILURES = 5;
export const ACCOUNT_WINDOW_SECONDS = 15 * 60;
/** Failed sign-ins allowed from one address across all accounts (password spraying). */
export const ADDRESS_FAILURES = 50;
export const ADDRESS_WINDOW_SECONDS = 60 * 60;

export type TLoginLimiter = {
  /** Milliseconds until the next attempt is allowed, or 0 when it is allowed now. */
  lockedForMs(opts: { email: string; ip: string }): Promise<number>;
  /** Counts a failure; returns the lock length in ms when this failure locked the account or address. */
  recordFailure(opts: { email: string; ip: string }): Promise<number>;
  recordSuccess(opts: { email: string }): Promise<void>;
};

/**
 * Login throttling with lockout on rate-limiter-flexible (the well-kept library for this; the
 * "failed logins by account and by address" pattern from its docs). In-process stores by default;
 * pass shared stores (Redis) so several web instances count together.
 */
export function createLoginLimiter(
  stores: { byAccount?: RateLimiterAbstract; byAddress?: RateLimiterAbstract } = {},
): TLoginLimiter {
  const byAccount =
    stores.byAccount ??
    new RateLimiterMemory({ keyPrefix: 'login_fail_account', points: ACCOUNT_FAILURES, duration: ACCOUNT_WINDOW_SECONDS, blockDuration: ACCOUNT_WINDOW_SECONDS });
  const byAddress =
    stores.byAddress ??
    new RateLimiterMemory({ keyPrefix: 'login_fail_address', points: ADDRESS_FAILURES, duration: ADDRESS_WINDOW_SECONDS, blockDuration: ADDRESS_WINDOW_SECONDS });
  const accountKey = (email: string) => email.trim().toLowerCase();

  const remainingLock = (res: RateLimiterRes | null, limit: number) =>
    res && res.consumedPoints >= limit ? Math.max(res.msBeforeNext, 1) : 0;

  return {
    async lockedForMs({ email, ip }) {
      const [account, address] = await Promise.all([byAccount.get(accountKey(email)), byAddress.get(ip)]);
      return Math.max(remainingLock(account, byAccount.points), remainingLock(address, byAddress.points));
    },
    async recordFailure({ email, ip }) {
      const results = await Promise.all(
        [
          [byAccount, byAccount.consume(accountKey(email))] as const,
          [byAddress, byAddress.consume(ip)] as const,
        ].map(([store, consumed]) =>
          // The failure that reaches the limit locks; a rejection with a RateLimiterRes is "over
          // the limit", not an error.
          consumed.then(
            (res) => remainingLock(res, store.points),
            (res: unknown) => {
              if (res instanceof RateLimiterRes) return Math.max(res.msBeforeNext, 1);
              throw res;
            },
          ),
        ),
      );
      return Math.max(...results);
    },
    async recordSuccess({ email }) {
      await byAccount.delete(accountKey(email));
    },
  };
}

/**
 * The same limits counted in Redis, so every web instance sees every failure: the N+1st attempt is
 * refused whichever instance it reaches. If Redis is unreachable, each instance falls back to its
 * own in-process count (the library's insurance limiter) and keeps serving sign-ins.
 */
export function createRedisLoginLimiter(redis: Redis): TLoginLimiter {
  const store = (keyPrefix: string, points: number, seconds: number) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix,
      points,
      duration: seconds,
      blockDuration: seconds,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: seconds, blockDuration: seconds }),
    });
  return createLoginLimiter({
    byAccount: store('login_fail_account', ACCOUNT_FAILURES, ACCOUNT_WINDOW_SECONDS),
    byAddress: store('login_fail_address', ADDRESS_FAILURES, ADDRESS_WINDOW_SECONDS),
  });
}
