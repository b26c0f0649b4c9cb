'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { userMessageOf, useTRPC } from '@/trpc/react';
import styles from './scenarios.module.css';

/** Archive (hide from practice and assignments, keep every session) or restore a scenario. */
export function ArchiveButton({ scenarioId, isActive }: { scenarioId: string; isActive: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const onSuccess = () => router.refresh();
  const archive = useMutation(trpc.scenarioBuilder.archive.mutationOptions({ onSuccess }));
  const restore = useMutation(trpc.scenarioBuilder.restore.mutationOptions({ onSuccess }));
  const failure = archive.error ?? restore.error;
  const pending = archive.isPending || restore.isPending;

  return (
    <>
      {isActive ? (
        // No confirmation step: archiving is undone by Restore, and nothing is deleted.
        <button type="button" className="button button-secondary" disabled={pending} onClick={() => archive.mutate({ scenarioId })}>
          Archive scenario
        </button>
      ) : (
        <button type="button" className="button button-secondary" disabled={pending} onClick={() => restore.mutate({ scenarioId })}>
          Restore scenario
        </button>
      )}
      {failure ? (
        <p className={styles.error} role="alert">
          {userMessageOf(failure)}
        </p>
      ) : null}
    </>
  );
}
