import { describe, expect, it } from 'vitest';
// The seeded scenarios are the real personas and deals trainees meet; the db package does not export them.
import { SEED_SCENARIOS } from '../../../db/src/seed/scenarios';
import { customerInstructions, pickObjections, type TDifficulty } from './customer';

const ROLEPLAYS = SEED_SCENARIOS.filter((s) => s.mode === 'roleplay');
const marcus = ROLEPLAYS.find((s) => s.objections.length >= 4) ?? ROLEPLAYS[0]!;
const DIFFICULTIES: TDifficulty[] = ['easy', 'medium', 'hard'];
const SEEDS = ['3f2a9c1e-0000-4000-8000-000000000001', 'b7d1e2f0-0000-4000-8000-000000000002', ''];

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const raised = (text: string, pool: readonly string[]) => pool.filter((o) => text.includes(`"${o}"`));

describe('customer difficulty', () => {
  it('difficulty sets how many objections the customer brings: 1, 2, then 3', () => {
    const counts = DIFFICULTIES.map((difficulty) => {
      const text = customerInstructions({ ...marcus, difficulty, seed: SEEDS[0] });
      return raised(text, marcus.objections).length;
    });
    expect(counts).toEqual([1, 2, 3]);
  });

  it('hard takes the whole pool when it holds fewer than three', () => {
    expect(pickObjections(['Too expensive.', 'I need to think about it.'], 'hard', 'x')).toHaveLength(2);
    expect(pickObjections([], 'medium', 'x')).toEqual([]);
  });

  it('difficulty changes the rules for agreeing, not only the count', () => {
    const [easy, medium, hard] = DIFFICULTIES.map((difficulty) => customerInstructions({ ...marcus, difficulty }));
    expect(easy).toContain('clear, honest answer');
    expect(medium).toMatch(/benefit to your own needs.*payment that fits/);
    expect(hard).toMatch(/raise your first concern once more.*specific recommendation with exact numbers/);
  });

  it('the same seed gives the same customer; different seeds vary the mix', () => {
    const build = (seed: string) => customerInstructions({ ...marcus, difficulty: 'medium', seed });
    expect(build(SEEDS[0]!)).toBe(build(SEEDS[0]!));
    const mixes = new Set(Array.from({ length: 20 }, (_, i) => pickObjections(marcus.objections, 'medium', `session-${i}`).join('|')));
    expect(mixes.size).toBeGreaterThan(3);
  });

  it('picks only objections from the pool, never the same one twice', () => {
    for (const seed of SEEDS) {
      const picked = pickObjections(marcus.objections, 'hard', seed);
      expect(new Set(picked).size).toBe(picked.length);
      for (const o of picked) expect(marcus.objections).toContain(o);
    }
  });
});

describe('customer instructions', () => {
  it('stay under ~180 words for every seeded role-play at every difficulty', () => {
    for (const scenario of ROLEPLAYS) {
      for (const difficulty of DIFFICULTIES) {
        for (const seed of SEEDS) expect(words(customerInstructions({ ...scenario, difficulty, seed }))).toBeLessThan(180);
      }
    }
  });

  it('keep the customer in character: no coaching language, never an AI', () => {
    for (const scenario of ROLEPLAYS) {
      const text = customerInstructions({ ...scenario, difficulty: 'hard', seed: SEEDS[1] });
      expect(text).not.toMatch(/\b(coach\w*|feedback|tips?|score|grade|well done|great job|you should|try saying|best practice)\b/i);
      expect(text).toContain('never an AI');
      expect(text).toContain(`You are ${scenario.persona.name}`);
    }
  });

  it('state the real base payment, APR and term so the customer can question a quote', () => {
    const text = customerInstructions({ ...marcus, difficulty: 'easy' });
    const deal = marcus.dealJacket!;
    expect(text).toContain(`$${Math.round(deal.payment).toLocaleString('en-US')} a month at ${deal.apr}% for ${deal.termMonths} months`);
  });
});
