import {
  endPracticeSession,
  listScenariosForDealership,
  markSessionLive,
  schema,
  startPracticeSession,
  touchSessionHeartbeat,
  type TAuthUser,
} from '@avatar-adam/db';
import { createOtherDealership, createTestDb } from '@avatar-adam/db/testing';
import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { TokenVerifier } from 'livekit-server-sdk';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveKitService, type LiveKitService } from '../../livekit';
import { createCaller } from '../root';
import { createTRPCContext } from '../trpc';

const { auditLog, practiceSessions, users } = schema;

const KEYS = { apiKey: 'observe-test-key', apiSecret: 'observe-test-secret-of-at-least-32-chars' };

/**
 * The real LiveKit service, so the tokens under test are the ones the product mints (minting is
 * local). Nothing here may reach the server: listening never creates a room.
 */
const livekit: LiveKitService = {
  ...createLiveKitService({
    ...KEYS,
    apiUrl: 'http://127.0.0.1:9',
    publicUrl: 'ws://livekit.test:7880',
    agentName: 'avatar-adam-test',
  }),
  createPracticeRoom: () => Promise.reject(new Error('observing must not create rooms')),
  mintParticipantToken: () => Promise.reject(new Error('observers must not get a publishing token')),
};

let t: Awaited<ReturnType<typeof createTestDb>>;
let other: Awaited<ReturnType<typeof createOtherDealership>>;
let lakeside: { trainee: TAuthUser; manager: TAuthUser };
let outsiders: { manager: TAuthUser };
let platformAdmin: TAuthUser;

beforeAll(async () => {
  t = await createTestDb();
  other = await createOtherDealership(t.db);
  const asUser = (u: typeof users.$inferSelect): TAuthUser => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    dealershipId: u.dealershipId,
  });
  const all = (await t.db.select().from(users)).map(asUser);
  const lakesideUser = (role: TAuthUser['role']) =>
    all.find((u) => u.role === role && u.dealershipId === t.seeded.dealershipId)!;
  lakeside = { trainee: lakesideUser('trainee'), manager: lakesideUser('dealership_admin') };
  outsiders = { manager: all.find((u) => u.id === other.adminId)! };
  platformAdmin = all.find((u) => u.role === 'super_admin')!;
});
afterAll(() => t.close());

function callerAs(user: TAuthUser) {
  const session = { user, expires: new Date(Date.now() + 3_600_000).toISOString() };
  return createCaller(createTRPCContext({ db: t.db, session, livekit, logger: pino({ level: 'silent' }) }));
}

async function codeOf(call: Promise<unknown>): Promise<string> {
  const error = await call.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCError);
  return (error as TRPCError).code;
}

/** A session of the dealership's trainee as the agent leaves it: pending, live (with a heartbeat) or ended. */
async function sessionOf(opts: { dealershipId: string; traineeId: string; status: 'pending' | 'live' | 'ended' }) {
  const scenario = (await listScenariosForDealership({ db: t.db, dealershipId: opts.dealershipId })).find(
    (s) => s.mode === 'roleplay',
  )!;
  const session = await startPracticeSession({ db: t.db, ...opts, scenarioId: scenario.id, channel: 'web' });
  if (opts.status !== 'pending') {
    await markSessionLive({ db: t.db, sessionId: session.id });
    await touchSessionHeartbeat({ db: t.db, sessionId: session.id });
  }
  if (opts.status === 'ended') await endPracticeSession({ db: t.db, sessionId: session.id, reason: 'trainee_left' });
  return { session, scenario };
}

const lakesideSession = (status: 'pending' | 'live' | 'ended') =>
  sessionOf({ dealershipId: t.seeded.dealershipId, traineeId: lakeside.trainee.id, status });

describe('observe.live', () => {
  it("lists the dealership's pending and live sessions, newest first, and nothing ended or of another dealership", async () => {
    const live = await lakesideSession('live');
    const pending = await lakesideSession('pending');
    const ended = await lakesideSession('ended');
    const elsewhere = await sessionOf({ dealershipId: other.dealershipId, traineeId: other.traineeId, status: 'live' });

    const list = await callerAs(lakeside.manager).observe.live();

    const ids = list.map((s) => s.id);
    expect(ids.indexOf(pending.session.id)).toBeLessThan(ids.indexOf(live.session.id));
    expect(ids).not.toContain(ended.session.id);
    expect(ids).not.toContain(elsewhere.session.id);
    expect(list.find((s) => s.id === live.session.id)).toMatchObject({
      status: 'live',
      mode: 'roleplay',
      channel: 'web',
      roomName: live.session.roomName,
      traineeName: lakeside.trainee.name,
      scenarioTitle: live.scenario.title,
      personaName: live.scenario.persona.name,
    });
    expect(list.find((s) => s.id === live.session.id)!.liveAt).toBeInstanceOf(Date);
    expect(list.find((s) => s.id === pending.session.id)!.liveAt).toBeNull();
  });

  it('leaves out a live session whose agent stopped sending heartbeats (its room is gone)', async () => {
    const { session } = await lakesideSession('live');
    await t.db
      .update(practiceSessions)
      .set({ heartbeatAt: new Date(Date.now() - 10 * 60_000) })
      .where(eq(practiceSessions.id, session.id));

    const ids = (await callerAs(lakeside.manager).observe.live()).map((s) => s.id);

    expect(ids).not.toContain(session.id);
  });

  it("shows another dealership's manager only their own sessions, and a dealership with none an empty list", async () => {
    const lakesideLive = await lakesideSession('live');
    const theirs = await sessionOf({ dealershipId: other.dealershipId, traineeId: other.traineeId, status: 'live' });
    const third = await createOtherDealership(t.db, 'third-motors');
    const thirdManager: TAuthUser = { ...outsiders.manager, id: third.adminId, dealershipId: third.dealershipId };

    const ids = (await callerAs(outsiders.manager).observe.live()).map((s) => s.id);

    expect(ids).toContain(theirs.session.id);
    expect(ids).not.toContain(lakesideLive.session.id);
    expect(await callerAs(thirdManager).observe.live()).toEqual([]);
  });

  it('refuses trainees and platform admins without a dealership', async () => {
    expect(await codeOf(callerAs(lakeside.trainee).observe.live())).toBe('FORBIDDEN');
    expect(await codeOf(callerAs(platformAdmin).observe.live())).toBe('FORBIDDEN');
  });
});

