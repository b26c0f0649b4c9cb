import type { TDealJacket } from '@avatar-adam/db';
import { z } from 'zod';
import type { TComplianceFinding } from './compliance-rules';
import { FI_STEPS, MAX_STEP_SCORE, type TStepScore } from './step-scores';
import { sortedTurns, type TScoringTurn } from './transcript';

/**
 * Optional LLM judge. The caller supplies the model call (`TJudge`); this module writes the prompt,
 * checks the answer and decides how much of it to believe. A model can invent quotes, so every
 * quote is checked against the turn it cites, and nothing it says can undo a deterministic
 * auto-fail.
 */

/** Returns the model's raw text; `schema` is the JSON schema the answer must follow. */
export type TJudge = (input: { system: string; user: string; schema: Record<string, unknown> }) => Promise<string>;

export const ZJudgeAnswer = z.object({
  steps: z
    .array(
      z.object({
        step: z.enum(FI_STEPS),
        score: z.number().int().min(0).max(MAX_STEP_SCORE),
        evidenceTurn: z.number().int().nullable(),
        evidenceQuote: z.string().max(600).nullable(),
        rationale: z.string().min(1).max(400),
      }),
    )
    .max(FI_STEPS.length * 2),
  findings: z
    .array(
      z.object({
        rule: z.string().regex(/^[a-z][a-z_]{2,40}$/),
        severity: z.enum(['auto_fail', 'warning']),
        turnSequence: z.number().int(),
        evidenceQuote: z.string().min(1).max(600),
        explanation: z.string().min(1).max(400),
      }),
    )
    .max(20),
});
export type TJudgeAnswer = z.infer<typeof ZJudgeAnswer>;
export const JUDGE_JSON_SCHEMA = z.toJSONSchema(ZJudgeAnswer) as Record<string, unknown>;

export type TScorecardFlag = Omit<TComplianceFinding, 'rule'> & { rule: string; detectedBy: 'rule' | 'llm_judge' };
export type TJudgement = { steps: TJudgeAnswer['steps']; findings: TJudgeAnswer['findings']; rejected: string[] };

export function buildJudgePrompt(opts: { turns: readonly TScoringTurn[]; dealJacket?: TDealJacket | null }) {
  const deal = opts.dealJacket;
  const system = [
    'You grade a role-play in a car dealership F&I office. The TRAINEE plays the F&I manager; the CUSTOMER is simulated.',
    `Score each step 0-${MAX_STEP_SCORE} (0 = not done, 1-4 touched on, 5-7 core behaviour present, 8-10 done fully): ${FI_STEPS.join(', ')}.`,
    'Steps: greet; base statement (what happens, how long); interview (verify details, insurance, credit, miles, how long they keep cars); needs awareness (budget, past experiences, tie answers to needs); menu presentation (all products optional, base payment first); objection handling (acknowledge, ask, tie to needs); re-close with a specific recommendation; documents (contract, disclosures, signatures).',
    'Compliance findings (trainee only): a payment quoted without APR and term; a product called required; approval or rate tied to a product; payment packing (a payment inflated with products before the base payment).',
    'Every evidenceQuote must be copied word for word from the TRAINEE turn whose number you give; use null when there is no evidence. Answer with JSON only, following the schema.',
  ].join('\n');
  const dealLine = deal
    ? `Deal: amount financed $${deal.amountFinanced.toFixed(2)}, ${deal.apr}% APR, ${deal.termMonths} months, base payment $${deal.payment.toFixed(2)} before products.\n`
    : '';
  const transcript = sortedTurns(opts.turns)
    .map((t) => `[${t.sequence}] ${t.speaker === 'trainee' ? 'TRAINEE' : 'CUSTOMER'}: ${t.text}`)
    .join('\n');
  return { system, user: `${dealLine}Transcript:\n${transcript}`, schema: JUDGE_JSON_SCHEMA };
}

/** Case, spacing, curly quotes and edge punctuation do not matter; words and their order do. */
function canonical(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d"…]|\.\.\./g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.,;:!?'-]+|[\s.,;:!?'-]+$/g, '');
}

