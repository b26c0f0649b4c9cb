import { describe, expect, it } from 'vitest';
import { buildJudgePrompt, parseJudgeAnswer, type TJudge, type TJudgeAnswer } from './judge';
import { buildScorecard } from './scorecard';
import type { TScoringTurn } from './transcript';

const TURNS: TScoringTurn[] = [
  { sequence: 1, speaker: 'trainee', text: 'Good morning, I will be handling your paperwork today.' },
  { sequence: 2, speaker: 'agent', text: 'Do I need any of the extras?' },
  { sequence: 3, speaker: 'trainee', text: 'Honestly, for how you drive, the service contract is the one I would put you in. GAP is required.' },
  { sequence: 4, speaker: 'agent', text: 'Okay, where do I sign?' },
];

/** A scripted judge: records what it was asked and answers with `answer` (or throws). */
function scripted(answer: string | Error) {
  const calls: Parameters<TJudge>[0][] = [];
  const judge: TJudge = async (input) => {
    calls.push(input);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { judge, calls };
}
const answer = (a: Partial<TJudgeAnswer>) => JSON.stringify({ steps: [], findings: [], ...a });
const reClose = (quote: string, turn = 3) => ({
  step: 're_close' as const, score: 8, evidenceTurn: turn, evidenceQuote: quote, rationale: 'A clear recommendation tied to how the customer drives.',
});

describe('buildJudgePrompt', () => {
  it('numbers every turn, names the speakers and passes the JSON schema', () => {
    const prompt = buildJudgePrompt({ turns: TURNS });
    expect(prompt.user).toContain('[3] TRAINEE: Honestly, for how you drive');
    expect(prompt.user).toContain('[2] CUSTOMER: Do I need any of the extras?');
    expect(prompt.system).toMatch(/word for word/);
    expect(prompt.schema).toMatchObject({ type: 'object', required: ['steps', 'findings'] });
  });
});

describe('parseJudgeAnswer', () => {
  it('accepts a quote copied from the cited trainee turn, ignoring case, spacing and edge punctuation', () => {
    const parsed = parseJudgeAnswer(answer({ steps: [reClose('  "the SERVICE contract is the one I would put you in"  ')] }), TURNS);
    expect(parsed).toMatchObject({ ok: true, judgement: { rejected: [] } });
  });

  it('rejects an invented quote, a quote cited from the wrong turn and a quote from the customer', () => {
    const parsed = parseJudgeAnswer(
      answer({
        steps: [reClose('I recommend the platinum plan because you drive a lot'), { ...reClose('Good morning, I will be handling'), step: 'greeting', evidenceTurn: 3 }],
        findings: [{ rule: 'product_required', severity: 'auto_fail', turnSequence: 2, evidenceQuote: 'Do I need any of the extras', explanation: 'x' }],
      }),
      TURNS,
    );
    expect(parsed.ok && parsed.judgement).toMatchObject({ steps: [], findings: [] });
    expect(parsed.ok && parsed.judgement.rejected).toHaveLength(3);
  });

  it.each([
    ['not JSON', 'Sure! Here is my assessment: great job.', /not JSON/],
    ['a score above 10', answer({ steps: [{ ...reClose('the service contract is the one'), score: 11 }] }), /schema.*steps\.0\.score/],
    ['an unknown step', answer({ steps: [{ ...reClose('the service contract is the one'), step: 'closing' as never }] }), /schema/],
  ])('rejects the whole answer when it is %s', (_, raw, reason) => {
    const parsed = parseJudgeAnswer(raw, TURNS);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(reason);
  });
});

describe('buildScorecard with a judge', () => {
  it('lets a verified quote raise a step score that the cue phrases missed', async () => {
    const without = await buildScorecard({ turns: TURNS });
    expect(without.items.find((i) => i.step === 're_close')!.score).toBe(0);

    const { judge, calls } = scripted(answer({ steps: [reClose('the service contract is the one I would put you in')] }));
    const card = await buildScorecard({ turns: TURNS, judge });
    expect(calls).toHaveLength(1);
    expect(card.judge).toBe('used');
    expect(card.items.find((i) => i.step === 're_close')).toMatchObject({
      score: 8, turnSequence: 3, evidenceQuote: 'the service contract is the one I would put you in', rationale: expect.stringMatching(/^Judge: /),
    });
  });

  it('ignores a step score backed by an invented quote and says so', async () => {
    const { judge } = scripted(answer({ steps: [reClose('I recommend the platinum plan because you drive a lot')] }));
    const card = await buildScorecard({ turns: TURNS, judge });
    expect(card.items.find((i) => i.step === 're_close')!.score).toBe(0);
    expect(card.summary).toContain("1 of the AI judge's points cited quotes not found in the transcript");
  });

  it.each([
    ['returns garbage', scripted('{"steps": [{"step": "greeting", "score": "ten"}]}').judge],
    ['throws', scripted(new Error('model overloaded')).judge],
  ])('still scores by the rules when the judge %s, and the summary says it was unavailable', async (_, judge) => {
    const rulesOnly = await buildScorecard({ turns: TURNS });
    const card = await buildScorecard({ turns: TURNS, judge });
    expect(card.judge).toBe('unavailable');
    expect(card.items).toEqual(rulesOnly.items);
    expect(card.summary).toMatch(/The AI judge was unavailable \(.+\), so this was scored by the rules only\./);
  });

  it('cannot remove a rule auto-fail; its own findings are stored as llm_judge warnings', async () => {
    const { judge } = scripted(
      answer({
        steps: [{ step: 'greeting', score: 10, evidenceTurn: 1, evidenceQuote: 'Good morning', rationale: 'Warm start.' }],
        findings: [{ rule: 'payment_packing', severity: 'auto_fail', turnSequence: 3, evidenceQuote: 'for how you drive', explanation: 'Pushy.' }],
      }),
    );
    const card = await buildScorecard({ turns: TURNS, judge });
    expect(card.autoFailed).toBe(true);
    expect(card.tier).toBe('needs_work');
    expect(card.flags).toEqual([
      expect.objectContaining({ rule: 'product_required', severity: 'auto_fail', detectedBy: 'rule', evidenceQuote: 'GAP is required.' }),
      expect.objectContaining({ rule: 'payment_packing', severity: 'warning', detectedBy: 'llm_judge', explanation: expect.stringMatching(/kept as a warning for review/) }),
    ]);
  });
});
