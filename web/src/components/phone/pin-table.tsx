'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { userMessageOf, useTRPC } from '@/trpc/react';
import styles from './phone.module.css';

type TTrainee = { id: string; name: string; email: string; hasPin: boolean; callerId: string | null };

/** Trainees' PINs (issued here, shown once) and the caller IDs that identify them without one. */
export function PhonePinTable({ enabled, trainees }: { enabled: boolean; trainees: TTrainee[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [issued, setIssued] = useState<{ name: string; pin: string } | null>(null);
  const issue = useMutation(trpc.phone.issuePin.mutationOptions({ onSuccess: () => router.refresh() }));
  const setCaller = useMutation(trpc.phone.setCallerId.mutationOptions({ onSuccess: () => router.refresh() }));
  const error = issue.error ?? setCaller.error;

  if (trainees.length === 0) return <p className={styles.hint}>No active trainees yet. Invite them on the Team page.</p>;

  function onCallerId(event: FormEvent<HTMLFormElement>, traineeId: string) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get('callerId') ?? '').trim();
    setCaller.mutate({ traineeId, callerId: value || null });
  }

  return (
    <>
      {error ? (
        <p className="alert" role="alert">
          {userMessageOf(error)}
        </p>
      ) : null}
      {issued ? (
        <p className={styles.pin} role="status">
          New PIN for {issued.name}: <strong>{issued.pin.split('').join(' ')}</strong>. Give it to them now; it is not shown
          again.
        </p>
      ) : null}
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col">Trainee</th>
            <th scope="col">PIN</th>
            <th scope="col">Caller ID (skips the PIN)</th>
          </tr>
        </thead>
        <tbody>
          {trainees.map((t) => (
            <tr key={t.id}>
              <td>
                {t.name}
                <span className={styles.hint}> {t.email}</span>
              </td>
              <td>
                {t.hasPin ? 'Set ' : 'None '}
                <button
                  className="button button-secondary"
                  type="button"
                  disabled={!enabled || issue.isPending}
                  onClick={() => issue.mutate({ traineeId: t.id }, { onSuccess: ({ pin }) => setIssued({ name: t.name, pin }) })}
                >
                  {t.hasPin ? 'New PIN' : 'Issue PIN'}
                </button>
              </td>
              <td>
                <form className={styles.inline} onSubmit={(e) => onCallerId(e, t.id)} aria-label={`Caller ID of ${t.name}`}>
                  <input name="callerId" type="tel" defaultValue={t.callerId ?? ''} placeholder="none" maxLength={40} disabled={!t.hasPin} />
                  <button className="button button-secondary" type="submit" disabled={!enabled || !t.hasPin || setCaller.isPending}>
                    Save
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className={styles.hint}>
        A caller ID is convenient but can be faked by a determined caller; leave it empty where that matters.
      </p>
    </>
  );
}
