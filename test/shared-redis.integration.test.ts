import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_FAILURES } from '../web/src/server/auth/login-limiter';
import { type TestRedis, startRedis } from './harness/redis';
import { type TWebInstance, startRedisWebInstance, waitForSharedRedis } from './harness/redis-web-instances';

/*
 * Two web instances — two Node processes, each with its own Redis client, login limiter, upload
 * limiter and cache built by the product code — against one real redis-server: limits and cached
 * values are shared, and a Redis restart in the middle neither stops them answering nor keeps
 * them apart once it is back.
 */
let redis: TestRedis;
let a: TWebInstance;
let b: TWebInstance;

beforeAll(async () => {
  redis = await startRedis();
  [a, b] = await Promise.all([
    startRedisWebInstance({ name: 'a', redisUrl: redis.url }),
    startRedisWebInstance({ name: 'b', redisUrl: redis.url }),
  ]);
  await waitForSharedRedis([a, b]);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
});

type TLock = { lockedForMs: number };
const fail = (i: TWebInstance, email: string) => i.call<TLock>('/login-failure', { email, ip: '203.0.113.70' });
const locked = async (i: TWebInstance, email: string) => (await i.call<TLock>('/login-locked', { email, ip: '203.0.113.70' })).result.lockedForMs;
const cached = async (i: TWebInstance, key: string) => (await i.call<{ computedBy: string }>('/cache', { key })).result.computedBy;

/** Failures alternate between the instances; the account is locked once, whichever instance is asked. */
async function expectSharedLockout(email: string) {
  for (let n = 0; n < ACCOUNT_FAILURES - 1; n++) expect((await fail(n % 2 ? a : b, email)).result.lockedForMs).toBe(0);
  expect(await locked(a, email)).toBe(0);
  expect((await fail(a, email)).result.lockedForMs).toBeGreaterThan(0);
  expect(await locked(a, email)).toBeGreaterThan(0);
  expect(await locked(b, email)).toBeGreaterThan(0);
}

describe('two web instances sharing one Redis', () => {
  it('refuses the sign-in after the limit whichever instance it reaches', async () => {
    await expectSharedLockout('shared.limit@x.example');
    expect(await locked(b, 'someone.else@x.example')).toBe(0);
  });

  it('serves a value cached by one instance as a hit on the other', async () => {
    expect(await cached(a, 'dashboard|d1|2026-01-01')).toBe('a');
    expect(await cached(b, 'dashboard|d1|2026-01-01')).toBe('a');
    expect(await cached(b, 'dashboard|d2|2026-01-01')).toBe('b');
    expect(await cached(a, 'dashboard|d2|2026-01-01')).toBe('b');
  });

  it('shares the upload allowance of a dealership between instances', async () => {
    const take = (i: TWebInstance) => i.call<{ allowed: boolean }>('/upload', { dealershipId: 'dealership-shared' });
    for (let n = 0; n < 30; n++) expect((await take(n % 2 ? a : b)).result.allowed).toBe(true);
    expect((await take(a)).result.allowed).toBe(false);
    expect((await take(b)).result.allowed).toBe(false);
  });

  it('keeps answering while Redis restarts, and shares limits and cache again once it is back', async () => {
    await redis.stop();
    // Down: every call is answered, from each instance's own counts and cache.
    for (const i of [a, b]) {
      expect((await fail(i, 'during.outage@x.example')).status).toBe(200);
      expect((await i.call('/cache', { key: 'outage' })).status).toBe(200);
    }
    expect([await cached(a, 'outage'), await cached(b, 'outage')]).toEqual(['a', 'b']);

    redis = await startRedis(redis.port);
    await waitForSharedRedis([a, b]);
    await expectSharedLockout('after.restart@x.example');
    expect(await cached(b, 'after-restart')).toBe('b');
    expect(await cached(a, 'after-restart')).toBe('b');
  });
});
