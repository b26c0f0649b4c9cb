import type { TDealJacket } from '@avatar-adam/db';
import { detectComplianceIssues } from './compliance-rules';
import { mergeJudgement, runJudge, type TJudge, type TScorecardFlag } from './judge';
import { scoreSteps, type TStepScore } from './step-scores';
import { normaliseForMatching, type TScoringTurn } from './transcript';

export type TTier = 'needs_work' | 'developing' | 'proficient' | 'expert';

/**
 * Tiers by overall score (0–100): expert ≥ 85, proficient ≥ 70, developing ≥ 50, else needs_work.
 * Any rule auto-fail puts the session in needs_work and caps the score at 49, so a polished but
 * non-compliant role-play never ranks above a compliant one.
 */
export const TIER_THRESHOLDS: ReadonlyArray<readonly [TTier, number]> = [
  ['expert', 85],
  ['proficient', 70],
  ['developing', 50],
  ['needs_work', 0],
];
const AUTO_FAIL_CAP = 49;
/** A rule warning (e.g. possible payment packing) costs points but does not fail the session. */
const WARNING_PENALTY = 5;

export type TScorecardItem = TStepScore;
export type TScorecardResult = {
  overallScore: number;
  tier: TTier;
  autoFailed: boolean;
  summary: string;
  items: TScorecardItem[];
  flags: TScorecardFlag[];
  judge: 'not_used' | 'used' | 'unavailable';
};

export function tierFor(score: number): TTier {
  return TIER_THRESHOLDS.find(([, min]) => score >= min)![0];
}

export async function buildScorecard(opts: {
  turns: readonly TScoringTurn[];
  dealJacket?: TDealJacket | null;
  judge?: TJudge;
}): Promise<TScorecardResult> {
  const findings = detectComplianceIssues(opts);
  let items = scoreSteps(opts.turns);
  let flags: TScorecardFlag[] = findings.map((f) => ({ ...f, detectedBy: 'rule' }));
  let judgeNote = '';
  let judge: TScorecardResult['judge'] = 'not_used';
  if (opts.judge) {
    const outcome = await runJudge({ judge: opts.judge, turns: opts.turns, dealJacket: opts.dealJacket });
    if (outcome.status === 'used') {
      ({ steps: items, flags } = mergeJudgement({ steps: items, findings, judgement: outcome.judgement }));
      judge = 'used';
      const n = outcome.judgement.rejected.length;
      if (n > 0) judgeNote = ` ${n} of the AI judge's points cited quotes not found in the transcript and were ignored.`;
    } else {
      judge = 'unavailable';
      judgeNote = ` The AI judge was unavailable (${outcome.reason}), so this was scored by the rules only.`;
    }
  }

  const counted = items.filter((i) => i.applicable);
  const possible = counted.reduce((sum, i) => sum + i.maxScore, 0);
  const earned = counted.reduce((sum, i) => sum + i.score, 0);
  const warnings = flags.filter((f) => f.detectedBy === 'rule' && f.severity === 'warning').length;
  const raw = possible > 0 ? Math.round((earned / possible) * 100) - warnings * WARNING_PENALTY : 0;
  // Only deterministic findings can auto-fail (the judge's are stored as warnings).
  const failures = flags.filter((f) => f.severity === 'auto_fail');
  const autoFailed = failures.length > 0;
  const overallScore = Math.max(0, autoFailed ? Math.min(raw, AUTO_FAIL_CAP) : raw);
  const tier = autoFailed ? 'needs_work' : tierFor(overallScore);
  const summary = `${describeScore(overallScore, tier, counted)} ${describeCompliance(failures, warnings)}${judgeNote}`;
  return { overallScore, tier, autoFailed, summary, items, flags, judge };
}

function label(step: string): string {
  return step === 're_close' ? 're-close' : step.replace(/_/g, ' ');
}

function describeScore(score: number, tier: TTier, counted: TScorecardItem[]): string {
  const byScore = [...counted].sort((a, b) => b.score - a.score);
  const best = byScore[0];
  const missing = counted.filter((i) => i.score === 0).map((i) => label(i.step));
  const parts = [`Overall ${score}/100 (${label(tier)}).`];
  if (best && best.score > 0) parts.push(`Strongest step: ${label(best.step)} (${best.score}/${best.maxScore}).`);
  if (missing.length > 0) parts.push(`Not heard: ${missing.join(', ')}.`);
  return parts.join(' ');
}

function describeCompliance(failures: TScorecardFlag[], warnings: number): string {
  if (failures.length > 0) {
    const list = failures.map((f) => `${label(f.rule)} (turn ${f.turnSequence})`).join(', ');
    return `Auto-failed on compliance: ${list}.`;
  }
  return warnings > 0 ? `No auto-fail, but ${warnings} compliance warning(s) to review.` : 'No compliance issues found by the rules.';
}

const COACH_TOPICS: ReadonlyArray<readonly [string, RegExp]> = [
  ['GAP', /\bgap\b/],
  ['service contracts', /\bservice contracts?\b|\bwarrant(?:y|ies)\b|\bvsc\b/],
  ['other protection products', /\btire\b|\bwheel\b|\bappearance\b|\bmaintenance\b|\bkey replacement\b|\bdent\b|\btheft\b/],
  ['objection handling', /\bobjections?\b|\bpush(?:es)? back\b|\bthink about it\b|\btoo expensive\b|\bnot interested\b|\bsays? no\b/],
  ['compliance', /\bcomplian\w*|\blegal\b|\blaw\b|\brequired\b|\btila\b|\breg(?:ulation)? [bzm]\b|\becoa\b|\budaa?p\b|\bofac\b|\bred flags\b|\bsafeguards\b|\bscra\b|\bmla\b|\bdisclos\w*/],
  ['menu and payments', /\bmenu\b|\bpayments?\b|\bapr\b|\binterest rate\b|\bterm\b/],
  ['the F&I process', /\bprocess\b|\bsteps?\b|\bbase statement\b|\binterview\b|\bgreet\w*|\bre-?close\b/],
];

/** For coach sessions: what was discussed, without scores (a Q&A is not a performance). */
export function buildCoachSummary(opts: { turns: readonly TScoringTurn[] }): { summary: string; exchanges: number; topics: string[] } {
  const asked = opts.turns.filter((t) => t.speaker === 'trainee' && t.text.trim().length > 0);
  const text = asked.map((t) => normaliseForMatching(t.text)).join(' \n ');
  const topics = COACH_TOPICS.filter(([, re]) => re.test(text)).map(([name]) => name);
  const exchanges = asked.length;
  if (exchanges === 0) return { summary: 'Coach session: the trainee asked nothing.', exchanges, topics };
  const about = topics.length > 0 ? ` Topics: ${topics.join(', ')}.` : ' No specific F&I topic was recognised.';
  return { summary: `Coach session with ${exchanges} question${exchanges === 1 ? '' : 's'} from the trainee.${about}`, exchanges, topics };
}
