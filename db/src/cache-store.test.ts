import { describe, expect, it } from 'vitest';
import { createMemoryCacheStore } from './cache-store';

describe('in-process cache store', () => {
  it('returns an entry with its computation time until its time to live has passed', async () => {
    let t = 1_000;
    const store = createMemoryCacheStore<string>({ maxEntries: 10, now: () => t });
    await store.set('k', { value: 'v', storedAt: 900 }, 500);
    t += 499;
    expect(await store.get('k')).toEqual({ value: 'v', storedAt: 900 });
    t += 1;
    expect(await store.get('k')).toBeUndefined();
  });

  it('drops the least recently used entry past its size', async () => {
    const store = createMemoryCacheStore<number>({ maxEntries: 2 });
    await store.set('a', { value: 1, storedAt: 0 }, 60_000);
    await store.set('b', { value: 2, storedAt: 0 }, 60_000);
    await store.get('a');
    await store.set('c', { value: 3, storedAt: 0 }, 60_000);
    expect(await store.get('b')).toBeUndefined();
    expect((await store.get('a'))?.value).toBe(1);
    expect((await store.get('c'))?.value).toBe(3);
    await store.delete('c');
    expect(await store.get('c')).toBeUndefined();
  });
});
