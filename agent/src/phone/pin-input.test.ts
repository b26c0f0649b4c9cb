import { describe, expect, it } from 'vitest';
import { PinCollector, TranscriptWait, digitsFromSpeech } from './pin-input';

describe('digitsFromSpeech', () => {
  it('reads digits said as words, numerals or both', () => {
    expect(digitsFromSpeech('One, two, three. Four, five, six.')).toBe('123456');
    expect(digitsFromSpeech('My PIN is 4 8 1 5 1 6')).toBe('481516');
    expect(digitsFromSpeech('123-456')).toBe('123456');
    expect(digitsFromSpeech('oh five nine two two one')).toBe('059221');
  });

  it('reads homophones only in an utterance made of digits', () => {
    expect(digitsFromSpeech('two four six eight to zero')).toBe('246820');
    expect(digitsFromSpeech("I'm calling for some practice")).toBe('');
  });

  it('expands double and triple', () => {
    expect(digitsFromSpeech('double five triple oh one')).toBe('550001');
  });
});

describe('PinCollector', () => {
  it('completes a keypad PIN at six digits or on #, and * starts over', () => {
    const pins = new PinCollector(6);
    for (const k of '12345') expect(pins.pressKey(k)).toEqual({ kind: 'pending' });
    expect(pins.pressKey('6')).toEqual({ kind: 'pin', pin: '123456' });
    pins.pressKey('9');
    expect(pins.pressKey('*')).toEqual({ kind: 'cleared' });
    for (const k of '4321') pins.pressKey(k);
    expect(pins.pressKey('#')).toEqual({ kind: 'pin', pin: '4321' });
    expect(pins.pressKey('#')).toEqual({ kind: 'pending' });
  });

  it('takes a spoken PIN, also when it follows typed digits', () => {
    const pins = new PinCollector(6);
    expect(pins.hear('one two three four five six')).toEqual({ kind: 'pin', pin: '123456' });
    pins.pressKey('1');
    pins.pressKey('2');
    expect(pins.hear('three four five six')).toEqual({ kind: 'pin', pin: '123456' });
    expect(pins.hear('hello?')).toEqual({ kind: 'pending' });
  });

  it('adds digits said in groups, with pauses between them, until the PIN is complete', () => {
    const pins = new PinCollector(6);
    expect(pins.hear('My PIN is four, eight, one.')).toEqual({ kind: 'pending' });
    expect(pins.entered).toBe('481');
    expect(pins.hear('hmm')).toEqual({ kind: 'pending' });
    expect(pins.hear('5, 1, 6.')).toEqual({ kind: 'pin', pin: '481516' });
    // A short PIN said and left there is taken when the caller's pause lasts, as "#" would.
    expect(pins.hear('nine nine nine')).toEqual({ kind: 'pending' });
    expect(pins.pressKey('#')).toEqual({ kind: 'pin', pin: '999' });
  });
});

describe('TranscriptWait', () => {
  it('holds a pause timer while the last words are being transcribed, until they arrive', () => {
    let now = 0;
    const words = new TranscriptWait(6000, () => now);
    expect(words.remainingMs()).toBe(0);
    words.speechEnded();
    now = 3000; // the 3 s pause inside a spoken PIN is over, the recogniser is not done yet
    expect(words.remainingMs()).toBe(3000);
    words.transcribed();
    expect(words.remainingMs()).toBe(0);
  });

  it('stops waiting after maxMs: an utterance without words (a cough) brings no transcript', () => {
    let now = 0;
    const words = new TranscriptWait(6000, () => now);
    words.speechEnded();
    now = 5999;
    expect(words.remainingMs()).toBe(1);
    now = 6000;
    expect(words.remainingMs()).toBe(0);
    now = 6500;
    expect(words.remainingMs()).toBe(0);
  });

  it('times the wait from the end of the latest utterance', () => {
    let now = 0;
    const words = new TranscriptWait(6000, () => now);
    words.speechEnded();
    now = 5000;
    words.speechEnded();
    now = 8000;
    expect(words.remainingMs()).toBe(3000);
  });

  it('waits for every utterance still queued at the recogniser, not only the first to come back', () => {
    let now = 0;
    const words = new TranscriptWait(6000, () => now);
    words.speechEnded(); // "my PIN is eight six one"
    now = 2500;
    words.speechEnded(); // "five one eight"
    now = 6500; // the first half's words arrive; the second half's are queued behind them
    words.transcribed();
    now = 9500; // the pause timer runs out
    expect(words.remainingMs()).toBe(3000);
    now = 11_000;
    words.transcribed();
    expect(words.remainingMs()).toBe(0);
  });

  it('gives up on queued utterances maxMs after the last progress, and counts afresh after that', () => {
    let now = 0;
    const words = new TranscriptWait(6000, () => now);
    words.speechEnded();
    words.speechEnded();
    now = 3000;
    words.transcribed();
    now = 9000;
    expect(words.remainingMs()).toBe(0);
    words.speechEnded();
    now = 10_000;
    expect(words.remainingMs()).toBe(5000);
    words.transcribed();
    expect(words.remainingMs()).toBe(0);
  });
});
