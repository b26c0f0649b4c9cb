import { dispose } from '@livekit/rtc-node';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { synthesizeWav } from '../agent/src/providers/flite-process';
import { parsePcmWav } from '../agent/src/providers/wav';
import { normalizeWords, wordErrorRate } from '../agent/src/providers/word-error-rate';
import { sessionRow, traineeCaller, waitFor } from './harness/app';
import { TestParticipant } from './harness/participant';
import { type TestStack, startTestStack } from './harness/stack';

/**
 * The agent answers speech with speech, on the local engines CI installs (no keys, no internet):
 * a trainee's microphone carries a synthesised sentence → VAD + Whisper transcribe it → the local
 * LLM replies → Piper speaks the reply into the room. Asserts what the agent heard (its own
 * transcription stream) and that a spoken reply follows the trainee's turn.
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
  await dispose();
});

// No figures: Whisper writes numbers as digits, which a word-level comparison would count as errors.
const SENTENCE = 'Before you sign, let me show you the protection options for your new car.';

describe('a spoken turn in a role-play session', () => {
  it('is transcribed, answered by the customer, and the reply is heard in the room', async () => {
    onTestFailed(() => {
      process.stderr.write(`agent log tail:\n${stack.agent.tail().join('\n')}\n(logs in ${stack.logDir})\n`);
    });
    const caller = traineeCaller(stack);
    const scenario = (await caller.scenario.list()).find((s) => s.mode === 'roleplay')!;
    const started = await caller.session.start({ scenarioId: scenario.id });

    const trainee = new TestParticipant();
    await trainee.join(started.serverUrl, started.token);
    await trainee.publishMicrophone();
    // Let the greeting finish: the trainee answers it, as a person would.
    const greeting = await trainee.waitForAgentReply(0, 30_000);

    const wav = parsePcmWav((await synthesizeWav('flite', { voice: 'rms', text: SENTENCE }))!);
    const endOfSpeech = await trainee.say(wav.samples, wav.sampleRate);
    const reply = await trainee.waitForAgentReply(endOfSpeech, 45_000);
    process.stdout.write(`voice-to-voice (end of trainee speech → first reply audio): ${reply.startedAt - endOfSpeech} ms\n`);
    expect(reply.startedAt).toBeGreaterThan(greeting.endedAt);

    // What the agent heard, from the room's transcription stream of the trainee's track.
    const heard = await waitFor(
      'the trainee transcript',
      async () => trainee.transcripts.filter((t) => t.from === trainee.room.localParticipant!.identity && t.final),
      (t) => t.length > 0,
      10_000,
    );
    const text = heard.map((t) => t.text).join(' ');
    expect(wordErrorRate([{ reference: SENTENCE, hypothesis: text }])).toBeLessThanOrEqual(0.25);

    // And what it said back: a non-empty reply other than the greeting.
    // Agent segments stream as the words are spoken; each text stream is one segment.
    const agentLines = await waitFor(
      'the greeting and reply transcripts',
      async () => trainee.transcripts.filter((t) => t.from === trainee.agent!.identity),
      (t) => t.length >= 2,
      10_000,
    );
    expect(agentLines.length).toBeGreaterThanOrEqual(2);
    expect(agentLines.at(-1)!.at).toBeGreaterThan(endOfSpeech);
    expect(normalizeWords(agentLines.at(-1)!.text).length).toBeGreaterThan(0);

    await trainee.leave();
    await waitFor('session ended', () => sessionRow(stack, started.sessionId), (r) => r.status === 'ended');
  });
});
