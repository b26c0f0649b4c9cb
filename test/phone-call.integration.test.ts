import path from 'node:path';
import { digestPhonePin, getScorecard, getSessionRecordingAudio, listSessionRecordings, listSessionTurns } from '@avatar-adam/db';
import { decodeOggStereo, rmsBetween } from '../agent/src/testing/ogg-audio';
import { phoneCalls, phonePins, practiceSessions } from '@avatar-adam/db/schema';
import { dispose } from '@livekit/rtc-node';
import { eq } from 'drizzle-orm';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { synthesizeWav } from '../agent/src/providers/flite-process';
import { parsePcmWav } from '../agent/src/providers/wav';
import { wordErrorRate } from '../agent/src/providers/word-error-rate';
import { managerCaller, traineeCaller, waitFor } from './harness/app';
import { CallerAudio } from './harness/rtp-pcap';
import { placeSippCall } from './harness/sipp';
import { PHONE_PIN_SECRET, type PhoneTestStack, startPhoneTestStack } from './harness/phone-stack';
import type { TestStack } from './harness/stack';

/**
 * A trainee practises by phone, end to end on real parts: sipp places a SIP call over loopback to
 * livekit-sip, which puts the caller in a room with the agent; the caller types their PIN (RFC 2833
 * keypad events), the agent identifies them and starts the line's role-play, the caller says a
 * sentence (G.711 µ-law), and hangs up.
 */
const LINE = '+13125550100';
const CALLER_ID = '+13125550111';
/** ParticipantInfo.Kind values of the LiveKit protocol. */
const KIND = { SIP: 3, AGENT: 4 } as const;
const SENTENCE = 'Before you sign, let me show you the protection options for your new car.';

let phone: PhoneTestStack;
let stack: TestStack;

beforeAll(async () => {
  phone = await startPhoneTestStack();
  stack = phone.stack;
}, 180_000);
afterAll(async () => {
  await phone?.stop();
  await dispose();
});

