'use client';

import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import type { FormEvent } from 'react';
import styles from '@/app/sign-in/sign-in.module.css';
import { userMessageOf, useTRPC } from '@/trpc/react';

/** Asks for a reset link; the answer is the same whether or not the address has an account. */
export function RequestResetForm() {
  const trpc = useTRPC();
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    request.mutate({ email: String(new FormData(event.currentTarget).get('email') ?? '') });
  }

  if (request.data) {
    return (
      <>
        <p className={styles.notice} role="status">
          {request.data.message} The link works for one hour.
        </p>
        <p className={styles.links}>
          <Link href="/sign-in">Back to sign in</Link>
        </p>
      </>
    );
  }
  return (
    <form className={styles.form} onSubmit={onSubmit}>
      {request.error ? (
        <p className="alert" role="alert">
          {userMessageOf(request.error)}
        </p>
      ) : null}
      <label className={styles.field}>
        <span>Email</span>
        <input name="email" type="email" autoComplete="username" required autoFocus />
      </label>
      <button className="button" type="submit" disabled={request.isPending}>
        {request.isPending ? 'Sending…' : 'Send reset link'}
      </button>
      <p className={styles.links}>
        <Link href="/sign-in">Back to sign in</Link>
      </p>
    </form>
  );
}
