import type { Redis } from 'ioredis';
import { RateLimiterMemory, type RateLimiterAbstract, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** Reset emails per address per hour: enough for a lost first mail, not enough to flood an inbox. */
export const RESET_EMAILS_PER_HOUR = 3;

export type TResetLimiter = {
  /** Counts a reset request for `email`; false once the hourly allowance is used up. */
  allow(email: string): Promise<boolean>;
};

const options = { keyPrefix: 'password_reset', points: RESET_EMAILS_PER_HOUR, duration: 60 * 60 };

/** In-process counts by default; pass a Redis client so every web instance shares them. */
export function createResetLimiter(redis?: Redis): TResetLimiter {
  const store: RateLimiterAbstract = redis
    ? new RateLimiterRedis({ storeClient: redis, ...options, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(options) })
    : new RateLimiterMemory(options);
  return {
    async allow(email) {
      try {
        await store.consume(email.trim().toLowerCase());
        return true;
      } catch (error) {
        if (error instanceof RateLimiterRes) return false;
        throw error;
      }
    },
  };
}