/** A quote counts only if it is a real piece (8+ characters) of the trainee turn it cites. */
export function quoteAppearsInTurn(quote: string, turnSequence: number, turns: readonly TScoringTurn[]): boolean {
  const turn = turns.find((t) => t.sequence === turnSequence && t.speaker === 'trainee');
  const q = canonical(quote);
  return Boolean(turn) && q.length >= 8 && canonical(turn!.text).includes(q);
}

/**
 * Reads the model's text. Invalid JSON or any out-of-range value rejects the whole answer (the
 * model did not follow the rubric); an unverifiable quote rejects just that item.
 */
export function parseJudgeAnswer(raw: string, turns: readonly TScoringTurn[]): { ok: true; judgement: TJudgement } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch {
    return { ok: false, reason: 'the answer was not JSON' };
  }
  const parsed = ZJudgeAnswer.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `the answer did not match the schema (${issue?.path.join('.')}: ${issue?.message})` };
  }
  const rejected: string[] = [];
  const seen = new Set<string>();
  const steps = parsed.data.steps.filter((s) => {
    if (seen.has(s.step)) return false;
    seen.add(s.step);
    if (s.evidenceQuote === null || s.evidenceTurn === null) return true; // no claim to check; cannot change a score
    if (quoteAppearsInTurn(s.evidenceQuote, s.evidenceTurn, turns)) return true;
    rejected.push(`${s.step}: quote not found in trainee turn ${s.evidenceTurn}`);
    return false;
  });
  const findings = parsed.data.findings.filter((f) => {
    if (quoteAppearsInTurn(f.evidenceQuote, f.turnSequence, turns)) return true;
    rejected.push(`${f.rule}: quote not found in trainee turn ${f.turnSequence}`);
    return false;
  });
  return { ok: true, judgement: { steps, findings, rejected } };
}

export type TJudgeOutcome = { status: 'used'; judgement: TJudgement } | { status: 'unavailable'; reason: string };

/** Calls the judge; a throw, a timeout or garbage all mean "unavailable", never a failed scorecard. */
export async function runJudge(opts: { judge: TJudge; turns: readonly TScoringTurn[]; dealJacket?: TDealJacket | null; timeoutMs?: number }): Promise<TJudgeOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the judge timed out')), opts.timeoutMs ?? 60_000);
  });
  try {
    const raw = await Promise.race([opts.judge(buildJudgePrompt(opts)), timeout]);
    if (typeof raw !== 'string') return { status: 'unavailable', reason: 'the judge returned no text' };
    const parsed = parseJudgeAnswer(raw, opts.turns);
    return parsed.ok ? { status: 'used', judgement: parsed.judgement } : { status: 'unavailable', reason: parsed.reason };
  } catch (error) {
    return { status: 'unavailable', reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Merge policy: rule findings always stand. The judge replaces a step's score only when it cites a
 * verified quote. Its own findings are kept (detectedBy 'llm_judge') but as warnings for a person
 * to review: a model's reading alone never auto-fails a trainee.
 */
export function mergeJudgement(opts: { steps: TStepScore[]; findings: TComplianceFinding[]; judgement: TJudgement }) {
  const steps = opts.steps.map((rule): TStepScore => {
    const j = opts.judgement.steps.find((s) => s.step === rule.step);
    if (!j || j.evidenceQuote === null || j.evidenceTurn === null) return rule;
    return { ...rule, score: j.score, evidenceQuote: j.evidenceQuote, turnSequence: j.evidenceTurn, rationale: `Judge: ${j.rationale}`, applicable: true };
  });
  const flags: TScorecardFlag[] = opts.findings.map((f) => ({ ...f, detectedBy: 'rule' }));
  for (const f of opts.judgement.findings) {
    if (flags.some((r) => r.rule === f.rule && r.turnSequence === f.turnSequence)) continue;
    const explanation = f.severity === 'auto_fail' ? `Judge rated this an auto-fail; kept as a warning for review. ${f.explanation}` : f.explanation;
    flags.push({ ...f, severity: 'warning', explanation, detectedBy: 'llm_judge' });
  }
  return { steps, flags };
}
