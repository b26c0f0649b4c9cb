import type { Metadata } from 'next';
import Link from 'next/link';
import { CreateDealershipForm } from '@/components/admin/create-dealership-form';
import styles from '@/components/admin/admin.module.css';
import { DealershipTable } from '@/components/admin/dealership-table';
import { AppHeader } from '@/components/app-header';
import { requireSession } from '@/server/auth/session';
import { getServerCaller } from '@/trpc/server';

export const metadata: Metadata = { title: 'Dealerships' };

/** The platform operator's list of tenants: create one, suspend or reactivate, invite its managers. */
export default async function AdminPage() {
  const { user } = await requireSession('/admin');
  // The procedures refuse everyone else anyway; this only spares them a page of errors.
  const dealerships = user.role === 'super_admin' ? await (await getServerCaller()).admin.dealerships() : null;

  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <h1>Dealerships</h1>
        {dealerships ? (
          <>
            <p className="page-lead">
              Every dealership on the platform. Suspending one locks its people out at once; nothing is deleted.
            </p>
            <nav className={styles.links} aria-label="Platform administration">
              <Link href="/scenarios">Platform-wide scenarios</Link>
              <Link href="/admin/health">Platform health</Link>
            </nav>
            <h2>New dealership</h2>
            <CreateDealershipForm />
            <DealershipTable dealerships={dealerships} />
          </>
        ) : (
          <p className="alert alert-warn">Managing dealerships is for platform administrators.</p>
        )}
      </main>
    </>
  );
}