describe('phone practice', () => {
  it('identifies the caller by keypad PIN, runs the role-play and stores it as a phone session', async () => {
    onTestFailed(() => {
      process.stderr.write(`agent log tail:\n${stack.agent.tail().slice(-40).join('\n')}\nsip tail:\n${phone.bridge.tail().slice(-20).join('\n')}\n(logs in ${stack.logDir})\n`);
    });
    const manager = phone.manager();
    const roleplay = (await traineeCaller(stack).scenario.list()).find((s) => s.mode === 'roleplay')!;
    await manager.phone.saveLine({ phoneNumber: LINE, defaultScenarioId: roleplay.id });
    const { pin } = await manager.phone.issuePin({ traineeId: stack.seeded.userIds.trainee! });

    const wav = parsePcmWav((await synthesizeWav('flite', { voice: 'rms', text: SENTENCE }))!);
    // Answer → the welcome plays while the PIN is typed → the hand-over and the customer's
    // greeting → the trainee's sentence → time for the reply → hang up. The caller speaks once the
    // customer has: the first call of a fresh stack loads the voices and the recogniser, and on a
    // busy 2-core host its hand-over took up to 20 s (a sentence said over it is not a turn).
    const audio = new CallerAudio().silence(5000).keys(`${pin}#`).silence(30_000).speech(wav.samples, wav.sampleRate).silence(14_000);
    const pcap = path.join(stack.workDir, 'caller.pcap');
    audio.writePcap(pcap);
    const sipp = await placeSippCall({ dir: stack.workDir, sipPort: phone.sipPort, number: LINE, callerId: CALLER_ID, pcapFile: pcap, holdMs: audio.durationMs + 500 });
    onTestFailed(() => {
      process.stderr.write(`sipp tail:\n${sipp.tail().slice(-20).join('\n')}\n`);
    });

    // While the call is up: its room holds the SIP caller and the agent, and managers see it live.
    const rooms = new RoomServiceClient(stack.livekit.url, stack.livekit.apiKey, stack.livekit.apiSecret);
    const participants = await waitFor(
      'the phone room with the caller and the agent',
      async () => {
        const room = (await rooms.listRooms()).find((r) => r.name.startsWith('phone-'));
        return room ? { room: room.name, kinds: (await rooms.listParticipants(room.name)).map((p) => p.kind) } : null;
      },
      (v) => Boolean(v?.kinds.includes(KIND.SIP) && v.kinds.includes(KIND.AGENT)),
      60_000,
    );
    const live = await waitFor('the session live for observers', () => managerCaller(stack).observe.live(), (l) => l.some((s) => s.channel === 'phone'), 60_000);
    expect(live.find((s) => s.channel === 'phone')?.traineeName).toBeTruthy();

    expect(await sipp.exited).toBe(0);
    const [call] = await waitFor(
      'the call record closed',
      () => stack.db.select().from(phoneCalls).where(eq(phoneCalls.roomName, participants!.room)),
      (rows) => rows[0]?.endedAt != null,
      30_000,
    );
    expect(call).toMatchObject({ outcome: 'practised', traineeId: stack.seeded.userIds.trainee, callerNumber: CALLER_ID, calledNumber: LINE, pinAttempts: 1 });
    const [session] = await waitFor(
      'the phone session ended',
      () => stack.db.select().from(practiceSessions).where(eq(practiceSessions.id, call!.sessionId!)),
      (rows) => rows[0]?.status === 'ended',
      30_000,
    );
    expect(session).toMatchObject({ channel: 'phone', traineeId: stack.seeded.userIds.trainee, scenarioId: roleplay.id, roomName: participants!.room });

    const turns = await listSessionTurns({ db: stack.db, sessionId: session!.id, dealershipId: stack.seeded.dealershipId });
    const said = turns.filter((t) => t.speaker === 'trainee').map((t) => t.text).join(' ');
    process.stdout.write(`heard over the phone: ${JSON.stringify(said)}\n`);
    // Telephone audio (8 kHz µ-law) costs the recogniser a little; the sentence must still be there.
    expect(wordErrorRate([{ reference: SENTENCE, hypothesis: said }])).toBeLessThanOrEqual(0.3);
    expect(turns.some((t) => t.speaker === 'agent')).toBe(true);

    // The call's practice is recorded like a web session (the PIN entry before it is not): the
    // caller's sentence is on the left channel, the customer on the right.
    const where = { db: stack.db, sessionId: session!.id, dealershipId: stack.seeded.dealershipId };
    const [part] = await listSessionRecordings(where);
    expect(part).toBeDefined();
    const recorded = decodeOggStereo((await getSessionRecordingAudio({ ...where, recordingId: part!.id }))!.content);
    const whole = part!.durationMs;
    expect(rmsBetween(recorded.left, recorded.sampleRate, 0, whole)).toBeGreaterThan(0.005);
    expect(rmsBetween(recorded.right, recorded.sampleRate, 0, whole)).toBeGreaterThan(0.005);

    const card = await waitFor('the scorecard', () => getScorecard({ db: stack.db, sessionId: session!.id, dealershipId: stack.seeded.dealershipId }), (c) => c?.status === 'complete', 60_000);
    expect(card?.items.length).toBeGreaterThan(0);
    const history = await traineeCaller(stack).history.list({});
    expect(history.items.find((s) => s.id === session!.id)?.channel).toBe('phone');
  }, 240_000);

  it('takes a PIN said aloud in two groups of digits, when the caller has no keypad at hand', async () => {
    // A fixed PIN rather than a random one: the small local recogniser mishears some digits on
    // this path (a repeated last digit; "four" in this voice came out as "floor" in about one
    // call in three), which is why the keypad comes first in the prompt.
    const pin = '861518';
    await stack.db
      .update(phonePins)
      .set({ pinDigest: digestPhonePin({ secret: PHONE_PIN_SECRET, dealershipId: stack.seeded.dealershipId, pin }) })
      .where(eq(phonePins.userId, stack.seeded.userIds.trainee!));
    const say = async (text: string) => parsePcmWav((await synthesizeWav('flite', { voice: 'rms', text }))!);
    // "My PIN is …", as callers say it.
    const digits = (part: string) => part.split('').join(', ');
    const [first, second] = [await say(`My PIN is ${digits(pin.slice(0, 3))}`), await say(digits(pin.slice(3)))];
    const callerId = '+13125550112';
    // After the welcome (the caller listens first), the first digits, a pause, the rest; then they
    // stay on through the hand-over.
    const audio = new CallerAudio()
      .silence(8000)
      .speech(first.samples, first.sampleRate)
      .silence(1200)
      .speech(second.samples, second.sampleRate)
      // the recogniser of a busy host took up to 9 s for the second group
      .silence(18_000);
    const pcap = path.join(stack.workDir, 'spoken-pin.pcap');
    audio.writePcap(pcap);
    const sipp = await placeSippCall({ dir: stack.workDir, sipPort: phone.sipPort, number: LINE, callerId, pcapFile: pcap, holdMs: audio.durationMs });
    onTestFailed(() => {
      process.stderr.write(`sipp:\n${sipp.tail().slice(-15).join('\n')}\nagent:\n${stack.agent.tail().slice(-30).join('\n')}\n`);
    });
    expect(await sipp.exited).toBe(0);
    const [call] = await waitFor(
      'the call record closed',
      () => stack.db.select().from(phoneCalls).where(eq(phoneCalls.callerNumber, callerId)),
      (rows) => rows[0]?.endedAt != null,
      30_000,
    );
    expect(call).toMatchObject({ outcome: 'practised', traineeId: stack.seeded.userIds.trainee, pinAttempts: 1 });
  }, 120_000);
});
