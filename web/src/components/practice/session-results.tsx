'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { ScorecardView } from '@/components/sessions/scorecard-view';
import { userMessageOf, useTRPC } from '@/trpc/react';
import styles from './practice-room.module.css';

/** The agent scores a session a moment after the trainee leaves; this is how long we watch for it. */
const POLL_MS = 1_500;
const MAX_WAIT_MS = 30_000;

/** What the trainee sees right after a session: its scorecard as soon as the scorer has written it. */
export function SessionResults(props: { sessionId: string; mode: 'coach' | 'roleplay'; onBack: () => void }) {
  const { sessionId, mode } = props;
  const trpc = useTRPC();
  const [gaveUp, setGaveUp] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setGaveUp(true), MAX_WAIT_MS);
    return () => clearTimeout(timer);
  }, []);

  const scorecard = useQuery(
    trpc.history.scorecard.queryOptions(
      { sessionId },
      {
        staleTime: 0,
        refetchInterval: (query) => {
          const status = query.state.data?.status;
          return gaveUp || status === 'complete' || status === 'failed' ? false : POLL_MS;
        },
      },
    ),
  );
  const card = scorecard.data;
  const settled = card?.status === 'complete' || card?.status === 'failed';
  // Only asked once waiting is over: a session in which the trainee never spoke is never scored.
  const transcript = useQuery(trpc.history.transcript.queryOptions({ sessionId }, { enabled: gaveUp && !settled }));
  const traineeSpoke = transcript.data?.turns.some((turn) => turn.speaker === 'trainee');
  const sessionHref = `/sessions/${sessionId}`;

  let body;
  if (card?.status === 'complete') {
    body = <ScorecardView card={card} />;
  } else if (card?.status === 'failed') {
    body = (
      <p className="alert" role="status">
        This session could not be scored. The transcript is still saved on the session page.
      </p>
    );
  } else if (scorecard.isError && !card) {
    body = (
      <p className="alert" role="status">
        {userMessageOf(scorecard.error)}
      </p>
    );
  } else if (!gaveUp || transcript.isPending) {
    body = (
      <p className={styles.waiting} role="status" aria-busy="true">
        {mode === 'coach' ? 'Writing up the session summary…' : 'Scoring your session…'}
      </p>
    );
  } else if (traineeSpoke === false) {
    body = (
      <p className="alert alert-warn" role="status">
        Nothing you said was recorded in this session, so there is nothing to score.
      </p>
    );
  } else {
    body = (
      <p className="alert alert-warn" role="status">
        Scoring is taking longer than usual. Your {mode === 'coach' ? 'summary' : 'scorecard'} will appear in
        this session’s history once it is ready.
      </p>
    );
  }

  return (
    <div className={styles.results}>
      <h3 className={styles.resultsTitle}>{mode === 'coach' ? 'Session summary' : 'Your scorecard'}</h3>
      {body}
      <div className={styles.resultsActions}>
        <button type="button" className="button" onClick={props.onBack}>
          Back to scenarios
        </button>
        <Link href={sessionHref} className="button button-secondary">
          Open the session history
        </Link>
      </div>
    </div>
  );
}
