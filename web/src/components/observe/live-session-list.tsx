'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { RouterOutputs } from '@/server/api/root';
import { userMessageOf, useTRPC } from '@/trpc/react';
import styles from './observe.module.css';
import { describeStartedAgo } from './started-ago';

export type TLiveSessionRow = RouterOutputs['observe']['live'][number];

/** Sessions start and end all the time; a manager waiting for one should not have to reload. */
const REFRESH_MS = 3_000;

const MODE_LABELS: Record<TLiveSessionRow['mode'], string> = { roleplay: 'Role-play', coach: 'Coaching' };
const CHANNEL_LABELS: Record<TLiveSessionRow['channel'], string> = { web: 'Web', phone: 'Phone' };

/** The current time, moving on every `intervalMs`, for "x min ago" labels that stay true. */
function useNow(intervalMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Everyone practising at the dealership right now, each with a way to listen in. */
export function LiveSessionList(props: {
  initialSessions: TLiveSessionRow[];
  /** The session being joined, whose button shows progress; null when none. */
  joiningId: string | null;
  onListen: (session: TLiveSessionRow) => void;
}) {
  const trpc = useTRPC();
  const { data: sessions, error } = useQuery(
    trpc.observe.live.queryOptions(undefined, {
      initialData: props.initialSessions,
      // Paused while the tab is hidden; coming back to it refetches at once (window focus).
      refetchInterval: REFRESH_MS,
    }),
  );
  const now = useNow(15_000);

  return (
    <section aria-labelledby="live-title" className={styles.live}>
      <h2 id="live-title" className={styles.sectionTitle}>
        Going on now
      </h2>
      {error ? (
        <p className="alert alert-warn" role="status">
          The list could not be refreshed: {userMessageOf(error)} It keeps trying every few seconds.
        </p>
      ) : null}
      {sessions.length === 0 ? (
        <p className={styles.empty} role="status">
          Nobody is practising right now. Sessions appear here the moment a trainee starts one.
        </p>
      ) : (
        <ul className={styles.rows}>
          {sessions.map((s) => {
            const joining = props.joiningId === s.id;
            return (
              <li key={s.id} className={styles.row} data-status={s.status}>
                <div className={styles.rowMain}>
                  <p className={styles.rowTitle}>
                    <strong>{s.traineeName}</strong> · {s.scenarioTitle}
                  </p>
                  <p className={styles.rowMeta}>
                    {MODE_LABELS[s.mode]} with {s.personaName} · {CHANNEL_LABELS[s.channel]} ·{' '}
                    {s.status === 'live' && s.liveAt ? (
                      <time dateTime={s.liveAt.toISOString()}>{describeStartedAgo(s.liveAt, now)}</time>
                    ) : (
                      'Starting…'
                    )}
                  </p>
                </div>
                <button
                  type="button"
                  className="button"
                  disabled={props.joiningId !== null || s.status !== 'live'}
                  aria-label={`Listen to ${s.traineeName}: ${s.scenarioTitle}`}
                  onClick={() => props.onListen(s)}
                >
                  {joining ? 'Joining…' : 'Listen'}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
