'use client';

import { useQuery } from '@tanstack/react-query';
import type { RouterOutputs } from '@/server/api/root';
import { useTRPC } from '@/trpc/react';
import styles from './practice-room.module.css';

type TStatus = RouterOutputs['session']['get']['status'];

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
      { refetchInterval: (query) => (isFinal(query.state.data?.status) ? false : POLL_MS) },
    ),
  );
  const status = data?.status ?? 'pending';
  return (
    <span className={styles.status} data-status={status} role="status">
      {LABELS[status]}
    </span>
  );
}
