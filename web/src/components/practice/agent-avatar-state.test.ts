import { describe, expect, it } from 'vitest';
import { avatarStateWords, hueOf, initialsOf, speakingLevel } from './agent-avatar-state';

describe('initialsOf', () => {
  it('takes the first and last word that has a letter', () => {
    expect(initialsOf('Adam')).toBe('A');
    expect(initialsOf('Linda Chen')).toBe('LC');
    expect(initialsOf('  josé   de la cruz ')).toBe('JC');
    expect(initialsOf('Dr. Mary-Ann O’Neil')).toBe('DO');
    expect(initialsOf('— 42')).toBe('?');
  });
});

describe('speakingLevel', () => {
  it('is zero unless speaking, and stretches speech loudness into 0–1 in steps of 0.05', () => {
    expect(speakingLevel('listening', 0.3)).toBe(0);
    expect(speakingLevel('thinking', 0.9)).toBe(0);
    expect(speakingLevel('speaking', 0)).toBe(0);
    expect(speakingLevel('speaking', 0.1)).toBe(0.3);
    expect(speakingLevel('speaking', 0.21)).toBe(0.65);
    expect(speakingLevel('speaking', 0.8)).toBe(1);
    expect(speakingLevel('speaking', Number.NaN)).toBe(0);
  });
});

describe('avatarStateWords and hueOf', () => {
  it('names every state and gives a persona the same hue every time', () => {
    expect(avatarStateWords('speaking')).toBe('speaking');
    expect(avatarStateWords('pre-connect-buffering')).toBe('getting ready');
    expect(hueOf('Linda Chen')).toBe(hueOf('Linda Chen'));
    expect(hueOf('Linda Chen')).not.toBe(hueOf('Adam'));
    expect(hueOf('Adam')).toBeGreaterThanOrEqual(0);
    expect(hueOf('Adam')).toBeLessThan(360);
  });
});
