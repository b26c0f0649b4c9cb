import type { Metadata } from 'next';
import { AuthCard } from '@/components/account/auth-card';
import { RequestResetForm } from '@/components/account/request-reset-form';

export const metadata: Metadata = { title: 'Reset password' };

export default function RequestResetPage() {
  return (
    <AuthCard titleId="reset-title" title="Forgot your password?" lead="Enter your email and we will send you a link to choose a new one.">
      <RequestResetForm />
    </AuthCard>
  );
}
