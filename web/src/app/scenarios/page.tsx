import type { Metadata } from 'next';
import Link from 'next/link';
import { AppHeader } from '@/components/app-header';
import { BUILDER_ONLY_NOTICE, canBuildScenarios } from '@/components/scenarios/access';
import { ScenarioTable } from '@/components/scenarios/scenario-table';
import styles from '@/components/scenarios/scenario-table.module.css';
import { requireSession } from '@/server/auth/session';
import { getServerCaller } from '@/trpc/server';

export const metadata: Metadata = { title: 'Scenarios' };

/** Managers: their dealership's scenarios and the platform's. Platform admins: the platform-wide ones. */
export default async function ScenariosPage() {
  const { user } = await requireSession('/scenarios');
  const rows = canBuildScenarios(user) ? await (await getServerCaller()).scenarioBuilder.list() : null;
  const platformEditor = user.role === 'super_admin';

  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <h1>Scenarios</h1>
        {rows ? (
          <>
            <div className={styles.toolbar}>
              <p className="page-lead">
                {platformEditor
                  ? 'Platform scenarios: every dealership can practise them and sees them read-only.'
                  : 'Your dealership’s scenarios, and the platform’s (read-only — copy one to adapt it).'}
              </p>
              <Link className="button" href="/scenarios/new">
                New scenario
              </Link>
            </div>
            <ScenarioTable rows={rows} platformEditor={platformEditor} />
          </>
        ) : (
          <p className="alert alert-warn">{BUILDER_ONLY_NOTICE}</p>
        )}
      </main>
    </>
  );
}
