import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AnalyticsDashboard } from '@/components/analytics/analytics-dashboard';
import { AppHeader } from '@/components/app-header';
import { requireSession } from '@/server/auth/session';
import { getServerCaller } from '@/trpc/server';

export const metadata: Metadata = { title: 'Analytics' };

/** Team analytics for a dealership's managers: practice volume, scores, compliance, latency. */
export default async function AnalyticsPage() {
  const { user } = await requireSession('/analytics');
  // The procedures refuse everyone else anyway; this only spares them a page of errors.
  const isManager = user.role === 'dealership_admin' && user.dealershipId !== null;
  const people = isManager ? await (await getServerCaller()).history.trainees() : null;

  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <h1>Analytics</h1>
        {people ? (
          <>
            <p className="page-lead">
              How your team practises and improves. Dates and weeks are in your dealership’s time zone; every chart can
              be downloaded as CSV.
            </p>
            {/* The dashboard reads its filters from the address bar, which needs a boundary of its own. */}
            <Suspense fallback={<p role="status">Loading analytics…</p>}>
              <AnalyticsDashboard people={people} />
            </Suspense>
          </>
        ) : (
          <p className="alert alert-warn">Team analytics are for dealership managers.</p>
        )}
      </main>
    </>
  );
}
