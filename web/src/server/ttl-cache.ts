import type { TCacheStore, TCached } from '@avatar-adam/db';
import { countCacheHit, countCacheMiss } from './cache-metrics';

type TEntry<V> = { storedAt: number; value: Promise<V>; settled: boolean; refreshing: boolean };

export type TTtlCacheOptions<V> = {
  /** Names the cache in hit/miss counts (and, in the shared store, its keys). */
  name: string;
  ttlMs: number;
  staleMs: number;
  maxEntries: number;
  now?: () => number;
  /**
   * A store every instance shares (Redis), consulted when this instance has no fresh entry and
   * written after each computation, so a value computed by one instance is a hit on the others.
   * A failing shared store counts as empty: the value is computed here.
   */
  shared?: () => TCacheStore<V> | undefined;
  /** Prepares a value read from the shared store before this instance keeps it (serializeOnce). */
  adopt?: (value: V) => V;
  onSharedError?: (error: unknown) => void;
};

/**
 * A cache for expensive reads that may be a little stale. A value is fresh for `ttlMs`; after that,
 * for up to `staleMs` more, callers still get it at once while one background computation replaces
 * it (so nobody waits when a popular entry expires under load). Concurrent misses of a key share a
 * single computation, failures are not kept (a failed refresh keeps the old value), and the least
 * recently used entry goes first past `maxEntries`. Entries live in this instance; with a shared
 * store they are also read from and written to it, carrying the time they were computed, so every
 * instance sees a value expire at the same moment.
 */
export function createTtlCache<V>(opts: TTtlCacheOptions<V>) {
  const now = opts.now ?? Date.now;
  const entries = new Map<string, TEntry<V>>();
  const adopt = opts.adopt ?? ((v: V) => v);

  function store(key: string, loading: Promise<TCached<V>>, compute: () => Promise<V>): TEntry<V> {
    const entry: TEntry<V> = { storedAt: now(), value: loading.then((c) => c.value), settled: false, refreshing: false };
    entries.delete(key);
    entries.set(key, entry);
    loading.then(
      (cached) => {
        entry.storedAt = cached.storedAt;
        entry.settled = true;
        // Another instance's entry that is already past its TTL: served, and replaced at once.
        if (now() - cached.storedAt >= opts.ttlMs && entries.get(key) === entry) refresh(key, entry, compute);
      },
      () => entries.get(key) === entry && entries.delete(key),
    );
    for (const oldest of entries.keys()) {
      if (entries.size <= opts.maxEntries) break;
      entries.delete(oldest);
    }
    return entry;
  }

  /** The shared entry if it is usable (fresh, or stale when `acceptStale`), else a computation. */
  function load(key: string, compute: () => Promise<V>, mode: { count: boolean; acceptStale: boolean }): Promise<TCached<V>> {
    const shared = opts.shared?.();
    const computeHere = async () => {
      if (mode.count) countCacheMiss(opts.name);
      const computed = { value: await compute(), storedAt: now() };
      shared?.set(key, computed, opts.ttlMs + opts.staleMs).catch((error: unknown) => opts.onSharedError?.(error));
      return computed;
    };
    // Without a shared store the computation starts synchronously, as concurrent callers expect.
    if (!shared) return computeHere();
    return shared.get(key).then(
      (found) => {
        const age = found ? now() - found.storedAt : Infinity;
        if (!found || !(age < opts.ttlMs || (mode.acceptStale && age < opts.ttlMs + opts.staleMs))) return computeHere();
        if (mode.count) countCacheHit(opts.name, 'shared');
        return { value: adopt(found.value), storedAt: found.storedAt };
      },
      (error: unknown) => {
        opts.onSharedError?.(error);
        return computeHere();
      },
    );
  }

  function refresh(key: string, stale: TEntry<V>, compute: () => Promise<V>) {
    stale.refreshing = true;
    load(key, compute, { count: false, acceptStale: false }).then(
      (fresh) => entries.get(key) === stale && store(key, Promise.resolve(fresh), compute),
      () => (stale.refreshing = false),
    );
  }

  return {
    get(key: string, compute: () => Promise<V>): Promise<V> {
      const hit = entries.get(key);
      if (hit) {
        // Re-inserted so Map order stays least-recently-used first.
        entries.delete(key);
        entries.set(key, hit);
        const age = now() - hit.storedAt;
        if (age < opts.ttlMs || !hit.settled) {
          countCacheHit(opts.name, 'local');
          return hit.value;
        }
        if (age < opts.ttlMs + opts.staleMs) {
          if (!hit.refreshing) refresh(key, hit, compute);
          countCacheHit(opts.name, 'local');
          return hit.value;
        }
      }
      return store(key, load(key, compute, { count: true, acceptStale: true }), compute).value;
    },
    get size() {
      return entries.size;
    },
  };
}
