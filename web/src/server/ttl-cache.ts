type TEntry<V> = { storedAt: number; value: Promise<V>; settled: boolean; refreshing: boolean };

/**
 * A small in-process cache for expensive reads that may be a little stale. A value is fresh for
 * `ttlMs`; after that, for up to `staleMs` more, callers still get it at once while one background
 * computation replaces it (so nobody waits when a popular entry expires under load). Concurrent
 * misses of a key share a single computation, failures are not kept (a failed refresh keeps the
 * old value), and the least recently used entry goes first past `maxEntries`. Per web instance.
 */
export function createTtlCache<V>(opts: { ttlMs: number; staleMs: number; maxEntries: number; now?: () => number }) {
  const now = opts.now ?? Date.now;
  const entries = new Map<string, TEntry<V>>();

  function store(key: string, value: Promise<V>): TEntry<V> {
    const entry: TEntry<V> = { storedAt: now(), value, settled: false, refreshing: false };
    entries.delete(key);
    entries.set(key, entry);
    value.then(
      () => (entry.settled = true),
      () => entries.get(key) === entry && entries.delete(key),
    );
    for (const oldest of entries.keys()) {
      if (entries.size <= opts.maxEntries) break;
      entries.delete(oldest);
    }
    return entry;
  }

  function refresh(key: string, stale: TEntry<V>, compute: () => Promise<V>) {
    stale.refreshing = true;
    compute().then(
      (fresh) => entries.get(key) === stale && store(key, Promise.resolve(fresh)),
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
        if (age < opts.ttlMs || !hit.settled) return hit.value;
        if (age < opts.ttlMs + opts.staleMs) {
          if (!hit.refreshing) refresh(key, hit, compute);
          return hit.value;
        }
      }
      return store(key, compute()).value;
    },
    get size() {
      return entries.size;
    },
  };
}
