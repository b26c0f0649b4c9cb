import type { RouterOutputs } from '@/server/api/root';
import { labelOf } from './labels';
import styles from './session-review.module.css';

export type TScorecard = NonNullable<RouterOutputs['history']['scorecard']>;

/**
 * A finished scorecard: for a role-play the overall score, tier, each F&I step with its evidence
 * and the compliance flags; for a coach session the summary. `turnHref` links evidence to the
 * transcript when one is on the page.
 */
export function ScorecardView({ card, turnHref }: { card: TScorecard; turnHref?: (sequence: number) => string }) {
  const turnRef = (sequence: number | null) => {
    if (sequence === null) return null;
    const label = `turn ${sequence}`;
    return (
      <span className={styles.turnRef}>
        {' '}
        ({turnHref ? <a href={turnHref(sequence)}>{label}</a> : label})
      </span>
    );
  };

  // The container already titles it "Summary"; a coach session has nothing else to show.
  if (card.mode === 'coach') {
    return <p className={styles.summary}>{card.summary || 'No summary was written for this session.'}</p>;
  }

  return (
    <div className={styles.scorecard}>
      <div className={styles.overall}>
        <p className={styles.score}>
          <span className={styles.scoreValue}>{card.overallScore === null ? '–' : Math.round(card.overallScore)}</span>
          <span className={styles.scoreMax}> / 100</span>
        </p>
        {card.tier ? (
          <p className={styles.tier} data-tier={card.tier}>
            {labelOf(card.tier)}
          </p>
        ) : null}
      </div>

      {card.autoFailed ? (
        <p className={`alert ${styles.autoFail}`}>
          <strong>Automatic fail.</strong> A compliance rule was broken in this session, so it is scored
          as needs work whatever the step scores. See the flags below.
        </p>
      ) : null}

      {card.summary ? <p className={styles.summary}>{card.summary}</p> : null}

      <section className={styles.block} aria-labelledby="scorecard-flags">
        <h3 id="scorecard-flags" className={styles.blockTitle}>
          Compliance
        </h3>
        {card.flags.length === 0 ? (
          <p className={styles.muted}>No compliance issues were found.</p>
        ) : (
          <ul className={styles.flags}>
            {card.flags.map((flag) => (
              <li key={flag.id} className={styles.flag} data-severity={flag.severity}>
                <p className={styles.flagHead}>
                  <span className={styles.severity}>{flag.severity === 'auto_fail' ? 'Auto-fail' : 'Warning'}</span>
                  <strong>{labelOf(flag.rule)}</strong>
                  {turnRef(flag.turnSequence)}
                </p>
                <blockquote className={styles.quote}>“{flag.evidenceQuote}”</blockquote>
                {flag.explanation ? <p className={styles.explanation}>{flag.explanation}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className={styles.block} aria-labelledby="scorecard-steps">
        <h3 id="scorecard-steps" className={styles.blockTitle}>
          F&amp;I steps
        </h3>
        <ol className={styles.steps}>
          {card.items.map((item) => (
            <li key={item.id} className={styles.step}>
              <p className={styles.stepHead}>
                <strong>{labelOf(item.step)}</strong>
                <span className={styles.stepScore} data-zero={item.score === 0}>
                  {item.score} / {item.maxScore}
                </span>
              </p>
              {item.evidenceQuote ? (
                <blockquote className={styles.quote}>
                  “{item.evidenceQuote}”{turnRef(item.turnSequence)}
                </blockquote>
              ) : (
                <p className={styles.muted}>No evidence of this step in the conversation.</p>
              )}
              {item.rationale ? <p className={styles.explanation}>{item.rationale}</p> : null}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
