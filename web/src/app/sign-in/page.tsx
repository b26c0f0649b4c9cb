import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getSession } from '@/server/auth/session';
import { safeCallbackUrl } from './safe-callback-url';
import { SignInForm } from './sign-in-form';
import styles from './sign-in.module.css';

export const metadata: Metadata = { title: 'Sign in' };

type TSearchParams = Record<string, string | string[] | undefined>;

/** Shown after a flow that ends on this page; anything else in `notice` is ignored. */
const NOTICES: Record<string, string> = {
  invited: 'Your account is ready. Sign in with your email and new password.',
  'password-reset': 'Your password has been changed. Sign in with the new one.',
};

export default async function SignInPage(props: { searchParams: Promise<TSearchParams> }) {
  const params = await props.searchParams;
  const callbackUrl = safeCallbackUrl(first(params.callbackUrl));
  if (await getSession()) redirect(callbackUrl);
  const notice = NOTICES[first(params.notice) ?? ''];

  return (
    <main className={styles.screen}>
      <section className={styles.card} aria-labelledby="sign-in-title">
        <p className={styles.brand}>AvatarAdam</p>
        <h1 id="sign-in-title" className={styles.title}>
          Sign in to practise
        </h1>
        <p className={styles.lead}>Role-play F&amp;I conversations and get coached by Adam.</p>
        {notice ? (
          <p className={styles.notice} role="status">
            {notice}
          </p>
        ) : null}
        <SignInForm
          callbackUrl={callbackUrl}
          initialError={first(params.error) ?? null}
          initialEmail={first(params.email) ?? ''}
        />
        <p className={styles.links}>
          <Link href="/reset-password">Forgot your password?</Link>
        </p>
      </section>
    </main>
  );
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
