import { describe, expect, it } from 'vitest';
import { heardPortion, replyLatency } from './recorder';

describe('heardPortion', () => {
  const greeting = "Hi, I'm Jordan. The salesperson said you'd finish up the paperwork on my Civic.";
  it('keeps the whole words spoken before the interruption', () => {
    expect(heardPortion(greeting, 1.2, 14)).toBe("Hi, I'm Jordan.");
    expect(heardPortion(greeting, 0, 14)).toBe('');
  });
  it('never returns more than the text, however long the agent spoke', () => {
    expect(heardPortion(greeting, 60, 14)).toBe(greeting);
  });
});

describe('replyLatency', () => {
  it('converts agents-js seconds to milliseconds and joins the trainee turn with the reply', () => {
    expect(replyLatency({ endOfTurnDelay: 0.5, transcriptionDelay: 0.25 }, { llmNodeTtft: 0.42, ttsNodeTtfb: 0.18, e2eLatency: 1.1 })).toEqual({
      endOfUtteranceDelayMs: 500,
      transcriptionDelayMs: 250,
      llmTtftMs: 420,
      ttsTtfbMs: 180,
      voiceToVoiceMs: 1100,
    });
  });
  it('leaves out stages that did not run or clock oddities, and gives nothing when nothing was timed', () => {
    expect(replyLatency(undefined, { ttsNodeTtfb: 0.2, e2eLatency: -0.1 })).toEqual({ ttsTtfbMs: 200 });
    expect(replyLatency(undefined, {})).toBeUndefined();
  });
});
