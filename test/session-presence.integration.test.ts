import { type TAuthUser, listScenariosForDealership, markSessionLive, markSessionPresent, startPracticeSession, touchSessionHeartbeat } from '@avatar-adam/db';
import { createTenantUsers, createTestDb } from '@avatar-adam/db/testing';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeartbeat } from '../agent/src/session/lifecycle';
import { createPresence } from '../agent/src/session/presence';
import { createCaller } from '../web/src/server/api/root';
import { unreachableLiveKit } from '../web/src/server/api/routers/test-support';
import { createTRPCContext } from '../web/src/server/api/trpc';
import { createSessionPresence } from '../web/src/server/presence';
import { type TestRedis, startRedis } from './harness/redis';

/*
 * Session presence end to end through a real redis-server: the agent's heartbeat publishes it, the
 * web's observe list (createCaller, embedded database) drops a live session as soon as its agent
 * lets go or stops beating — while its heartbeat_at would still keep it listed — and falls back to
 * heartbeat_at when Redis is down.
 */
let redis: TestRedis;
let t: Awaited<ReturnType<typeof createTestDb>>;
let users: Awaited<ReturnType<typeof createTenantUsers>>;
const clients: Redis[] = [];
const silent = pino({ level: 'silent' });

function connect() {
  const client = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500, retryStrategy: () => 100 });
  client.on('error', () => {});
  clients.push(client);
  return client;
}
const ready = (c: Redis) => (c.status === 'ready' ? Promise.resolve() : new Promise((r) => c.once('ready', r)));

beforeAll(async () => {
  [redis, t] = await Promise.all([startRedis(), createTestDb()]);
  users = await createTenantUsers(t);
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await redis?.stop();
  await t?.close();
});

function observeAs(user: TAuthUser, webRedis: Redis) {
  const session = { user, expires: new Date(Date.now() + 3_600_000).toISOString() };
  const presence = createSessionPresence({ redis: webRedis, logger: silent });
  return createCaller(createTRPCContext({ db: t.db, session, livekit: unreachableLiveKit('observe.live'), presence, logger: silent })).observe;
}

async function liveSession(opts: { dealershipId: string; traineeId: string; live?: boolean }) {
  const scenario = (await listScenariosForDealership({ db: t.db, dealershipId: opts.dealershipId })).find((s) => s.mode === 'roleplay')!;
  const session = await startPracticeSession({ db: t.db, dealershipId: opts.dealershipId, traineeId: opts.traineeId, scenarioId: scenario.id, channel: 'web' });
  if (opts.live !== false) {
    await markSessionLive({ db: t.db, sessionId: session.id });
    await touchSessionHeartbeat({ db: t.db, sessionId: session.id });
  }
  return session;
}

describe('session presence', () => {
  it('lists a live session while its agent beats, and drops it the moment the agent lets go', async () => {
    const [agentRedis, webRedis] = [connect(), connect()];
    await Promise.all([ready(agentRedis), ready(webRedis)]);
    const session = await liveSession({ dealershipId: t.seeded.dealershipId, traineeId: users.lakeside.trainee.id });
    const pending = await liveSession({ dealershipId: t.seeded.dealershipId, traineeId: users.lakeside.secondTrainee.id, live: false });
    const stop = startHeartbeat({ db: t.db, sessionId: session.id, logger: silent as never, presence: createPresence(agentRedis, 'test-job'), intervalMs: 10_000 });
    await expect.poll(() => agentRedis.exists(`avatar-adam:presence:session:${session.id}`)).toBe(1);

    const ids = async () => (await observeAs(users.lakeside.manager, webRedis).live()).map((s) => s.id);
    expect(await ids()).toEqual(expect.arrayContaining([session.id, pending.id]));
    stop();
    // heartbeat_at is seconds old, so without presence the list would still show it for 45 s.
    await expect.poll(ids).not.toContain(session.id);
    expect(await ids()).toContain(pending.id);
  });

  it('drops a live session whose agent died (presence expired) before the reaper runs', async () => {
    const webRedis = connect();
    await ready(webRedis);
    const session = await liveSession({ dealershipId: t.seeded.dealershipId, traineeId: users.lakeside.trainee.id });
    await markSessionPresent({ redis: webRedis, sessionId: session.id, holder: 'doomed-job', ttlMs: 300 });
    expect((await observeAs(users.lakeside.manager, webRedis).live()).map((s) => s.id)).toContain(session.id);
    await new Promise((r) => setTimeout(r, 400));
    expect((await observeAs(users.lakeside.manager, webRedis).live()).map((s) => s.id)).not.toContain(session.id);
  });

  it("shows another dealership's manager nothing of it, and refuses trainees", async () => {
    const webRedis = connect();
    await ready(webRedis);
    const session = await liveSession({ dealershipId: t.seeded.dealershipId, traineeId: users.lakeside.trainee.id });
    await markSessionPresent({ redis: webRedis, sessionId: session.id, holder: 'job' });
    expect((await observeAs(users.outsiders.manager, webRedis).live()).map((s) => s.id)).not.toContain(session.id);
    await expect(observeAs(users.lakeside.trainee, webRedis).live()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('falls back to heartbeat_at while Redis is down', async () => {
    const webRedis = connect();
    await ready(webRedis);
    const session = await liveSession({ dealershipId: t.seeded.dealershipId, traineeId: users.lakeside.trainee.id });
    expect((await observeAs(users.lakeside.manager, webRedis).live()).map((s) => s.id)).not.toContain(session.id);
    await redis.stop();
    expect((await observeAs(users.lakeside.manager, webRedis).live()).map((s) => s.id)).toContain(session.id);
    redis = await startRedis(redis.port);
  });
});
