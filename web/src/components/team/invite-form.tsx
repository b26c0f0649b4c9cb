'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { userMessageOf, useTRPC } from '@/trpc/react';
import styles from './team.module.css';

/** Sends an invitation email; the pending list (a server component) is refreshed afterwards. */
export function InviteForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const invite = useMutation(
    trpc.invitation.create.mutationOptions({
      onSuccess: ({ email }) => {
        setSentTo(email);
        router.refresh();
      },
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const role = form.get('role') === 'dealership_admin' ? 'dealership_admin' : 'trainee';
    setSentTo(null);
    invite.mutate({ email: String(form.get('email') ?? ''), role }, { onSuccess: () => formElement.reset() });
  }

  return (
    <form className={styles.form} onSubmit={onSubmit} aria-label="Invite someone">
      {invite.error ? (
        <p className="alert" role="alert">
          {userMessageOf(invite.error)}
        </p>
      ) : null}
      {sentTo ? (
        <p className={styles.sent} role="status">
          Invitation sent to {sentTo}.
        </p>
      ) : null}
      <label className={styles.field}>
        <span>Email</span>
        <input name="email" type="email" required maxLength={320} />
      </label>
      <label className={styles.field}>
        <span>Role</span>
        <select name="role" defaultValue="trainee">
          <option value="trainee">Trainee</option>
          <option value="dealership_admin">Manager</option>
        </select>
      </label>
      <button className="button" type="submit" disabled={invite.isPending}>
        {invite.isPending ? 'Sending…' : 'Send invitation'}
      </button>
    </form>
  );
}
