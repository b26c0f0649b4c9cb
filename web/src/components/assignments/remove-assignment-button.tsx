'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { userMessageOf, useTRPC } from '@/trpc/react';
import styles from './assignments.module.css';

/** Removes an assignment; the trainee's sessions stay in their history. */
export function RemoveAssignmentButton({ assignmentId, label }: { assignmentId: string; label: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const remove = useMutation(trpc.assignment.delete.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <>
      <button
        type="button"
        className={`button button-secondary ${styles.small}`}
        aria-label={label}
        disabled={remove.isPending}
        onClick={() => remove.mutate({ assignmentId })}
      >
        Remove
      </button>
      {remove.error ? (
        <span className={styles.muted} role="alert">
          {' '}
          {userMessageOf(remove.error)}
        </span>
      ) : null}
    </>
  );
}
