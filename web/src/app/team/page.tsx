import type { Metadata } from 'next';
import { AppHeader } from '@/components/app-header';
import { InviteForm } from '@/components/team/invite-form';
import styles from '@/components/team/team.module.css';
import { requireSession } from '@/server/auth/session';
import { getServerCaller } from '@/trpc/server';

export const metadata: Metadata = { title: 'Team' };

const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });

/** Managers invite staff into their dealership and see who has not accepted yet. */
export default async function TeamPage() {
  const { user } = await requireSession('/team');
  // The procedures refuse everyone else anyway; this only spares them a page of errors.
  const isManager = user.role === 'dealership_admin' && user.dealershipId !== null;
  const pending = isManager ? await (await getServerCaller()).invitation.list() : null;

  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <h1>Team</h1>
        {pending ? (
          <>
            <p className="page-lead">
              Invite trainees and managers to your dealership. They get an email with a link to choose a password; the
              link works once, for 7 days.
            </p>
            <InviteForm />
            <h2>Pending invitations</h2>
            {pending.length === 0 ? (
              <p className={styles.empty}>No invitations waiting to be accepted.</p>
            ) : (
              <table className={styles.table}>
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Role</th>
                    <th scope="col">Invited by</th>
                    <th scope="col">Expires</th>
                  </tr>
                </thead>
                <tbody>
                  {pending.map((invitation) => (
                    <tr key={invitation.id}>
                      <td>{invitation.email}</td>
                      <td>{invitation.role === 'dealership_admin' ? 'Manager' : 'Trainee'}</td>
                      <td>{invitation.invitedByName ?? '—'}</td>
                      <td>{dateFormat.format(invitation.expiresAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        ) : (
          <p className="alert alert-warn">Inviting people is for dealership managers.</p>
        )}
      </main>
    </>
  );
}
