import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from './errors';
import { getSessionRecordingAudio, listSessionRecordings, saveSessionRecording } from './session-recordings';
import { createOtherDealership, createTestDb, startTestRoleplay } from './testing';

let t: Awaited<ReturnType<typeof createTestDb>>;
let other: Awaited<ReturnType<typeof createOtherDealership>>;

beforeAll(async () => {
  t = await createTestDb();
  other = await createOtherDealership(t.db);
});
afterAll(() => t.close());

const newSession = () => startTestRoleplay(t);

/** Not real audio: these tests are about storage and scoping; the agent's test plays a real one. */
const oggLike = (n: number) => Buffer.concat([Buffer.from('OggS'), Buffer.alloc(n, 7)]);

describe('session recordings', () => {
  it('stores the parts of a session and lists them in spoken order without reading the audio', async () => {
    const s = await newSession();
    const base = { db: t.db, sessionId: s.id, dealershipId: s.dealershipId };
    const later = await saveSessionRecording({ ...base, content: oggLike(50), durationMs: 2500.4, startedAt: new Date(Date.now() - 1000) });
    const first = await saveSessionRecording({ ...base, content: oggLike(100), durationMs: 61_000, startedAt: new Date(Date.now() - 90_000) });
    const parts = await listSessionRecordings(base);
    expect(parts.map((p) => [p.id, p.sizeBytes, p.durationMs, p.mime])).toEqual([
      [first.id, 104, 61_000, 'audio/ogg'],
      [later.id, 54, 2500, 'audio/ogg'],
    ]);
    expect(parts[0]).not.toHaveProperty('content');
    const audio = await getSessionRecordingAudio({ ...base, recordingId: first.id });
    expect(audio?.content.equals(oggLike(100))).toBe(true);
    // A player's range request reads only those bytes; past the end there are fewer, or none.
    const slice = await getSessionRecordingAudio({ ...base, recordingId: first.id, range: { start: 2, end: 5 } });
    expect(slice).toMatchObject({ sizeBytes: 104 });
    expect(slice?.content.toString('latin1')).toBe('gS\x07\x07');
    expect((await getSessionRecordingAudio({ ...base, recordingId: first.id, range: { start: 100, end: 200 } }))?.content.length).toBe(4);
    expect((await getSessionRecordingAudio({ ...base, recordingId: first.id, range: { start: 500, end: 600 } }))?.content.length).toBe(0);
    await expect(getSessionRecordingAudio({ ...base, recordingId: first.id, range: { start: 5, end: 2 } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('refuses bytes that are not an Ogg stream, an empty one and a zero duration, storing nothing', async () => {
    const s = await newSession();
    const base = { db: t.db, sessionId: s.id, dealershipId: s.dealershipId, startedAt: new Date() };
    const codeOf = (p: Promise<unknown>) => p.then(() => 'stored', (e: unknown) => (isAppError(e) ? e.code : String(e)));
    expect(await codeOf(saveSessionRecording({ ...base, content: Buffer.from('RIFF....WAVE'), durationMs: 1000 }))).toBe('BAD_REQUEST');
    expect(await codeOf(saveSessionRecording({ ...base, content: Buffer.alloc(0), durationMs: 1000 }))).toBe('BAD_REQUEST');
    expect(await codeOf(saveSessionRecording({ ...base, content: oggLike(10), durationMs: 0 }))).toBe('BAD_REQUEST');
    expect(await listSessionRecordings(base)).toEqual([]);
  });

  it('keeps one dealership from storing or reading another dealership’s session audio', async () => {
    const s = await newSession();
    const saved = await saveSessionRecording({ db: t.db, sessionId: s.id, dealershipId: s.dealershipId, content: oggLike(20), durationMs: 900, startedAt: new Date() });
    const asOther = { db: t.db, sessionId: s.id, dealershipId: other.dealershipId };
    await expect(saveSessionRecording({ ...asOther, content: oggLike(20), durationMs: 900, startedAt: new Date() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await listSessionRecordings(asOther)).toEqual([]);
    expect(await getSessionRecordingAudio({ ...asOther, recordingId: saved.id })).toBeNull();
    // The right dealership but another session's id does not reach it either.
    const elsewhere = await newSession();
    expect(await getSessionRecordingAudio({ db: t.db, sessionId: elsewhere.id, dealershipId: s.dealershipId, recordingId: saved.id })).toBeNull();
  });
});
