import { createDb, type DbHandle } from '@avatar-adam/db';
import { env } from '@/env';

const cache = globalThis as unknown as { avatarAdamDb?: Promise<DbHandle> };

/**
 * The process-wide database handle, opened on first use. Cached on globalThis because dev HMR
 * re-evaluates modules, and each evaluation would otherwise open another connection pool (or
 * fail outright: an embedded PGlite directory can only be opened once).
 */
export function getDb(): Promise<DbHandle> {
  cache.avatarAdamDb ??= createDb({ url: env.DATABASE_URL }).catch((error: unknown) => {
    // Let the next request retry instead of caching the failure for the life of the process.
    cache.avatarAdamDb = undefined;
    throw error;
  });
  return cache.avatarAdamDb;
}
