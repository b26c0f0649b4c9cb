import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestRedis, startRedis } from '../../../../test/harness/redis';
import { ACCOUNT_FAILURES, createRedisLoginLimiter } from './login-limiter';

/** Two web instances = two limiters with their own Redis connections to one real redis-server. */
let redis: TestRedis;
const clients: Redis[] = [];
const connect = () => {
  const client = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  client.on('error', () => {});
  clients.push(client);
  return client;
};

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await redis?.stop();
});

async function ready(client: Redis) {
  if (client.status !== 'ready') await new Promise((r) => client.once('ready', r));
}

describe('login limits shared through Redis', () => {
  it('refuses the attempt after the limit whichever instance it reaches', async () => {
    const [a, b] = [connect(), connect()];
    await Promise.all([ready(a), ready(b)]);
    const first = createRedisLoginLimiter(a);
    const second = createRedisLoginLimiter(b);
    const who = { email: 'shared@x.example', ip: '203.0.113.50' };
    // Failures alternate between the two instances; the limit is counted once, across both.
    for (let i = 0; i < ACCOUNT_FAILURES - 1; i++) expect(await (i % 2 ? first : second).recordFailure(who)).toBe(0);
    expect(await first.lockedForMs(who)).toBe(0);
    expect(await second.recordFailure(who)).toBeGreaterThan(0);
    expect(await first.lockedForMs(who)).toBeGreaterThan(0);
    expect(await second.lockedForMs(who)).toBeGreaterThan(0);
    // Another account from another address is untouched.
    expect(await first.lockedForMs({ email: 'other@x.example', ip: '203.0.113.51' })).toBe(0);
  });

  it('keeps serving on in-process counts while Redis is down, and counts in Redis again when it is back', async () => {
    const client = connect();
    await ready(client);
    const limiter = createRedisLoginLimiter(client);
    const who = { email: 'outage@x.example', ip: '203.0.113.60' };
    await redis.stop();
    // No throw: the insurance limiter answers.
    expect(await limiter.recordFailure(who)).toBe(0);
    expect(await limiter.lockedForMs(who)).toBe(0);

    redis = await startRedis(redis.port);
    await ready(client);
    const fresh = createRedisLoginLimiter(connect());
    for (let i = 0; i < ACCOUNT_FAILURES; i++) await limiter.recordFailure({ ...who, email: 'after@x.example' });
    await ready(clients.at(-1)!);
    expect(await fresh.lockedForMs({ ...who, email: 'after@x.example' })).toBeGreaterThan(0);
  });
});
