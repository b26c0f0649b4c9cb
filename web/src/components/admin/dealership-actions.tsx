'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { userMessageOf, useTRPC } from '@/trpc/react';
import styles from './admin.module.css';

type TStep = 'idle' | 'confirm' | 'invite';

/**
 * Suspend / reactivate (each asks to confirm first, in place) and "invite a manager" for one
 * dealership row. The table is a server component; it is refreshed after each change.
 */
export function DealershipActions(props: { dealershipId: string; name: string; status: 'active' | 'suspended' }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [step, setStep] = useState<TStep>('idle');
  const [invited, setInvited] = useState<string | null>(null);
  const done = {
    onSuccess: () => {
      setStep('idle');
      router.refresh();
    },
  };
  const suspend = useMutation(trpc.admin.suspend.mutationOptions(done));
  const reactivate = useMutation(trpc.admin.reactivate.mutationOptions(done));
  const invite = useMutation(trpc.admin.inviteManager.mutationOptions());
  const change = props.status === 'active' ? suspend : reactivate;
  const error = suspend.error ?? reactivate.error ?? invite.error;

  function onInvite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email') ?? '');
    invite.mutate(
      { dealershipId: props.dealershipId, email },
      {
        onSuccess: (r) => {
          setStep('idle');
          setInvited(r.invitationSent ? `Invitation sent to ${r.invitedEmail}.` : `Saved, but the email to ${r.invitedEmail} could not be sent. Try again.`);
        },
      },
    );
  }

  return (
    <div className={styles.actions}>
      {error ? (
        <p className="alert" role="alert">
          {userMessageOf(error)}
        </p>
      ) : null}
      {invited ? <p role="status">{invited}</p> : null}
      {step === 'confirm' ? (
        <>
          <p>
            {props.status === 'active'
              ? `Suspend ${props.name}? Its people are locked out at once, including anyone signed in now.`
              : `Reactivate ${props.name}? Its people can sign in again.`}
          </p>
          <button type="button" className={`button ${props.status === 'active' ? 'button-danger' : ''} ${styles.small}`} disabled={change.isPending} onClick={() => change.mutate({ dealershipId: props.dealershipId })}>
            {props.status === 'active' ? 'Yes, suspend' : 'Yes, reactivate'}
          </button>
          <button type="button" className={`button button-secondary ${styles.small}`} onClick={() => setStep('idle')}>
            Cancel
          </button>
        </>
      ) : step === 'invite' ? (
        <form className={styles.actions} onSubmit={onInvite} aria-label={`Invite a manager to ${props.name}`}>
          <label className={styles.field}>
            <span>Manager’s email</span>
            <input name="email" type="email" required maxLength={320} />
          </label>
          <button type="submit" className={`button ${styles.small}`} disabled={invite.isPending}>
            Send invitation
          </button>
          <button type="button" className={`button button-secondary ${styles.small}`} onClick={() => setStep('idle')}>
            Cancel
          </button>
        </form>
      ) : (
        <>
          <button type="button" className={`button button-secondary ${styles.small}`} onClick={() => setStep('confirm')} aria-label={`${props.status === 'active' ? 'Suspend' : 'Reactivate'} ${props.name}`}>
            {props.status === 'active' ? 'Suspend' : 'Reactivate'}
          </button>
          <button type="button" className={`button button-secondary ${styles.small}`} onClick={() => {
              setInvited(null);
              setStep('invite');
            }} aria-label={`Invite a manager to ${props.name}`}>
            Invite a manager
          </button>
        </>
      )}
    </div>
  );
}
