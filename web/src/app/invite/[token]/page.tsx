import type { Metadata } from 'next';
import { AcceptInvitationForm } from '@/components/account/accept-invitation-form';
import { AuthCard } from '@/components/account/auth-card';

// The token is in the URL: keep it out of Referer headers sent to other sites.
export const metadata: Metadata = { title: 'Accept invitation', referrer: 'no-referrer' };

/** Where the invitation email links to: the invitee chooses a name and password. */
export default async function AcceptInvitationPage(props: { params: Promise<{ token: string }> }) {
  const { token } = await props.params;
  return (
    <AuthCard titleId="invite-title" title="Join your dealership" lead="Choose your name and a password to start practising.">
      <AcceptInvitationForm token={token} />
    </AuthCard>
  );
}
