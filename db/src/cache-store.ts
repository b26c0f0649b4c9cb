/**
 * A small key → value cache with a time to live, in two implementations chosen at start: in this
 * process (LRU, for a single instance and the embedded mode) or in Redis (shared by every web
 * instance and agent process). Callers keep their own policy (stale-while-refresh, single flight);
 * a store only keeps entries and says when each was computed, so a value computed by one instance
 * expires at the same moment on all of them.
 */
export type TCached<V> = { value: V; storedAt: number };

export type TCacheStore<V> = {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<TCached<V> | undefined>;
  set(key: string, entry: TCached<V>, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
};

/** The part of an ioredis client a store uses; structural, so this package needs no Redis driver. */
export type TRedisLike = {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'PX', ms: number): Promise<unknown>;
  del(key: string): Promise<number>;
};

export type TCodec<V> = { encode(value: V): string; decode(text: string): V };

export const jsonCodec: TCodec<unknown> = { encode: (v) => JSON.stringify(v), decode: (t) => JSON.parse(t) as unknown };

/** In-process: the least recently used entry goes first past `maxEntries`; expired entries read as absent. */
export function createMemoryCacheStore<V>(opts: { maxEntries: number; now?: () => number }): TCacheStore<V> {
  const now = opts.now ?? Date.now;
  const entries = new Map<string, TCached<V> & { expiresAt: number }>();
  return {
    kind: 'memory',
    async get(key) {
      const hit = entries.get(key);
      if (!hit) return undefined;
      entries.delete(key);
      if (hit.expiresAt <= now()) return undefined;
      entries.set(key, hit);
      return { value: hit.value, storedAt: hit.storedAt };
    },
    async set(key, entry, ttlMs) {
      entries.delete(key);
      entries.set(key, { ...entry, expiresAt: now() + ttlMs });
      for (const oldest of entries.keys()) {
        if (entries.size <= opts.maxEntries) break;
        entries.delete(oldest);
      }
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}

/**
 * In Redis, under `prefix` (one per cache, so caches never read each other's entries). Redis
 * expires the key; the value carries its computation time. Errors reach the caller, who decides
 * whether a Redis outage is a miss (caches) or something to report.
 */
export function createRedisCacheStore<V>(opts: { redis: TRedisLike; prefix: string; codec: TCodec<V> }): TCacheStore<V> {
  const keyOf = (key: string) => `${opts.prefix}:${key}`;
  return {
    kind: 'redis',
    async get(key) {
      const text = await opts.redis.get(keyOf(key));
      if (text === null) return undefined;
      const newline = text.indexOf('\n');
      const storedAt = Number(text.slice(0, newline));
      if (newline < 0 || !Number.isFinite(storedAt)) return undefined;
      return { storedAt, value: opts.codec.decode(text.slice(newline + 1)) };
    },
    async set(key, entry, ttlMs) {
      await opts.redis.set(keyOf(key), `${entry.storedAt}\n${opts.codec.encode(entry.value)}`, 'PX', Math.max(1, Math.ceil(ttlMs)));
    },
    async delete(key) {
      await opts.redis.del(keyOf(key));
    },
  };
}
