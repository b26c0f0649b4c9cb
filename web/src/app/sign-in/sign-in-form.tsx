'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { describeSignInError, SIGN_IN_UNAVAILABLE } from '@/lib/sign-in-errors';
import styles from './sign-in.module.css';

export function SignInForm(props: { callbackUrl: string; initialError: string | null; initialEmail?: string }) {
  const router = useRouter();
  const [error, setError] = useState(() => describeSignInError(props.initialError));
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const result = await signIn('credentials', {
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
        redirect: false,
      });
      if (!result?.ok || result.error) {
        setError(describeSignInError(result?.error ?? 'CredentialsSignin'));
        setPending(false);
        return;
      }
      router.replace(props.callbackUrl);
      router.refresh();
    } catch {
      setError(describeSignInError(SIGN_IN_UNAVAILABLE));
      setPending(false);
    }
  }

  return (
    <form className={styles.form} onSubmit={onSubmit}>
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
      <label className={styles.field}>
        <span>Email</span>
        <input
          name="email"
          type="email"
          autoComplete="username"
          required
          autoFocus={!props.initialEmail}
          defaultValue={props.initialEmail}
        />
      </label>
      <label className={styles.field}>
        <span>Password</span>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          autoFocus={!!props.initialEmail}
        />
      </label>
      <button className="button" type="submit" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
