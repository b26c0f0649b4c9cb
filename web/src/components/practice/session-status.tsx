'use client';

import { useQuery } from '@tanstack/react-query';
import type { RouterOutputs } from '@/server/api/root';
import { useTRPC } from '@/trpc/react';
import styles from './practice-room.module.css';

type TStatus = RouterOutputs['session']['get']['status'];

/** While the session is starting the trainee is about to hear the agent, so "Live" should follow at once; then rarely. */
const POLL_STARTING_MS = 1_000;
const POLL_MS = 5_000;
const LABELS: Record<TStatus, string> = {
  pending: 'Starting…',
  live: 'Live',
  ended: 'Ended',
  failed: 'Could not start',
};
const isFinal = (status: TStatus | undefined) => status === 'ended' || status === 'failed';

/** The session as the server records it (the agent marks it live, and ended). */
export function SessionStatus({ sessionId }: { sessionId: string }) {
  const trpc = useTRPC();
  const { data } = useQuery(
    trpc.session.get.queryOptions(
      { sessionId },
      {
        refetchInterval: (query) => {
          const status = query.state.data?.status;
          if (isFinal(status)) return false;
          return status === 'live' ? POLL_MS : POLL_STARTING_MS;
        },
      },
    ),
  );
  const status = data?.status ?? 'pending';
  return (
    <span className={styles.status} data-status={status} role="status">
      {LABELS[status]}
    </span>
  );
}
