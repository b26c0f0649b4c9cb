import {
  AudioSource,
  dispose,
  LocalAudioTrack,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { synthesizeWav } from '../agent/src/providers/flite-process';
import { parsePcmWav } from '../agent/src/providers/wav';
import { managerCaller, sessionRow, traineeCaller, waitFor } from './harness/app';
import { TestParticipant, joinAsTrainee } from './harness/participant';
import { startTestStack, type TestStack } from './harness/stack';

/**
 * A manager listens in on a live role-play through a real room: `observe.join` mints a hidden,
 * subscribe-only token → a second WebRTC participant joins with it → it hears the agent, receives
 * the transcripts of both sides, stays invisible to the trainee and cannot put anything into the room.
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
  await dispose();
});

const SENTENCE = 'Thanks for choosing us today, let me walk you through your paperwork.';

describe('a manager listening to a live practice session', () => {
  it('hears the agent, reads both sides of the transcript, is hidden from the trainee and cannot publish', async () => {
    onTestFailed(() => {
      process.stderr.write(`agent log tail:\n${stack.agent.tail().join('\n')}\n(logs in ${stack.logDir})\n`);
    });
    const trainee = traineeCaller(stack);
    const scenario = (await trainee.scenario.list()).find((s) => s.mode === 'roleplay')!;
    const started = await trainee.session.start({ scenarioId: scenario.id });
    const traineeSide = await joinAsTrainee(started);
    const traineeIdentity = traineeSide.room.localParticipant!.identity;
    // Everyone the trainee's client is ever told about, from here on.
    const seenByTrainee: string[] = [];
    traineeSide.room.on(RoomEvent.ParticipantConnected, (p) => seenByTrainee.push(p.identity));
    const dataReceivedByTrainee: string[] = [];
    traineeSide.room.on(RoomEvent.DataReceived, (_payload, participant, _kind, topic) => {
      dataReceivedByTrainee.push(`${participant?.identity ?? '?'}:${topic ?? ''}`);
    });

    const manager = managerCaller(stack);
    expect((await manager.observe.live()).map((s) => s.id)).toContain(started.sessionId);
    // Listening opens once the agent is talking (the session is live).
    await waitFor('session live', () => sessionRow(stack, started.sessionId), (r) => r.status === 'live', 30_000);
    const joined = await manager.observe.join({ sessionId: started.sessionId });
    expect(joined.roomName).toBe(started.roomName);
    const observer = new TestParticipant();
    await observer.join(joined.serverUrl, joined.token);
    const observerIdentity = observer.room.localParticipant!.identity;
    expect(observerIdentity).toMatch(/^observer-/);

    // The agent's greeting reaches the observer as audio.
    await observer.waitForAgentSpeech(45_000);
    expect(observer.agent).not.toBeNull();

    // The trainee's side: the observer is subscribed to the microphone and gets what the agent heard.
    await waitFor(
      "the trainee's microphone at the observer",
      async () =>
        [...(observer.room.remoteParticipants.get(traineeIdentity)?.trackPublications.values() ?? [])].filter(
          (p) => p.kind === TrackKind.KIND_AUDIO && p.subscribed,
        ).length,
      (n) => n === 1,
      10_000,
    );
    await traineeSide.waitForAgentReply(0, 30_000);
    const wav = parsePcmWav((await synthesizeWav('flite', { voice: 'rms', text: SENTENCE }))!);
    await traineeSide.say(wav.samples, wav.sampleRate);
    const heard = await waitFor(
      "the trainee's transcript at the observer",
      async () => observer.transcripts.filter((t) => t.from === traineeIdentity && t.final),
      (lines) => lines.length > 0,
      30_000,
    );
    expect(heard.map((t) => t.text).join(' ')).toMatch(/paperwork/i);

    // The agent's side of the transcript streams to the observer as the words are spoken (each text
    // stream is one segment). The greeting's text may have been opened before the observer joined —
    // text streams are not replayed to late joiners — so the reply to the trainee, begun after the
    // observer arrived, is the one checked.
    const agentLines = await waitFor(
      "the agent's transcript at the observer",
      async () => observer.transcripts.filter((t) => t.from === observer.agent!.identity && t.text.trim().length > 0),
      (lines) => lines.length > 0,
      45_000,
    );
    expect(agentLines[0]!.text.trim().length).toBeGreaterThan(0);

    // Hidden: the server has the observer in the room, the trainee's client never hears of it.
    const rooms = new RoomServiceClient(stack.livekit.url, stack.livekit.apiKey, stack.livekit.apiSecret);
    const inRoom = await rooms.listParticipants(started.roomName);
    const observerInfo = inRoom.find((p) => p.identity === observerIdentity);
    expect(observerInfo?.permission).toMatchObject({ hidden: true, canPublish: false, canPublishData: false, recorder: false });
    expect([...traineeSide.room.remoteParticipants.keys()]).toEqual([observer.agent!.identity]);
    expect(seenByTrainee).not.toContain(observerIdentity);

    // Listen-only: a track cannot be published, and data sent anyway never reaches the trainee.
    const source = new AudioSource(48_000, 1);
    const track = LocalAudioTrack.createAudioTrack('observer-mic', source);
    const options = new TrackPublishOptions();
    options.source = TrackSource.SOURCE_MICROPHONE;
    const publishing = await observer.room.localParticipant!.publishTrack(track, options).then(
      () => 'published',
      (error: unknown) => `refused: ${String(error)}`,
    );
    expect(publishing).toMatch(/^refused/);
    await observer.room.localParticipant!.publishData(new TextEncoder().encode('hello'), { reliable: true, topic: 'observer-test' }).catch(() => {});
    await new Promise((r) => setTimeout(r, 1_000));
    expect(dataReceivedByTrainee.filter((d) => d.endsWith(':observer-test'))).toEqual([]);
    expect([...traineeSide.room.remoteParticipants.keys()]).toEqual([observer.agent!.identity]);
    await source.close();

    // The trainee leaving ends the session; the agent leaves the room the observer is still in.
    const agentIdentity = observer.agent!.identity;
    await traineeSide.leave();
    await waitFor('session ended', () => sessionRow(stack, started.sessionId), (r) => r.status === 'ended');
    await waitFor('the agent gone from the observer’s room', async () => observer.room.remoteParticipants.has(agentIdentity), (present) => !present, 20_000);
    expect((await manager.observe.live()).map((s) => s.id)).not.toContain(started.sessionId);
    await observer.leave();
  });
});
