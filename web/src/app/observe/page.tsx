import type { Metadata } from 'next';
import { AppHeader } from '@/components/app-header';
import { ObserveHome } from '@/components/observe/observe-home';
import styles from '@/components/observe/observe.module.css';
import { requireSession } from '@/server/auth/session';
import { getServerCaller } from '@/trpc/server';

export const metadata: Metadata = { title: 'Observe' };

/** Managers listen in on their dealership's practice sessions while they happen. */
export default async function ObservePage() {
  const { user } = await requireSession('/observe');
  // The procedures refuse everyone else anyway; this only spares them a page of errors.
  const isManager = user.role === 'dealership_admin' && user.dealershipId !== null;
  const sessions = isManager ? await (await getServerCaller()).observe.live() : null;

  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <h1>Observe</h1>
        <p className="page-lead">
          Listen to practice sessions at your dealership as they happen. You hear both sides and read along; you
          cannot speak in the session.
        </p>
        {sessions ? (
          <>
            <p className={styles.policy} role="note">
              The trainee is not notified by the room; your dealership’s policy should tell trainees that sessions may
              be observed.
            </p>
            <ObserveHome initialSessions={sessions} />
          </>
        ) : (
          <p className="alert alert-warn">Listening in on practice sessions is for dealership managers.</p>
        )}
      </main>
    </>
  );
}