describe('observe.join', () => {
  it('gives a hidden, listen-only token for that room only, and writes an audit entry', async () => {
    const { session } = await lakesideSession('live');

    const joined = await callerAs(lakeside.manager).observe.join({ sessionId: session.id });

    expect(joined.serverUrl).toBe('ws://livekit.test:7880');
    expect(joined.roomName).toBe(session.roomName);
    const claims = await new TokenVerifier(KEYS.apiKey, KEYS.apiSecret).verify(joined.token);
    expect(claims.video).toStrictEqual({
      room: session.roomName,
      roomJoin: true,
      hidden: true,
      canSubscribe: true,
      canPublish: false,
      canPublishData: false,
    });
    expect(claims.video?.recorder).toBeUndefined();
    expect(claims.sub).toMatch(new RegExp(`^observer-${lakeside.manager.id}-[0-9a-f]+$`));
    expect(claims.exp! - claims.nbf!).toBeLessThanOrEqual(120);

    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'session.observe'), eq(auditLog.targetId, session.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: lakeside.manager.id,
      dealershipId: t.seeded.dealershipId,
      targetType: 'practice_session',
      meta: { roomName: session.roomName, identity: claims.sub, status: 'live' },
    });
  });

  it('refuses a session still starting (pending): leaving it early would close the room on the trainee', async () => {
    const { session } = await lakesideSession('pending');
    const error = await callerAs(lakeside.manager).observe.join({ sessionId: session.id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('CONFLICT');
    expect(await t.db.$count(auditLog, eq(auditLog.targetId, session.id))).toBe(0);
  });

  it('lets a manager listen to a live session, and two listens get distinct identities', async () => {
    const { session } = await lakesideSession('live');
    const verifier = new TokenVerifier(KEYS.apiKey, KEYS.apiSecret);
    const manager = callerAs(lakeside.manager);

    const first = await verifier.verify((await manager.observe.join({ sessionId: session.id })).token);
    const second = await verifier.verify((await manager.observe.join({ sessionId: session.id })).token);

    expect(first.sub).not.toBe(second.sub);
    expect(await t.db.$count(auditLog, eq(auditLog.targetId, session.id))).toBe(2);
  });

  it('refuses an ended session with CONFLICT and writes no audit entry', async () => {
    const { session } = await lakesideSession('ended');

    const error = await callerAs(lakeside.manager).observe.join({ sessionId: session.id }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('CONFLICT');
    expect((error as TRPCError).cause).toMatchObject({ userMessage: expect.stringMatching(/already ended/) });
    expect(await t.db.$count(auditLog, eq(auditLog.targetId, session.id))).toBe(0);
  });

  it('settles a session whose agent died instead of handing out a token for its empty room', async () => {
    const { session } = await lakesideSession('live');
    await t.db
      .update(practiceSessions)
      .set({ heartbeatAt: new Date(Date.now() - 10 * 60_000) })
      .where(eq(practiceSessions.id, session.id));

    expect(await codeOf(callerAs(lakeside.manager).observe.join({ sessionId: session.id }))).toBe('CONFLICT');
    const [row] = await t.db.select().from(practiceSessions).where(eq(practiceSessions.id, session.id));
    expect(row).toMatchObject({ status: 'failed', endReason: 'agent_lost' });
  });

  it("answers another dealership's manager NOT_FOUND, and trainees FORBIDDEN, with no audit entry", async () => {
    const { session } = await lakesideSession('live');

    expect(await codeOf(callerAs(outsiders.manager).observe.join({ sessionId: session.id }))).toBe('NOT_FOUND');
    expect(await codeOf(callerAs(lakeside.trainee).observe.join({ sessionId: session.id }))).toBe('FORBIDDEN');
    expect(await codeOf(callerAs(platformAdmin).observe.join({ sessionId: session.id }))).toBe('FORBIDDEN');
    expect(await t.db.$count(auditLog, eq(auditLog.targetId, session.id))).toBe(0);
  });

  it('rejects a malformed session id', async () => {
    expect(await codeOf(callerAs(lakeside.manager).observe.join({ sessionId: 'practice-room-1' }))).toBe('BAD_REQUEST');
  });
});
