import { schema, type TAuthUser } from '@avatar-adam/db';
import { createTenantUsers, createTestDb } from '@avatar-adam/db/testing';
import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LiveKitService } from '../../livekit';
import { createCaller } from '../root';
import { createTRPCContext } from '../trpc';

const { practiceSessions, scenarios } = schema;

type TRoomCall = Parameters<LiveKitService['createPracticeRoom']>[0];
type TTokenCall = Parameters<LiveKitService['mintParticipantToken']>[0];

/** Test-only stand-in for LiveKit that records what the router asked of it. */
class RecordingLiveKit implements LiveKitService {
  readonly serverUrl = 'ws://livekit.test:7880';
  readonly agentName = 'avatar-adam-test';
  rooms: TRoomCall[] = [];
  tokens: TTokenCall[] = [];
  failRoomCreation = false;

  async createPracticeRoom(opts: TRoomCall) {
    if (this.failRoomCreation) throw new Error('connect ECONNREFUSED 127.0.0.1:7880');
    this.rooms.push(opts);
  }

  async mintParticipantToken(opts: TTokenCall) {
    this.tokens.push(opts);
    return `token-for-${opts.identity}`;
  }

  async mintObserverToken(): Promise<string> {
    throw new Error('session procedures must not mint observer tokens');
  }
}

let t: Awaited<ReturnType<typeof createTestDb>>;
let other: Awaited<ReturnType<typeof createTenantUsers>>['other'];
let livekit: RecordingLiveKit;
let lakeside: { trainee: TAuthUser; secondTrainee: TAuthUser; manager: TAuthUser };

beforeAll(async () => {
  t = await createTestDb();
  ({ other, lakeside } = await createTenantUsers(t));
});
afterAll(() => t.close());
beforeEach(() => {
  livekit = new RecordingLiveKit();
});

function callerAs(user: TAuthUser) {
  const session = { user, expires: new Date(Date.now() + 3_600_000).toISOString() };
  return createCaller(createTRPCContext({ db: t.db, session, livekit, logger: pino({ level: 'silent' }) }));
}

const otherTrainee = (): TAuthUser => ({
  id: other.traineeId,
  email: 'trainee@other-motors.example',
  name: 'Other Trainee',
  role: 'trainee',
  dealershipId: other.dealershipId,
});

