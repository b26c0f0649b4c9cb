import { describe, expect, it } from 'vitest';
import { MAX_STEP_SCORE, scoreSteps, type TFiStep } from './step-scores';
import type { TScoringTurn } from './transcript';

function transcript(...lines: [speaker: 'agent' | 'trainee', text: string][]): TScoringTurn[] {
  return lines.map(([speaker, text], i) => ({ sequence: i + 1, speaker, text }));
}
function byStep(turns: TScoringTurn[]) {
  return Object.fromEntries(scoreSteps(turns).map((s) => [s.step, s])) as Record<TFiStep, ReturnType<typeof scoreSteps>[number]>;
}

const FULL = transcript(
  ['trainee', "Hi Dana, welcome! My name is Chris and I'm your finance manager. Congratulations on the new Highlander."],
  ['agent', "Thanks. Let's keep this quick."],
  ['trainee', "Here's what we'll do today: I'll verify a few details, go over your options and finalize the paperwork. It takes about fifteen minutes."],
  ['agent', 'Fine.'],
  ['trainee', 'Can you confirm your address and employer are still the same? Who is your insurance company? How many miles do you drive a year, and how long do you usually keep your cars?'],
  ['agent', 'Same address, State Farm, about 24,000 miles a year, and I keep them eight years or more.'],
  ['trainee', 'Have you ever had a big repair bill on a previous car? Since you drive 24,000 miles a year, the factory warranty runs out in about two years.'],
  ['agent', 'Once, a transmission.'],
  ['trainee', 'Here is the menu, and all of these options are optional. Your base payment is $489 a month at 6.49% APR for 72 months. The service contract, GAP and tire and wheel are shown with their payments.'],
  ['agent', "The factory warranty covers me, I don't need a service contract."],
  ['trainee', 'I understand, that makes sense. Since you keep your cars eight years, the factory warranty ends long before you are done with this one.'],
  ['agent', 'Hmm, okay.'],
  ['trainee', 'I recommend the platinum service contract because you keep your cars for eight years.'],
  ['agent', "Alright, let's do it."],
  ['trainee', 'Here is the retail installment contract and the Truth in Lending disclosure with the amount financed and finance charge. Please sign here, and I will give you a copy for your records.'],
);

describe('scoreSteps', () => {
  it('scores all eight steps of a complete role-play, each backed by a sentence of a trainee turn', () => {
    const scores = scoreSteps(FULL);
    expect(scores.map((s) => s.step)).toEqual([
      'greeting', 'base_statement', 'interview', 'needs_awareness', 'menu_presentation', 'objection_handling', 're_close', 'documents',
    ]);
    for (const s of scores) {
      expect(s.score, s.step).toBeGreaterThanOrEqual(5);
      expect(s.score).toBeLessThanOrEqual(MAX_STEP_SCORE);
      const turn = FULL.find((t) => t.sequence === s.turnSequence)!;
      expect(turn.speaker).toBe('trainee');
      expect(turn.text).toContain(s.evidenceQuote!);
    }
  });

  it('quotes the best sentence and explains what was and was not heard', () => {
    const s = byStep(FULL);
    expect(s.greeting).toMatchObject({ score: 10, turnSequence: 1, evidenceQuote: 'Hi Dana, welcome!' });
    expect(s.re_close).toMatchObject({
      score: 10,
      turnSequence: 13,
      evidenceQuote: 'I recommend the platinum service contract because you keep your cars for eight years.',
    });
    expect(s.base_statement.rationale).toMatch(/^Heard: explained what will happen, said how long it will take/);
    expect(s.interview.rationale).toMatch(/not heard: reviewed credit\.$/);
  });

  it('gives 0 and says what was missing when a step never happened', () => {
    const s = byStep(FULL.slice(0, 12));
    expect(s.documents).toMatchObject({ score: 0, evidenceQuote: null, turnSequence: null });
    expect(s.documents.rationale).toBe('The trainee never covered the contract, disclosures or signatures.');
  });

  it('does not count an open question as a re-close', () => {
    const s = byStep(transcript(['agent', 'So what now?'], ['trainee', 'Would you like any of these?']));
    expect(s.re_close.score).toBe(0);
    expect(s.re_close.rationale).toMatch(/specific recommendation/);
  });

  it('judges objection handling on the reply to the objection only, and skips it when none was raised', () => {
    const calm = byStep(transcript(['agent', 'Sounds good.'], ['trainee', 'I understand.']));
    expect(calm.objection_handling).toMatchObject({ applicable: false, score: 0 });

    const ignored = byStep(
      transcript(
        ['agent', "I'll need to think about it."],
        ['trainee', 'Let me show you the next page.'],
        ['agent', 'Okay.'],
        ['trainee', 'I understand, thanks for your time.'],
      ),
    );
    expect(ignored.objection_handling).toMatchObject({ applicable: true, score: 0 });

    const handled = byStep(transcript(['agent', "I'll need to think about it."], ['trainee', 'I understand. What concerns you most?']));
    expect(handled.objection_handling).toMatchObject({ score: 7, turnSequence: 2 });
  });

  it('only counts a greeting at the start of the conversation', () => {
    const late = byStep(
      transcript(['trainee', 'Let us look at the numbers.'], ['agent', 'Sure.'], ['trainee', 'Okay.'], ['agent', 'Hm.'], ['trainee', 'Hello and welcome!']),
    );
    expect(late.greeting.score).toBe(0);
  });
});
