import type { TDealJacket } from '@avatar-adam/db';
import { describe, expect, it } from 'vitest';
import { coachGreeting, customerGreeting } from './greeting';

const vehicle: TDealJacket['vehicle'] = { year: 2026, make: 'Toyota', model: 'Highlander', trim: 'XLE', condition: 'new' };

describe('greetings', () => {
  it('Adam greets the trainee by first name and introduces himself as the coach', () => {
    const text = coachGreeting({ persona: { name: 'Adam' }, traineeName: 'Tom Becker' });
    expect(text).toMatch(/^Hi Tom, I'm Adam, your F&I coach\./);
    expect(text).not.toContain('Becker');
    expect(text.trim().endsWith('?')).toBe(true);
  });

  it('the customer greets in character with their name and the car from the deal jacket', () => {
    const text = customerGreeting({ persona: { name: 'Dana Whitfield' }, dealJacket: { vehicle } });
    expect(text).toContain("I'm Dana Whitfield");
    expect(text).toContain('new 2026 Toyota Highlander XLE');
    expect(text).not.toMatch(/\b(coach|AI|assistant)\b/i);
  });

  it('a used car is not announced as "used", a certified one is', () => {
    const used = customerGreeting({ persona: { name: 'Sam' }, dealJacket: { vehicle: { ...vehicle, condition: 'used', trim: undefined } } });
    expect(used).toContain('my 2026 Toyota Highlander.');
    const certified = customerGreeting({ persona: { name: 'Sam' }, dealJacket: { vehicle: { ...vehicle, condition: 'certified' } } });
    expect(certified).toContain('certified 2026 Toyota Highlander XLE');
  });

  it('the customer still greets when the scenario has no deal jacket', () => {
    expect(customerGreeting({ persona: { name: 'Jordan Reyes' }, dealJacket: null })).toMatch(/^Hi, I'm Jordan Reyes\. .*paperwork\.$/);
  });

  it('the coach greets without a name when the trainee has none on file', () => {
    expect(coachGreeting({ persona: { name: 'Adam' }, traineeName: ' ' })).toMatch(/^Hi, I'm Adam,/);
  });
});
