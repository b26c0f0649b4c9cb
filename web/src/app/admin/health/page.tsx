import type { Metadata } from 'next';
import Link from 'next/link';
import { HealthView } from '@/components/admin/health-view';
import { RefreshButton } from '@/components/admin/refresh-button';
import { AppHeader } from '@/components/app-header';
import { requireSession } from '@/server/auth/session';
import { getServerCaller } from '@/trpc/server';

export const metadata: Metadata = { title: 'Platform health' };
// Every visit runs the checks again; a cached page would show a stale "OK".
export const dynamic = 'force-dynamic';

const timeFormat = new Intl.DateTimeFormat('en-US', { timeStyle: 'medium' });

/** Database, LiveKit, agent workers, queues and providers, for the platform operator. */
export default async function HealthPage() {
  const { user } = await requireSession('/admin/health');
  const health = user.role === 'super_admin' ? await (await getServerCaller()).admin.health() : null;

  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <h1>Platform health</h1>
        {health ? (
          <>
            <p className="page-lead">
              Checked at {timeFormat.format(health.checkedAt)}. <Link href="/admin">Back to dealerships</Link>
            </p>
            <p>
              <RefreshButton label="Check again" />
            </p>
            <HealthView health={health} />
          </>
        ) : (
          <p className="alert alert-warn">Platform health is for platform administrators.</p>
        )}
      </main>
    </>
  );
}
