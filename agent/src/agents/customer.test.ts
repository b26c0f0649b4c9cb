import { initializeLogger, type llm, voice } from '@livekit/agents';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SEED_SCENARIOS } from '../../../db/src/seed/scenarios';
import { RecordingLLM, systemTexts } from '../testing/recording-llm';
import { CustomerAgent } from './customer';

// Jordan Reyes's certified Civic: base $496.62 a month at 11.9% for 72 months.
const jordan = SEED_SCENARIOS.find((s) => s.persona.name === 'Jordan Reyes')!;
const notes = (ctx: llm.ChatContext) => systemTexts(ctx).filter((t) => t.startsWith('They quoted'));

let session: voice.AgentSession | undefined;

async function start() {
  const recording = new RecordingLLM();
  // Text only: no VAD, STT or TTS, no room; the greeting is said as text.
  session = new voice.AgentSession({ llm: recording });
  const agent = new CustomerAgent(jordan, { seed: 'session-under-test' });
  await session.start({ agent });
  return { recording, agent, session };
}

beforeAll(() => initializeLogger({ pretty: false, level: 'silent' }));
afterEach(async () => {
  await session?.close().catch(() => {});
  session = undefined;
});

describe('CustomerAgent payment notes', () => {
  it('a quoted payment above base reaches the LLM with the real maths, for that reply only', async () => {
    const { recording, agent, session } = await start();
    expect(jordan.dealJacket!.payment).toBeLessThan(560);
    await session.run({ userInput: 'Okay Jordan, your payment will be $560 a month.' }).wait();

    const seen = recording.received.at(-1)!;
    expect(notes(seen)).toEqual([
      'They quoted $560 a month; your base payment is $497 at 11.9% for 72 months, so $63 a month is unexplained.',
    ]);
    // The note follows the trainee's words, the last thing the model reads before answering.
    expect(seen.items.at(-1)).toMatchObject({ role: 'system' });
    expect(seen.items.at(-2)).toMatchObject({ role: 'user' });
    // It never enters the stored conversation, so later turns are not haunted by it.
    expect(agent.chatCtx.items.some((i) => i.id.startsWith('payment_note_'))).toBe(false);
  });

  it('a message without a payment adds no note', async () => {
    const { recording, session } = await start();
    await session.run({ userInput: 'Congratulations on the Civic. Can I ask how many miles you drive?' }).wait();
    const seen = recording.received.at(-1)!;
    expect(systemTexts(seen)).toHaveLength(1); // the instructions alone
    expect(notes(seen)).toEqual([]);
  });

  it('a spoken turn gets exactly one note, in the reply node (so preemptive replies keep it)', async () => {
    const { recording, session } = await start();
    // What the end-of-turn detector hands the agent after a speech recogniser's transcript.
    await session._activity!.onEndOfTurn({
      newTranscript: 'so that puts you at five sixty a month',
      transcriptConfidence: 1,
      transcriptionDelay: 0,
      endOfUtteranceDelay: 0,
      startedSpeakingAt: undefined,
      stoppedSpeakingAt: undefined,
    });
    await vi.waitFor(() => expect(recording.received.length).toBeGreaterThan(0), { timeout: 5000 });
    expect(notes(recording.received.at(-1)!)).toEqual([expect.stringContaining('$63 a month is unexplained')]);
  });

  it('offers the same check as a tool to LLMs that call functions', async () => {
    const agent = new CustomerAgent(jordan);
    expect(Object.keys(agent.toolCtx.functionTools)).toEqual(['check_payment']);
    expect(Object.keys(new CustomerAgent({ ...jordan, dealJacket: null }).toolCtx.functionTools)).toEqual([]);
  });
});
