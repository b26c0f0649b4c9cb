import { describe, expect, it } from 'vitest';
import { ClauseFirstTokenizer, splitSpeechClauses } from './speech-chunks';

describe('splitSpeechClauses', () => {
  it('splits at sentence ends and clause punctuation', () => {
    expect(splitSpeechClauses('Sure, I can do that. But the payment, is it really $489?')).toEqual([
      'Sure,',
      'I can do that.',
      'But the payment,',
      'is it really $489?',
    ]);
  });
  it('keeps numbers, decimals and titles whole', () => {
    expect(splitSpeechClauses('Dr. Nair financed $52,400 at 6.9% APR.')).toEqual(['Dr. Nair financed $52,400 at 6.9% APR.']);
  });
});

describe('ClauseFirstTokenizer stream', () => {
  it('emits the first clause as soon as it is complete, then sentence-sized chunks', async () => {
    const stream = new ClauseFirstTokenizer().stream();
    const out: string[] = [];
    const reading = (async () => {
      for await (const ev of stream) out.push(ev.token);
    })();
    for (const piece of ['Well, ', 'that sounds ', 'fine to me, ', 'but I want ', 'to see the ', 'numbers first. ', 'Okay?']) {
      stream.pushText(piece);
    }
    // Before the end of the reply, the first clause is already out.
    await new Promise((r) => setTimeout(r, 10));
    expect(out[0]).toBe('Well,');
    stream.flush();
    stream.endInput();
    await reading;
    expect(out.join(' ')).toBe('Well, that sounds fine to me, but I want to see the numbers first. Okay?');
    expect(out.slice(1, -1).every((c) => c.length >= 40)).toBe(true);
  });
});
