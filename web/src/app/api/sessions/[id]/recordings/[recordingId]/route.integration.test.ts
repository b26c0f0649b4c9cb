import { listScenariosForDealership, saveSessionRecording, startPracticeSession, type TAuthUser } from '@avatar-adam/db';
import { createTenantUsers } from '@avatar-adam/db/testing';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie, startRouteTestDatabase } from '../../../../route-test-support';

/* The exported GET handler itself, as Next calls it (see route-test-support.ts). */

let database: Awaited<ReturnType<typeof startRouteTestDatabase>>;
let GET: typeof import('./route').GET;
let secret: string;
let users: Awaited<ReturnType<typeof createTenantUsers>>;
let sessionId: string;
let recordingId: string;
/** Not real audio: the handler serves bytes; the agent's tests record and decode real sessions. */
const AUDIO = Buffer.concat([Buffer.from('OggS'), Buffer.from(Array.from({ length: 996 }, (_, i) => i % 251))]);

beforeAll(async () => {
  database = await startRouteTestDatabase();
  const { db, seeded } = database;
  users = await createTenantUsers(database);
  const { trainee } = users.lakeside;
  const scenarioId = (await listScenariosForDealership({ db, dealershipId: seeded.dealershipId })).find((s) => s.mode === 'roleplay')!.id;
  const session = await startPracticeSession({ db, dealershipId: seeded.dealershipId, traineeId: trainee.id, scenarioId, channel: 'web' });
  sessionId = session.id;
  ({ id: recordingId } = await saveSessionRecording({ db, sessionId, dealershipId: seeded.dealershipId, content: AUDIO, durationMs: 5_000, startedAt: new Date() }));
  ({ GET } = await import('./route'));
  secret = (await import('@/env')).env.NEXTAUTH_SECRET;
});
afterAll(() => database?.close());

async function fetchAudio(opts: { user?: TAuthUser; range?: string; session?: string; recording?: string }) {
  const headers: Record<string, string> = {};
  if (opts.user) headers.cookie = await sessionCookie(opts.user, secret);
  if (opts.range) headers.range = opts.range;
  const ids = { id: opts.session ?? sessionId, recordingId: opts.recording ?? recordingId };
  const response = await GET(new NextRequest(`http://localhost:3000/api/sessions/${ids.id}/recordings/${ids.recordingId}`, { headers }), {
    params: Promise.resolve(ids),
  });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

describe('GET /api/sessions/:id/recordings/:recordingId', () => {
  it('plays the whole recording to its trainee and to their manager', async () => {
    for (const user of [users.lakeside.trainee, users.lakeside.manager]) {
      const res = await fetchAudio({ user });
      expect(res.status).toBe(200);
      expect(res.body.equals(AUDIO)).toBe(true);
      expect(Object.fromEntries(['content-type', 'accept-ranges', 'content-length'].map((h) => [h, res.headers.get(h)]))).toEqual({
        'content-type': 'audio/ogg',
        'accept-ranges': 'bytes',
        'content-length': '1000',
      });
    }
  });

  it('answers the byte ranges a player seeks with (206), and 416 past the end', async () => {
    const user = users.lakeside.trainee;
    const middle = await fetchAudio({ user, range: 'bytes=100-199' });
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(middle.body.equals(AUDIO.subarray(100, 200))).toBe(true);
    const open = await fetchAudio({ user, range: 'bytes=990-' });
    expect([open.status, open.headers.get('content-range'), open.body.equals(AUDIO.subarray(990))]).toEqual([206, 'bytes 990-999/1000', true]);
    const suffix = await fetchAudio({ user, range: 'bytes=-4' });
    expect([suffix.status, suffix.headers.get('content-range'), suffix.body.equals(AUDIO.subarray(996))]).toEqual([206, 'bytes 996-999/1000', true]);
    const past = await fetchAudio({ user, range: 'bytes=5000-6000' });
    expect([past.status, past.headers.get('content-range'), past.body.length]).toEqual([416, 'bytes */1000', 0]);
    // A header no player sends is ignored: the whole file.
    expect((await fetchAudio({ user, range: 'pages=1-2' })).status).toBe(200);
  });

  it('refuses a signed-out caller (401), and gives another trainee and another dealership the same 404 as no recording', async () => {
    const signedOut = await fetchAudio({});
    expect([signedOut.status, signedOut.body.toString()]).toEqual([401, 'Your session has ended. Please sign in again.\n']);
    for (const stranger of [users.lakeside.secondTrainee, users.outsiders.trainee, users.outsiders.manager]) {
      const res = await fetchAudio({ user: stranger, range: 'bytes=0-99' });
      expect([res.status, res.body.toString()]).toEqual([404, 'That practice session does not exist.\n']);
    }
    const unknown = await fetchAudio({ user: users.lakeside.trainee, recording: crypto.randomUUID() });
    expect([unknown.status, unknown.body.toString()]).toEqual([404, 'That recording does not exist.\n']);
    expect((await fetchAudio({ user: users.lakeside.trainee, session: 'not-a-uuid' })).status).toBe(400);
  });
});
