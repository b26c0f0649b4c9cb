import {
  createPendingScorecard,
  type Db,
  getScorecard,
  listSessionTurns,
  loadSessionForAgent,
  markScorecardFailed,
  saveScorecard,
  type TScorecardInput,
  type TScorecardWithDetails,
} from '@avatar-adam/db';
import { ATTR, traceStep } from '../tracing/job-trace';
import type { TJudge } from './judge';
import { buildCoachSummary, buildScorecard } from './scorecard';
import type { TScoringTurn } from './transcript';

/**
 * Scores one finished session and stores the result. Role-plays get the full scorecard; coach
 * sessions get a factual summary with no scores or items. Safe to run again: the stored result is
 * replaced, never duplicated.
 */
export async function scoreSession(opts: {
  db: Db;
  sessionId: string;
  dealershipId: string;
  judge?: TJudge;
}): Promise<TScorecardWithDetails> {
  const traced = { [ATTR.sessionId]: opts.sessionId, [ATTR.dealershipId]: opts.dealershipId };
  return traceStep('session.score', traced, async (span) => {
    const card = await scoreAndStore(opts);
    if (card.tier) span.setAttribute('avatar_adam.score.tier', card.tier);
    return card;
  });
}

async function scoreAndStore(opts: Parameters<typeof scoreSession>[0]): Promise<TScorecardWithDetails> {
  const scope = { db: opts.db, sessionId: opts.sessionId, dealershipId: opts.dealershipId };
  // Throws NOT_FOUND for a session of another dealership before anything is written.
  const { session, scenario } = await loadSessionForAgent(scope);
  try {
    await createPendingScorecard(scope);
    const turns: TScoringTurn[] = (await listSessionTurns(scope)).map((t) => ({
      sequence: t.sequence,
      speaker: t.speaker,
      text: t.text,
      interrupted: t.interrupted,
    }));
    const result: TScorecardInput =
      session.mode === 'roleplay'
        ? await buildScorecard({ turns, dealJacket: scenario.dealJacket, judge: opts.judge })
        : { overallScore: null, tier: null, autoFailed: false, summary: buildCoachSummary({ turns }).summary, items: [], flags: [] };
    await saveScorecard({ ...scope, result });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The scoring error is the one worth reporting; a failure to record it must not replace it.
    await markScorecardFailed({ ...scope, error: message }).catch(() => undefined);
    throw error;
  }
  const stored = await getScorecard(scope);
  if (!stored) throw new Error(`scorecard of session ${opts.sessionId} missing right after saving`);
  return stored;
}
