import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AppHeader } from '@/components/app-header';
import { SessionHistory } from '@/components/sessions/session-history';
import { requireSession } from '@/server/auth/session';
import { getServerCaller } from '@/trpc/server';

export const metadata: Metadata = { title: 'Session history' };

type TSearchParams = Record<string, string | string[] | undefined>;

/** The practice sessions the caller may review: their own, or their whole dealership's for a manager. */
export default async function SessionsPage(props: { searchParams: Promise<TSearchParams> }) {
  // A shared link to a filtered view keeps its filters through the sign-in page.
  const { user } = await requireSession(`/sessions${queryStringOf(await props.searchParams)}`);
  if (!user.dealershipId) {
    return (
      <>
        <AppHeader user={user} />
        <main className="page">
          <h1>Session history</h1>
          <p className="alert alert-warn">
            Practice sessions belong to a dealership, and your platform administrator account is not part of one.
          </p>
        </main>
      </>
    );
  }

  const isManager = user.role === 'dealership_admin';
  const people = isManager ? await (await getServerCaller()).history.trainees() : null;

  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <h1>Session history</h1>
        <p className="page-lead">
          {isManager
            ? 'Every practice session at your dealership, newest first. Open one for its scorecard and transcript.'
            : 'Your practice sessions, newest first. Open one for its scorecard and transcript.'}
        </p>
        {/* The list reads its filters from the address bar, which needs a boundary of its own. */}
        <Suspense fallback={<p role="status">Loading sessions…</p>}>
          <SessionHistory people={people} />
        </Suspense>
      </main>
    </>
  );
}

function queryStringOf(params: TSearchParams): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) query.append(key, v);
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}
