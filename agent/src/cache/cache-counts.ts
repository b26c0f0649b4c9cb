/**
 * Hit and miss counts of this process's caches, by cache name, for the agent's metrics (they only
 * grow). A miss is a computation (an embedding call); a hit is one avoided.
 */
const counts = new Map<string, { hits: number; misses: number }>();

function countsOf(cache: string) {
  let c = counts.get(cache);
  if (!c) counts.set(cache, (c = { hits: 0, misses: 0 }));
  return c;
}

export function countAgentCacheHit(cache: string): void {
  countsOf(cache).hits++;
}

export function countAgentCacheMiss(cache: string): void {
  countsOf(cache).misses++;
}

export function agentCacheHits(): { cache: string; value: number }[] {
  return [...counts].map(([cache, c]) => ({ cache, value: c.hits }));
}

export function agentCacheMisses(): { cache: string; value: number }[] {
  return [...counts].map(([cache, c]) => ({ cache, value: c.misses }));
}
