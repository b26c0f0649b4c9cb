import path from 'node:path';
import { auditLog, phoneCalls, practiceSessions } from '@avatar-adam/db/schema';
import { dispose } from '@livekit/rtc-node';
import { and, eq, like } from 'drizzle-orm';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { traineeCaller, waitFor } from './harness/app';
import { type PhoneTestStack, startPhoneTestStack } from './harness/phone-stack';
import { CallerAudio } from './harness/rtp-pcap';
import { placeSippCall } from './harness/sipp';

/**
 * Phone calls that go wrong, each on the real SIP path (sipp → livekit-sip → room → agent): every
 * one must end with a clear outcome in the database and no room or session left behind.
 */
const LINE = '+13125550100';
let phone: PhoneTestStack;
let pin: string;
let rooms: RoomServiceClient;

beforeAll(async () => {
  // Short PIN timeout so the silent caller is reminded and let go quickly.
  phone = await startPhoneTestStack({ PHONE_PIN_TIMEOUT_SECONDS: '4' });
  const roleplay = (await traineeCaller(phone.stack).scenario.list()).find((s) => s.mode === 'roleplay')!;
  await phone.manager().phone.saveLine({ phoneNumber: LINE, defaultScenarioId: roleplay.id });
  ({ pin } = await phone.manager().phone.issuePin({ traineeId: phone.stack.seeded.userIds.trainee! }));
  const { url, apiKey, apiSecret } = phone.stack.livekit;
  rooms = new RoomServiceClient(url, apiKey, apiSecret);
}, 180_000);
afterAll(async () => {
  await phone?.stop();
  await dispose();
});

let calls = 0;
async function call(opts: { audio: CallerAudio; holdMs: number; hangUp: 'caller' | 'agent'; number?: string; callerId?: string; answerTimeoutMs?: number }) {
  const pcap = path.join(phone.stack.workDir, `call-${++calls}.pcap`);
  opts.audio.writePcap(pcap);
  const sipp = await placeSippCall({
    dir: phone.stack.workDir,
    sipPort: phone.sipPort,
    number: opts.number ?? LINE,
    callerId: opts.callerId ?? `+1312555${String(200 + calls).padStart(4, '0')}`,
    pcapFile: pcap,
    holdMs: opts.holdMs,
    hangUp: opts.hangUp,
    answerTimeoutMs: opts.answerTimeoutMs,
  });
  onTestFailed(() => {
    process.stderr.write(`sipp:\n${sipp.tail().slice(-15).join('\n')}\nagent:\n${phone.stack.agent.tail().slice(-30).join('\n')}\n`);
  });
  return { sipp, callerId: opts.callerId ?? `+1312555${String(200 + calls).padStart(4, '0')}` };
}

async function callRecord(callerNumber: string) {
  return waitFor(
    'the call record closed',
    () => phone.stack.db.select().from(phoneCalls).where(eq(phoneCalls.callerNumber, callerNumber)),
    (rows) => rows[0]?.endedAt != null,
    30_000,
  ).then((rows) => rows[0]!);
}

async function expectNoPhoneRoom() {
  await waitFor('phone rooms gone', async () => (await rooms.listRooms()).filter((r) => r.name.startsWith('phone-')), (r) => r.length === 0, 20_000);
}

const wrongPin = (n: number) => String((Number(pin) + 111_111 * n) % 1_000_000).padStart(6, '0');

describe('phone calls that go wrong', () => {
  it('a number that is not a practice line is dropped by the bridge: no room, no call record', async () => {
    const { sipp } = await call({ audio: new CallerAudio().silence(1000), holdMs: 3000, hangUp: 'caller', number: '+13125550999', answerTimeoutMs: 6000 });
    // livekit-sip treats calls matching no trunk as a scan ("flood"): it logs and never answers.
    expect(await sipp.exited).not.toBe(0);
    expect(phone.bridge.tail().some((line) => /SIP call ended.*"reason": "flood"/.test(line))).toBe(true);
    await expectNoPhoneRoom();
    expect(await phone.stack.db.select().from(phoneCalls)).toHaveLength(0);
  }, 60_000);

  it('three wrong PINs end the call politely, each audited, and no session starts', async () => {
    const audio = new CallerAudio().silence(3000).keys(`${wrongPin(1)}#`).silence(3000).keys(`${wrongPin(2)}#`).silence(3000).keys(`${wrongPin(3)}#`).silence(30_000);
    const { sipp, callerId } = await call({ audio, holdMs: audio.durationMs, hangUp: 'agent' });
    // The agent hangs up (sipp receives its BYE) after saying why.
    expect(await sipp.exited).toBe(0);
    const record = await callRecord(callerId);
    expect(record).toMatchObject({ outcome: 'wrong_pin', pinAttempts: 3, traineeId: null, sessionId: null });
    const audits = await phone.stack.db.select().from(auditLog).where(and(eq(auditLog.action, 'phone.pin_failed'), eq(auditLog.targetId, record.id)));
    expect(audits.map((a) => (a.meta as { attempt: number }).attempt).sort()).toEqual([1, 2, 3]);
    expect(await phone.stack.db.select().from(practiceSessions).where(eq(practiceSessions.roomName, record.roomName))).toHaveLength(0);
    await expectNoPhoneRoom();
  }, 120_000);

  it('a silent caller is asked again, then let go with outcome no_pin', async () => {
    const audio = new CallerAudio().silence(60_000);
    const { sipp, callerId } = await call({ audio, holdMs: audio.durationMs, hangUp: 'agent' });
    expect(await sipp.exited).toBe(0);
    expect(await callRecord(callerId)).toMatchObject({ outcome: 'no_pin', pinAttempts: 0, sessionId: null });
    await expectNoPhoneRoom();
  }, 120_000);

  it('a caller who hangs up during the welcome leaves a hung_up record and nothing open', async () => {
    const { sipp, callerId } = await call({ audio: new CallerAudio().silence(1500), holdMs: 2500, hangUp: 'caller' });
    expect(await sipp.exited).toBe(0);
    expect(await callRecord(callerId)).toMatchObject({ outcome: 'hung_up', sessionId: null });
    await expectNoPhoneRoom();
  }, 60_000);

  it('the SIP bridge going down mid-practice ends the session with its turns, and the call record', async () => {
    const audio = new CallerAudio().silence(2000).keys(`${pin}#`).silence(60_000);
    const { sipp, callerId } = await call({ audio, holdMs: audio.durationMs, hangUp: 'caller' });
    const live = await waitFor(
      'the phone session live',
      () => phone.stack.db.select().from(practiceSessions).where(and(eq(practiceSessions.channel, 'phone'), like(practiceSessions.roomName, `phone-_${callerId}%`))),
      (rows) => rows[0]?.status === 'live',
      60_000,
    );
    await phone.bridge.stop(2000);
    await sipp.stop(500);
    const [ended] = await waitFor(
      'the session closed',
      () => phone.stack.db.select().from(practiceSessions).where(eq(practiceSessions.id, live[0]!.id)),
      (rows) => rows[0]?.status === 'ended' || rows[0]?.status === 'failed',
      60_000,
    );
    expect(ended).toMatchObject({ status: 'ended', endReason: 'trainee_left' });
    expect(await callRecord(callerId)).toMatchObject({ outcome: 'practised', sessionId: live[0]!.id });
    await expectNoPhoneRoom();
    await phone.restartBridge();
  }, 150_000);
});
