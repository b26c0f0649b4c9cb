import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getSession } from '@/server/auth/session';
import { safeCallbackUrl } from './safe-callback-url';
import { SignInForm } from './sign-in-form';
import styles from './sign-in.module.css';

export const metadata: Metadata = { title: 'Sign in' };

type TSearchParams = Record<string, string | string[] | undefined>;

export default async function SignInPage(props: { searchParams: Promise<TSearchParams> }) {
  const params = await props.searchParams;
  const callbackUrl = safeCallbackUrl(first(params.callbackUrl));
  if (await getSession()) redirect(callbackUrl);

  return (
    <main className={styles.screen}>
      <section className={styles.card} aria-labelledby="sign-in-title">
        <p className={styles.brand}>AvatarAdam</p>
        <h1 id="sign-in-title" className={styles.title}>
          Sign in to practise
        </h1>
        <p className={styles.lead}>Role-play F&amp;I conversations and get coached by Adam.</p>
        <SignInForm callbackUrl={callbackUrl} initialError={first(params.error) ?? null} />
      </section>
    </main>
  );
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
