import type { TScenarioContent } from '@avatar-adam/db';
import { TRPCError } from '@trpc/server';
import type { Metadata } from 'next';
import { AppHeader } from '@/components/app-header';
import { BUILDER_ONLY_NOTICE, canBuildScenarios } from '@/components/scenarios/access';
import { ScenarioForm } from '@/components/scenarios/scenario-form';
import styles from '@/components/scenarios/scenarios.module.css';
import { requireSession } from '@/server/auth/session';
import { getServerCaller } from '@/trpc/server';

export const metadata: Metadata = { title: 'New scenario' };

/** A blank scenario, or (`?from=<id>`) a copy of one the editor can see, e.g. a platform scenario. */
export default async function NewScenarioPage(props: { searchParams: Promise<{ from?: string | string[] }> }) {
  const { from } = await props.searchParams;
  const { user } = await requireSession(typeof from === 'string' ? `/scenarios/new?from=${from}` : '/scenarios/new');
  const allowed = canBuildScenarios(user);
  const copy = allowed && typeof from === 'string' ? await loadCopy(from) : null;

  return (
    <>
      <AppHeader user={user} />
      <main className={`page ${styles.wide}`}>
        <h1>{copy ? 'Copy scenario' : 'New scenario'}</h1>
        {allowed ? (
          <>
            <p className="page-lead">
              {user.role === 'super_admin'
                ? 'A platform scenario: every dealership will be able to practise it.'
                : 'A scenario for your dealership’s trainees.'}
            </p>
            <ScenarioForm initial={copy} />
          </>
        ) : (
          <p className="alert alert-warn">{BUILDER_ONLY_NOTICE}</p>
        )}
      </main>
    </>
  );
}

/** The source's content under a new title; a source that is gone or not visible gives a blank form. */
async function loadCopy(scenarioId: string): Promise<TScenarioContent | null> {
  try {
    const { content } = await (await getServerCaller()).scenarioBuilder.get({ scenarioId });
    return { ...content, title: `Copy of ${content.title}`.slice(0, 120) };
  } catch (error) {
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) return null;
    throw error;
  }
}
