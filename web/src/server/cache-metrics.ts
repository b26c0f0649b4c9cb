/**
 * Hit and miss counts of the web's caches, by cache name, for the metrics endpoint. A hit served
 * from this instance and one fetched from Redis (computed by another instance) are told apart by
 * `tier`; a miss is a computation. Kept on globalThis because `next dev` re-evaluates modules.
 */
export type TCacheTier = 'local' | 'shared';
type TCounts = { hits: Record<TCacheTier, number>; misses: number };

const KEY = Symbol.for('avatar-adam.web-cache-counts');
const holder = globalThis as typeof globalThis & { [KEY]?: Map<string, TCounts> };
const counts = (holder[KEY] ??= new Map());

function countsOf(cache: string): TCounts {
  let c = counts.get(cache);
  if (!c) counts.set(cache, (c = { hits: { local: 0, shared: 0 }, misses: 0 }));
  return c;
}

export function countCacheHit(cache: string, tier: TCacheTier): void {
  countsOf(cache).hits[tier]++;
}

export function countCacheMiss(cache: string): void {
  countsOf(cache).misses++;
}

/** Hits so far, by cache and tier (counters: they only grow). */
export function cacheHits(): { cache: string; tier: TCacheTier; value: number }[] {
  return [...counts].flatMap(([cache, c]) => (['local', 'shared'] as const).map((tier) => ({ cache, tier, value: c.hits[tier] })));
}

/** Misses (computations) so far, by cache. */
export function cacheMisses(): { cache: string; value: number }[] {
  return [...counts].map(([cache, c]) => ({ cache, value: c.misses }));
}
