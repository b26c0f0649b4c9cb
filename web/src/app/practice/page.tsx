import type { Metadata } from 'next';
import { AppHeader } from '@/components/app-header';
import { PracticeHome } from '@/components/practice/practice-home';
import { requireSession } from '@/server/auth/session';
import { getServerCaller } from '@/trpc/server';

export const metadata: Metadata = { title: 'Practice' };

export default async function PracticePage() {
  const { user } = await requireSession('/practice');
  // Super admins belong to no dealership, so there are no scenarios to list for them.
  const scenarios = user.dealershipId ? await (await getServerCaller()).scenario.list() : null;

  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <h1>Practice</h1>
        <p className="page-lead">Pick a scenario and talk it through out loud. A headset works best.</p>
        {scenarios ? (
          <PracticeHome scenarios={scenarios} />
        ) : (
          <p className="alert alert-warn">
            Practice sessions belong to a dealership, and your platform administrator account is not
            part of one.
          </p>
        )}
      </main>
    </>
  );
}
