import type { Metadata } from 'next';
import { AuthCard } from '@/components/account/auth-card';
import { ResetPasswordForm } from '@/components/account/reset-password-form';

// The token is in the URL: keep it out of Referer headers sent to other sites.
export const metadata: Metadata = { title: 'Choose a new password', referrer: 'no-referrer' };

/** Where the reset email links to. */
export default async function ResetPasswordPage(props: { params: Promise<{ token: string }> }) {
  const { token } = await props.params;
  return (
    <AuthCard titleId="new-password-title" title="Choose a new password" lead="After this, sign in with the new password.">
      <ResetPasswordForm token={token} />
    </AuthCard>
  );
}
