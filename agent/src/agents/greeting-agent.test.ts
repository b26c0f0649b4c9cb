import { voice } from '@livekit/agents';
import { AudioFrame } from '@livekit/rtc-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GreetingAgent, type TGreetingAudio } from './greeting-agent';

const GREETING = "Hi, I'm Dana. The salesperson said you'd finish up the paperwork on my 2024 Toyota RAV4.";

const frame = (value: number) => new AudioFrame(Int16Array.from({ length: 220 }, () => value), 22050, 1, 220);
const textStream = (...chunks: string[]) =>
  new ReadableStream<string>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });

/** Stands in for the session's voice: answers every synthesis with these frames. */
function synthesisGives(frames: AudioFrame[]) {
  return vi.spyOn(voice.Agent.default, 'ttsNode').mockImplementation(async (_agent, text) => {
    const reader = (text as ReadableStream<string>).getReader();
    while (!(await reader.read()).done); // the voice reads all the words
    return new ReadableStream<AudioFrame>({
      start(controller) {
        for (const f of frames) controller.enqueue(f);
        controller.close();
      },
    });
  });
}

async function readAll(stream: ReadableStream<AudioFrame> | null): Promise<AudioFrame[]> {
  const out: AudioFrame[] = [];
  for await (const f of stream!) out.push(f);
  return out;
}

/** An agent whose session only records what `say` was asked to speak. */
function agentWith(audio?: Partial<TGreetingAudio>) {
  const agent = new GreetingAgent({ instructions: 'Be Dana.', greeting: GREETING });
  const said: { text: string; audio?: ReadableStream<AudioFrame> }[] = [];
  const session = { say: (text: string, opts?: { audio?: ReadableStream<AudioFrame> }) => said.push({ text, audio: opts?.audio }), on: () => session, off: () => session };
  Object.defineProperty(agent, 'session', { get: () => session });
  const record = vi.fn<(frames: AudioFrame[]) => void>();
  if (audio) agent.useGreetingAudio({ text: GREETING, recorded: null, record, ...audio });
  return { agent, said, record };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('GreetingAgent greeting audio', () => {
  it('plays a kept recording of its greeting instead of synthesising it', async () => {
    const kept = [frame(1), frame(2), frame(3)];
    const { agent, said } = agentWith({ recorded: kept });
    await agent.onEnter();
    expect(said).toHaveLength(1);
    expect(said[0]!.text).toBe(GREETING);
    expect(await readAll(said[0]!.audio!)).toEqual(kept);
  });

  it('ignores a recording of other words', async () => {
    const { agent, said } = agentWith();
    agent.useGreetingAudio({ text: 'Hi, I am Sam.', recorded: [frame(1)], record: () => undefined });
    await agent.onEnter();
    expect(said[0]!.audio).toBeUndefined();
  });

  it('synthesises the greeting when nothing is kept and records it once it has been synthesised in full', async () => {
    const synthesised = [frame(4), frame(5)];
    synthesisGives(synthesised);
    const { agent, said, record } = agentWith({ recorded: null });
    await agent.onEnter();
    expect(said[0]!.audio).toBeUndefined();

    const heard = await readAll(await agent.ttsNode(textStream("Hi, I'm Dana. ", "The salesperson said you'd finish up the paperwork on my 2024 Toyota RAV4."), {}));
    expect(heard).toEqual(synthesised);
    expect(record).toHaveBeenCalledOnce();
    expect(record.mock.calls[0]![0]).toEqual(synthesised);

    // Later replies are not greetings.
    await readAll(await agent.ttsNode(textStream('Sure, go ahead.'), {}));
    expect(record).toHaveBeenCalledOnce();
  });

  it('does not record a greeting cut short', async () => {
    synthesisGives([frame(4), frame(5), frame(6)]);
    const { agent, record } = agentWith({ recorded: null });
    await agent.onEnter();
    const reader = (await agent.ttsNode(textStream(GREETING), {}))!.getReader();
    await reader.read();
    await reader.cancel('interrupted');
    expect(record).not.toHaveBeenCalled();
  });

  it('does not record a reply synthesised before the greeting (the trainee spoke first)', async () => {
    synthesisGives([frame(7)]);
    const { agent, record } = agentWith({ recorded: null });
    await agent.onEnter();
    await readAll(await agent.ttsNode(textStream('Sorry, go ahead.'), {}));
    expect(record).not.toHaveBeenCalled();
  });
});
