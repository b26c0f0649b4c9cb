import { createMemoryCacheStore, type TCacheStore } from '@avatar-adam/db';
import { describe, expect, it } from 'vitest';
import { cacheHits, cacheMisses } from './cache-metrics';
import { createTtlCache } from './ttl-cache';

/*
 * Two web instances = two caches over one shared store. The in-process store stands in for Redis
 * here (same interface); the Redis store itself is exercised against a real redis-server in
 * cache.redis.integration.test.ts and test/shared-redis.integration.test.ts.
 */
function clock() {
  let t = 10_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}
const settle = () => new Promise((r) => setTimeout(r, 0));
const hitsOf = (name: string) => Object.fromEntries(cacheHits().filter((h) => h.cache === name).map((h) => [h.tier, h.value]));
const missesOf = (name: string) => cacheMisses().find((m) => m.cache === name)?.value ?? 0;

describe('createTtlCache with a shared store', () => {
  it('serves a value computed by one instance to the other, expiring when the original does', async () => {
    const c = clock();
    const shared = createMemoryCacheStore<string>({ maxEntries: 100, now: c.now });
    const options = { name: 'shared-a', ttlMs: 1000, staleMs: 0, maxEntries: 10, now: c.now, shared: () => shared };
    const [a, b] = [createTtlCache<string>(options), createTtlCache<string>(options)];
    let calls = 0;
    const compute = () => Promise.resolve(`v${++calls}`);

    expect(await a.get('k', compute)).toBe('v1');
    await settle();
    c.advance(600);
    expect(await b.get('k', compute)).toBe('v1');
    expect(calls).toBe(1);
    // B's copy is as old as A's computation, not as old as B's read.
    c.advance(400);
    expect(await b.get('k', compute)).toBe('v2');
    expect(hitsOf('shared-a')).toEqual({ local: 0, shared: 1 });
    expect(missesOf('shared-a')).toBe(2);
  });

  it('takes another instance\'s refresh instead of computing again', async () => {
    const c = clock();
    const shared = createMemoryCacheStore<string>({ maxEntries: 100, now: c.now });
    const options = { name: 'shared-b', ttlMs: 1000, staleMs: 5000, maxEntries: 10, now: c.now, shared: () => shared };
    const [a, b] = [createTtlCache<string>(options), createTtlCache<string>(options)];
    await a.get('k', () => Promise.resolve('old'));
    await b.get('k', () => Promise.resolve('unused'));
    await settle();
    c.advance(1500);
    // A serves its stale copy and refreshes; B, stale too, picks A's refresh up from the store.
    expect(await a.get('k', () => Promise.resolve('new'))).toBe('old');
    await settle();
    expect(await b.get('k', () => Promise.resolve('computed by b'))).toBe('old');
    await settle();
    expect(await b.get('k', () => Promise.resolve('unused'))).toBe('new');
  });

  it('computes locally when the shared store fails, and reports the failure', async () => {
    const errors: unknown[] = [];
    const broken: TCacheStore<string> = {
      kind: 'redis',
      get: () => Promise.reject(new Error('connection refused')),
      set: () => Promise.reject(new Error('connection refused')),
      delete: () => Promise.reject(new Error('connection refused')),
    };
    const cache = createTtlCache<string>({ name: 'shared-c', ttlMs: 1000, staleMs: 0, maxEntries: 10, shared: () => broken, onSharedError: (e) => errors.push(e) });
    expect(await cache.get('k', () => Promise.resolve('computed'))).toBe('computed');
    expect(await cache.get('k', () => Promise.resolve('again'))).toBe('computed');
    await settle();
    expect(errors).toHaveLength(2);
  });

  it('prepares values read from the shared store with adopt', async () => {
    const shared = createMemoryCacheStore<{ n: number }>({ maxEntries: 10 });
    const seen: object[] = [];
    const options = { name: 'shared-d', ttlMs: 60_000, staleMs: 0, maxEntries: 10, shared: () => shared };
    await createTtlCache(options).get('k', () => Promise.resolve({ n: 1 }));
    await settle();
    const other = createTtlCache({ ...options, adopt: (v: { n: number }) => (seen.push(v), v) });
    expect(await other.get('k', () => Promise.resolve({ n: 2 }))).toEqual({ n: 1 });
    expect(seen).toHaveLength(1);
  });
});
