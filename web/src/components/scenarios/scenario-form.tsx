'use client';

import { parseScenarioInput, type TScenarioContent } from '@avatar-adam/db/scenario-input';
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState, type FocusEvent, type FormEvent } from 'react';
import { userMessageOf, useTRPC } from '@/trpc/react';
import { ArchiveButton } from './archive-button';
import { BasicsSection } from './basics-section';
import { BehaviourSection } from './behaviour-section';
import { DealJacketSection } from './deal-jacket-section';
import { ObjectionsSection } from './objections-section';
import { PersonaSection } from './persona-section';
import { ProductMenuSection } from './product-menu-section';
import { draftFromContent, draftToInput, emptyDraft, type TDraft } from './scenario-draft';
import { ScenarioPreview } from './scenario-preview';
import styles from './scenarios.module.css';

/** Messages about a group or a computed figure, not one input: shown once anything was touched. */
const GROUP_PATHS = new Set(['', 'dealJacket', 'dealJacket.amountFinanced', 'dealJacket.payment', 'dealJacket.menu', 'objections']);

export type TScenarioFormProps = {
  /** Absent for a new scenario. */
  scenario?: { id: string; isActive: boolean; isPlatform: boolean; editable: boolean };
  initial: TScenarioContent | null;
  justCreated?: boolean;
};

/**
 * The scenario builder. Every change is checked in the browser with the schema the server uses
 * (`parseScenarioInput`); a field's message appears once it has been left, or on save.
 */
export function ScenarioForm({ scenario, initial, justCreated }: TScenarioFormProps) {
  const trpc = useTRPC();
  const router = useRouter();
  const [draft, setDraft] = useState<TDraft>(() => (initial ? draftFromContent(initial) : emptyDraft()));
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [saved, setSaved] = useState(justCreated ? 'Scenario created.' : '');
  const editable = scenario?.editable ?? true;

  const parsed = useMemo(() => parseScenarioInput(draftToInput(draft)), [draft]);
  const issues = useMemo(() => new Map(parsed.ok ? [] : parsed.issues.map((i) => [i.path, i.message])), [parsed]);
  const errorOf = (path: string) => {
    const visible = submitted || touched.has(path) || (GROUP_PATHS.has(path) && touched.size > 0);
    return visible ? issues.get(path) : undefined;
  };

  const create = useMutation(trpc.scenarioBuilder.create.mutationOptions({ onSuccess: ({ id }) => router.push(`/scenarios/${id}?created=1`) }));
  const save = useMutation(
    trpc.scenarioBuilder.update.mutationOptions({
      onSuccess: () => {
        setSaved('Changes saved.');
        router.refresh();
      },
    }),
  );
  const pending = create.isPending || save.isPending;
  const failure = create.error ?? save.error;

  const update = (change: (d: TDraft) => TDraft) => {
    setSaved('');
    setDraft(change);
  };
  const onBlur = (event: FocusEvent<HTMLFormElement>) => {
    const name = (event.target as { name?: unknown }).name;
    if (typeof name === 'string' && name && !touched.has(name)) setTouched(new Set([...touched, name]));
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    if (!parsed.ok) {
      const first = parsed.issues.find((i) => event.currentTarget.querySelector(`[name="${i.path}"]`));
      (first && event.currentTarget.querySelector<HTMLElement>(`[name="${first.path}"]`))?.focus();
      return;
    }
    if (scenario) save.mutate({ scenarioId: scenario.id, scenario: parsed.data });
    else create.mutate(parsed.data);
  };

  const sections = { draft, update, errorOf };
  return (
    <div className={styles.layout}>
      <form className={styles.form} onSubmit={onSubmit} onBlur={onBlur} aria-label="Scenario" noValidate>
        {!editable ? (
          <p className={styles.note}>
            This is a platform scenario: every dealership can use it, and only the platform team can change it.{' '}
            <Link href={`/scenarios/new?from=${scenario?.id}`}>Copy it to make your own version</Link>.
          </p>
        ) : null}
        {scenario && !scenario.isActive ? (
          <p className="alert alert-warn">Archived: trainees cannot practise it and it cannot be assigned.</p>
        ) : null}
        <fieldset className={styles.formFields} disabled={!editable}>
          <BasicsSection {...sections} />
          <PersonaSection {...sections} />
          {draft.mode === 'roleplay' ? (
            <>
              <DealJacketSection {...sections} />
              <ProductMenuSection {...sections} />
              <ObjectionsSection {...sections} />
            </>
          ) : null}
          <BehaviourSection {...sections} />
        </fieldset>
        {failure ? (
          <p className="alert" role="alert">
            {userMessageOf(failure)}
          </p>
        ) : null}
        {submitted && !parsed.ok ? (
          <p className="alert" role="alert">
            {parsed.issues.length === 1 ? 'One field needs' : `${parsed.issues.length} fields need`} attention before saving.
          </p>
        ) : null}
        {editable ? (
          <div className={styles.actions}>
            <button className="button" type="submit" disabled={pending}>
              {pending ? 'Saving…' : scenario ? 'Save changes' : 'Create scenario'}
            </button>
            {scenario ? <ArchiveButton scenarioId={scenario.id} isActive={scenario.isActive} /> : null}
            {saved ? (
              <p className={styles.saved} role="status">
                {saved}
              </p>
            ) : null}
          </div>
        ) : null}
      </form>
      <ScenarioPreview draft={draft} />
    </div>
  );
}
