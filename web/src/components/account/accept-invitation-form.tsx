'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import styles from '@/app/sign-in/sign-in.module.css';
import { userMessageOf, useTRPC } from '@/trpc/react';

/** Name and password for a new account; on success the invitee signs in with them. */
export function AcceptInvitationForm(props: { token: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(
    trpc.invitation.accept.mutationOptions({
      onSuccess: ({ email }) => router.replace(`/sign-in?notice=invited&email=${encodeURIComponent(email)}`),
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    accept.mutate({ token: props.token, name: String(form.get('name') ?? ''), password: String(form.get('password') ?? '') });
  }

  return (
    <form className={styles.form} onSubmit={onSubmit}>
      {accept.error ? (
        <p className="alert" role="alert">
          {userMessageOf(accept.error)}
        </p>
      ) : null}
      <label className={styles.field}>
        <span>Your name</span>
        <input name="name" autoComplete="name" required maxLength={120} autoFocus />
      </label>
      <label className={styles.field}>
        <span>Choose a password (at least 12 characters)</span>
        <input name="password" type="password" autoComplete="new-password" required minLength={12} />
      </label>
      <button className="button" type="submit" disabled={accept.isPending || accept.isSuccess}>
        {accept.isPending ? 'Creating your account…' : 'Create account'}
      </button>
    </form>
  );
}
