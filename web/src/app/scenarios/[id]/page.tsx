import { TRPCError } from '@trpc/server';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AppHeader } from '@/components/app-header';
import { BUILDER_ONLY_NOTICE, canBuildScenarios } from '@/components/scenarios/access';
import { ScenarioForm } from '@/components/scenarios/scenario-form';
import styles from '@/components/scenarios/scenarios.module.css';
import { requireSession } from '@/server/auth/session';
import { getServerCaller } from '@/trpc/server';

export const metadata: Metadata = { title: 'Scenario' };

/** Edit a scenario the editor owns, or view a platform scenario read-only. */
export default async function ScenarioPage(props: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ created?: string }>;
}) {
  const { id } = await props.params;
  const { created } = await props.searchParams;
  const { user } = await requireSession(`/scenarios/${id}`);
  const scenario = canBuildScenarios(user) ? await loadScenario(id) : null;

  return (
    <>
      <AppHeader user={user} />
      <main className={`page ${styles.wide}`}>
        <p>
          <Link href="/scenarios">← All scenarios</Link>
        </p>
        <h1>{scenario ? scenario.content.title : 'Scenario'}</h1>
        {scenario ? (
          <ScenarioForm
            // Another scenario starts from its own stored content; a refresh (after archiving) keeps the edits.
            key={scenario.id}
            scenario={{ id: scenario.id, isActive: scenario.isActive, isPlatform: scenario.isPlatform, editable: scenario.editable }}
            initial={scenario.content}
            justCreated={created === '1'}
          />
        ) : (
          <p className="alert alert-warn">{BUILDER_ONLY_NOTICE}</p>
        )}
      </main>
    </>
  );
}

async function loadScenario(scenarioId: string) {
  try {
    return await (await getServerCaller()).scenarioBuilder.get({ scenarioId });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) notFound();
    throw error;
  }
}