async function errorOf(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

async function sessionRow(id: string) {
  const [row] = await t.db.select().from(practiceSessions).where(eq(practiceSessions.id, id));
  return row;
}

describe('session.start', () => {
  it('creates a pending session for the trainee, dispatches the agent with exact metadata, and returns a join token', async () => {
    const caller = callerAs(lakeside.trainee);
    const scenario = (await caller.scenario.list()).find((s) => s.mode === 'roleplay')!;

    const started = await caller.session.start({ scenarioId: scenario.id });

    const row = await sessionRow(started.sessionId);
    expect(row).toMatchObject({
      status: 'pending',
      channel: 'web',
      dealershipId: t.seeded.dealershipId,
      traineeId: lakeside.trainee.id,
      scenarioId: scenario.id,
      roomName: started.roomName,
    });

    expect(livekit.rooms).toHaveLength(1);
    const room = livekit.rooms[0]!;
    expect(room.roomName).toBe(row!.roomName);
    expect(room.agentName).toBe('avatar-adam-test');
    expect(JSON.parse(room.dispatchMetadata)).toStrictEqual({
      sessionId: row!.id,
      mode: 'roleplay',
      scenarioId: scenario.id,
      dealershipId: t.seeded.dealershipId,
      // The request's id, so the agent's log lines for the session lead back to it.
      requestId: expect.any(String),
    });

    expect(livekit.tokens).toEqual([
      { roomName: row!.roomName, identity: lakeside.trainee.id, name: lakeside.trainee.name },
    ]);
    expect(started).toStrictEqual({
      sessionId: row!.id,
      roomName: row!.roomName,
      token: `token-for-${lakeside.trainee.id}`,
      serverUrl: 'ws://livekit.test:7880',
      mode: 'roleplay',
      scenario: { id: scenario.id, title: scenario.title },
    });
  });

  it("refuses another dealership's private scenario and creates no session or room", async () => {
    const [privateScenario] = await t.db
      .select({ id: scenarios.id })
      .from(scenarios)
      .where(eq(scenarios.dealershipId, t.seeded.dealershipId));
    const before = await t.db.$count(practiceSessions);

    const error = await errorOf(callerAs(otherTrainee()).session.start({ scenarioId: privateScenario!.id }));

    expect(['NOT_FOUND', 'FORBIDDEN']).toContain(error.code);
    expect(await t.db.$count(practiceSessions)).toBe(before);
    expect(livekit.rooms).toHaveLength(0);
    expect(livekit.tokens).toHaveLength(0);
  });

  it('rejects a malformed scenario id before touching the database', async () => {
    const before = await t.db.$count(practiceSessions);
    const error = await errorOf(callerAs(lakeside.trainee).session.start({ scenarioId: 'not-a-uuid' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(await t.db.$count(practiceSessions)).toBe(before);
  });

  it('marks the session failed and tells the trainee when the room cannot be created', async () => {
    livekit.failRoomCreation = true;
    const caller = callerAs(lakeside.trainee);
    const scenario = (await caller.scenario.list()).find((s) => s.mode === 'coach')!;

    const error = await errorOf(caller.session.start({ scenarioId: scenario.id }));

    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    expect((error.cause as { userMessage?: string }).userMessage).toMatch(/could not open a practice room/);
    const failed = await t.db
      .select()
      .from(practiceSessions)
      .where(and(eq(practiceSessions.traineeId, lakeside.trainee.id), eq(practiceSessions.status, 'failed')));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ scenarioId: scenario.id, endReason: 'room_create_failed' });
    expect(failed[0]!.endedAt).toBeInstanceOf(Date);
  });
});

describe('session.start from an assignment', () => {
  async function assignToTrainee() {
    const manager = callerAs(lakeside.manager);
    const { scenarios: offered } = await manager.assignment.options();
    await manager.assignment.create({
      scenarioId: offered[0]!.id,
      traineeIds: [lakeside.trainee.id],
      dueAt: new Date(Date.now() + 86_400_000),
      passMark: 70,
    });
    const mine = await callerAs(lakeside.trainee).assignment.mine();
    return mine.find((a) => a.scenarioId === offered[0]!.id)!;
  }

  it('stores the assignment on the session, which then counts as an attempt', async () => {
    const assignment = await assignToTrainee();
    const trainee = callerAs(lakeside.trainee);
    const started = await trainee.session.start({ scenarioId: assignment.scenarioId, assignmentId: assignment.id });
    expect((await sessionRow(started.sessionId))!.assignmentId).toBe(assignment.id);
    const after = (await trainee.assignment.mine()).find((a) => a.id === assignment.id);
    expect(after).toMatchObject({ status: 'in_progress', attempts: 1 });
  });

  it("refuses someone else's assignment, creating no session and no room", async () => {
    const assignment = await assignToTrainee();
    const before = await t.db.$count(practiceSessions);
    for (const user of [lakeside.secondTrainee, lakeside.manager, otherTrainee()]) {
      const error = await errorOf(callerAs(user).session.start({ scenarioId: assignment.scenarioId, assignmentId: assignment.id }));
      expect(error.code).toBe('NOT_FOUND');
    }
    expect(await t.db.$count(practiceSessions)).toBe(before);
    expect(livekit.rooms).toHaveLength(0);
  });
});

describe('session.get', () => {
  it('shows the trainee their own session and the manager every session of the dealership', async () => {
    const trainee = callerAs(lakeside.trainee);
    const scenario = (await trainee.scenario.list())[0]!;
    const { sessionId } = await trainee.session.start({ scenarioId: scenario.id });

    expect(await trainee.session.get({ sessionId })).toMatchObject({ id: sessionId, status: 'pending' });
    expect(await callerAs(lakeside.manager).session.get({ sessionId })).toMatchObject({ id: sessionId });
  });

  it("hides a session from another trainee and from another dealership as NOT_FOUND", async () => {
    const trainee = callerAs(lakeside.trainee);
    const scenario = (await trainee.scenario.list())[0]!;
    const { sessionId } = await trainee.session.start({ scenarioId: scenario.id });

    expect((await errorOf(callerAs(lakeside.secondTrainee).session.get({ sessionId }))).code).toBe('NOT_FOUND');
    expect((await errorOf(callerAs(otherTrainee()).session.get({ sessionId }))).code).toBe('NOT_FOUND');
  });
});
