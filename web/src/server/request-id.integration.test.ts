import { Writable } from 'node:stream';
import type { TAuthUser } from '@avatar-adam/db';
import { createTenantUsers, createTestDb } from '@avatar-adam/db/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCaller } from './api/root';
import { createTRPCContext } from './api/trpc';
import type { LiveKitService } from './livekit';
import { handleTrpcRequest } from './request-context';

/**
 * The tRPC HTTP handler as the route serves it, with a test context: every request gets an id,
 * sees it on its log lines and in the `x-request-id` response header, and session.start hands it
 * to the agent in the dispatch metadata.
 */
let t: Awaited<ReturnType<typeof createTestDb>>;
let trainee: TAuthUser;
beforeAll(async () => {
  t = await createTestDb();
  ({ trainee } = (await createTenantUsers(t)).lakeside);
});
afterAll(() => t?.close());

let lines: Record<string, unknown>[];
let rooms: Parameters<LiveKitService['createPracticeRoom']>[0][];
beforeEach(() => {
  lines = [];
  rooms = [];
});

const captured = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  }),
);

/** Test-only stand-in for LiveKit that keeps the rooms it was asked to create. */
const livekit: LiveKitService = {
  serverUrl: 'ws://livekit.test:7880',
  agentName: 'avatar-adam-test',
  createPracticeRoom: async (room) => void rooms.push(room),
  mintParticipantToken: async () => 'token',
  mintObserverToken: () => Promise.reject(new Error('not in this test')),
};

const contextFor = (user: TAuthUser) => async (requestId: string) =>
  createTRPCContext({
    db: t.db,
    session: { user, expires: new Date(Date.now() + 3_600_000).toISOString() },
    livekit,
    logger: captured,
    requestId,
  });

describe('request ids on tRPC requests', () => {
  it('keeps a proxy’s x-request-id, returns it, logs it with the session, and passes it to the agent', async () => {
    const [scenario] = await createCaller(await contextFor(trainee)('setup')).scenario.list();
    const req = new Request('http://localhost/api/trpc/session.start', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'lb-7f3a9c.1' },
      body: JSON.stringify({ json: { scenarioId: scenario!.id } }),
    });

    const res = await handleTrpcRequest(req, contextFor(trainee));

    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('lb-7f3a9c.1');
    const started = lines.find((l) => l.msg === 'practice session started');
    expect(started).toMatchObject({ requestId: 'lb-7f3a9c.1', sessionId: expect.any(String), roomName: expect.any(String) });
    expect(rooms).toHaveLength(1);
    expect(rooms[0]!.roomName).toBe(started!.roomName);
    expect(JSON.parse(rooms[0]!.dispatchMetadata)).toMatchObject({ sessionId: started!.sessionId, requestId: 'lb-7f3a9c.1' });
  });

  it('replaces an unusable x-request-id with a new one, used in the refusal’s log line and the response', async () => {
    const req = new Request('http://localhost/api/trpc/phone.overview', { headers: { 'x-request-id': 'x"} {"level":60' } });

    const res = await handleTrpcRequest(req, contextFor(trainee));

    expect(res.status).toBe(403);
    const id = res.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'trpc request refused', requestId: id, code: 'FORBIDDEN' }));
    expect(lines.every((l) => l.requestId === id)).toBe(true);
  });
});
