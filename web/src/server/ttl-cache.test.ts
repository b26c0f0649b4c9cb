import { describe, expect, it } from 'vitest';
import { createTtlCache } from './ttl-cache';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('createTtlCache', () => {
  it('computes a key once per TTL, and again after it', async () => {
    const c = clock();
    const cache = createTtlCache<number>({ name: 'test', ttlMs: 1000, staleMs: 0, maxEntries: 10, now: c.now });
    let calls = 0;
    const compute = () => Promise.resolve(++calls);
    expect(await cache.get('a', compute)).toBe(1);
    c.advance(999);
    expect(await cache.get('a', compute)).toBe(1);
    c.advance(1);
    expect(await cache.get('a', compute)).toBe(2);
    expect(await cache.get('b', compute)).toBe(3);
  });

  it('shares one computation between concurrent misses of a key', async () => {
    const cache = createTtlCache<string>({ name: 'test', ttlMs: 1000, staleMs: 0, maxEntries: 10 });
    let calls = 0;
    let release!: (v: string) => void;
    const compute = () => {
      calls++;
      return new Promise<string>((resolve) => (release = resolve));
    };
    const both = Promise.all([cache.get('k', compute), cache.get('k', compute)]);
    release('done');
    expect(await both).toEqual(['done', 'done']);
    expect(calls).toBe(1);
  });

  it('serves a stale value while one background computation replaces it', async () => {
    const c = clock();
    const cache = createTtlCache<number>({ name: 'test', ttlMs: 1000, staleMs: 5000, maxEntries: 10, now: c.now });
    let calls = 0;
    let release: (() => void) | undefined;
    const slow = () => {
      calls++;
      const n = calls;
      return n === 1 ? Promise.resolve(n) : new Promise<number>((resolve) => (release = () => resolve(n)));
    };
    expect(await cache.get('k', slow)).toBe(1);
    c.advance(1500);
    // Expired but within the stale window: the old value at once, one refresh started.
    expect(await cache.get('k', slow)).toBe(1);
    expect(await cache.get('k', slow)).toBe(1);
    expect(calls).toBe(2);
    release!();
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get('k', slow)).toBe(2);
    // Past the stale window the caller waits for a fresh value.
    c.advance(10_000);
    const waiting = cache.get('k', slow);
    release!();
    expect(await waiting).toBe(3);
  });

  it('keeps the stale value when its refresh fails', async () => {
    const c = clock();
    const cache = createTtlCache<string>({ name: 'test', ttlMs: 1000, staleMs: 5000, maxEntries: 10, now: c.now });
    await cache.get('k', () => Promise.resolve('old'));
    c.advance(1500);
    expect(await cache.get('k', () => Promise.reject(new Error('db down')))).toBe('old');
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get('k', () => Promise.resolve('new'))).toBe('old');
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get('k', () => Promise.resolve('newer'))).toBe('new');
  });

  it('does not keep a failure', async () => {
    const cache = createTtlCache<string>({ name: 'test', ttlMs: 1000, staleMs: 0, maxEntries: 10 });
    await expect(cache.get('k', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await cache.get('k', () => Promise.resolve('recovered'))).toBe('recovered');
  });

  it('drops the least recently used entry past the limit', async () => {
    const cache = createTtlCache<string>({ name: 'test', ttlMs: 1000, staleMs: 0, maxEntries: 2 });
    await cache.get('a', () => Promise.resolve('a1'));
    await cache.get('b', () => Promise.resolve('b1'));
    await cache.get('a', () => Promise.resolve('a2'));
    await cache.get('c', () => Promise.resolve('c1'));
    expect(cache.size).toBe(2);
    expect(await cache.get('a', () => Promise.resolve('a3'))).toBe('a1');
    expect(await cache.get('b', () => Promise.resolve('b2'))).toBe('b2');
  });
});
