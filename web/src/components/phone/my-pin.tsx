'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { userMessageOf, useTRPC } from '@/trpc/react';
import styles from './phone.module.css';

type TLine = { phoneNumber: string; dial: string | null } | null;

/** The number to call and the caller's own PIN, which is shown once when made. */
export function MyPhonePin({ line, hasPin, enabled }: { line: TLine; hasPin: boolean; enabled: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [pin, setPin] = useState<string | null>(null);
  const issue = useMutation(
    trpc.phone.issueMyPin.mutationOptions({
      onSuccess: (result) => {
        setPin(result.pin);
        router.refresh();
      },
    }),
  );

  return (
    <section className={styles.card} aria-label="Your phone PIN">
      <p>
        {line ? (
          <>
            Practice number: <strong className={styles.number}>{line.phoneNumber}</strong>
            {line.dial ? <span className={styles.hint}> (without a carrier: {line.dial})</span> : null}
          </>
        ) : (
          'Your dealership has no practice number yet. A manager sets it on this page.'
        )}
      </p>
      {pin ? (
        <p className={styles.pin} role="status">
          Your new PIN is <strong>{pin.split('').join(' ')}</strong>. Write it down: it is not shown again, and your
          old PIN no longer works.
        </p>
      ) : (
        <p>{hasPin ? 'You have a PIN. Forgot it? Make a new one.' : 'You have no PIN yet.'}</p>
      )}
      {issue.error ? (
        <p className="alert" role="alert">
          {userMessageOf(issue.error)}
        </p>
      ) : null}
      <button className="button" type="button" disabled={!enabled || issue.isPending} onClick={() => issue.mutate()}>
        {issue.isPending ? 'Making a PIN…' : hasPin ? 'Make a new PIN' : 'Make my PIN'}
      </button>
    </section>
  );
}
