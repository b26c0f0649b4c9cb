'use client';

import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import styles from '@/app/sign-in/sign-in.module.css';
import { userMessageOf, useTRPC } from '@/trpc/react';

/** A new password for the account the emailed link belongs to. */
export function ResetPasswordForm(props: { token: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const reset = useMutation(
    trpc.auth.resetPassword.mutationOptions({ onSuccess: () => router.replace('/sign-in?notice=password-reset') }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    reset.mutate({ token: props.token, password: String(new FormData(event.currentTarget).get('password') ?? '') });
  }

  return (
    <form className={styles.form} onSubmit={onSubmit}>
      {reset.error ? (
        <p className="alert" role="alert">
          {userMessageOf(reset.error)}
        </p>
      ) : null}
      <label className={styles.field}>
        <span>New password (at least 12 characters)</span>
        <input name="password" type="password" autoComplete="new-password" required minLength={12} autoFocus />
      </label>
      <button className="button" type="submit" disabled={reset.isPending || reset.isSuccess}>
        {reset.isPending ? 'Saving…' : 'Set new password'}
      </button>
      <p className={styles.links}>
        <Link href="/reset-password">Request a new link</Link>
      </p>
    </form>
  );
}
