import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { getRedis } from '../redis';

/** Document uploads per dealership per window: a busy afternoon of uploads, not a script's flood. */
export const UPLOADS_PER_WINDOW = 30;
export const UPLOAD_WINDOW_SECONDS = 10 * 60;

export type TUploadLimiter = {
  /** Counts an upload for the dealership; when over the limit, how long until the next is allowed. */
  take(dealershipId: string): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }>;
};

/**
 * Upload throttling per dealership (every manager of it counts together). In Redis when given, so
 * every web instance counts the same uploads; while Redis is unreachable each instance counts for
 * itself (the insurance limiter) and uploads keep working.
 */
export function createUploadLimiter(opts: { redis?: Redis; points?: number; durationSeconds?: number } = {}): TUploadLimiter {
  const options = { keyPrefix: 'document_upload', points: opts.points ?? UPLOADS_PER_WINDOW, duration: opts.durationSeconds ?? UPLOAD_WINDOW_SECONDS };
  const store = opts.redis
    ? new RateLimiterRedis({ storeClient: opts.redis, ...options, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(options) })
    : new RateLimiterMemory(options);
  return {
    async take(dealershipId) {
      try {
        await store.consume(dealershipId);
        return { allowed: true };
      } catch (error) {
        if (error instanceof RateLimiterRes) return { allowed: false, retryAfterMs: Math.max(error.msBeforeNext, 1) };
        throw error;
      }
    },
  };
}

let processLimiter: TUploadLimiter | undefined;

/** The process-wide limiter (a per-request one would never limit), on Redis when configured. */
export function getUploadLimiter(): TUploadLimiter {
  processLimiter ??= createUploadLimiter({ redis: getRedis() });
  return processLimiter;
}

/** What a manager over the limit reads. */
export function uploadLimitMessage(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `Your dealership has uploaded ${UPLOADS_PER_WINDOW} documents in the last ${UPLOAD_WINDOW_SECONDS / 60} minutes, the most allowed. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}
