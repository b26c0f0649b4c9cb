import { AGENT_CACHES } from '../metrics/events';
import { processMetricSink } from '../metrics/reporter';

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

/** Counted here and reported to the worker's /metrics (one buffered socket write, never awaited). */
export function countAgentCacheHit(cache: string): void {
  countsOf(cache).hits++;
  report(cache, true);
}

export function countAgentCacheMiss(cache: string): void {
  countsOf(cache).misses++;
  report(cache, false);
}

function report(cache: string, hit: boolean): void {
  const known = AGENT_CACHES.find((c) => c === cache);
  if (known) processMetricSink().send({ t: 'cache', cache: known, hit });
}

export function agentCacheHits(): { cache: string; value: number }[] {
  return [...counts].map(([cache, c]) => ({ cache, value: c.hits }));
}

export function agentCacheMisses(): { cache: string; value: number }[] {
  return [...counts].map(([cache, c]) => ({ cache, value: c.misses }));
}
