'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import type { RouterOutputs } from '@/server/api/root';
import { userMessageOf, useTRPC } from '@/trpc/react';
import styles from './assignments.module.css';
import { dateInputValue, endOfLocalDay } from './labels';

type TOptions = RouterOutputs['assignment']['options'];

/** Assigns one role-play to one or more trainees, due by the end of the chosen day. */
export function AssignForm({ options }: { options: TOptions }) {
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [problem, setProblem] = useState('');
  const [done, setDone] = useState('');
  const assign = useMutation(
    trpc.assignment.create.mutationOptions({
      onSuccess: ({ created }) => {
        setDone(`Assigned to ${created} trainee${created === 1 ? '' : 's'}.`);
        setChosen(new Set());
        router.refresh();
      },
    }),
  );

  if (options.scenarios.length === 0 || options.trainees.length === 0) {
    return (
      <p className="alert alert-warn">
        {options.trainees.length === 0 ? 'Invite trainees first (Team).' : 'There is no active role-play scenario to assign.'}
      </p>
    );
  }

  function toggle(id: string, on: boolean) {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const dueAt = endOfLocalDay(String(form.get('dueDate') ?? ''));
    setDone('');
    // Checked here only where the browser knows better (the calendar day); the server judges the rest.
    if (!dueAt) return setProblem('Choose a due date.');
    if (chosen.size === 0) return setProblem('Choose at least one trainee.');
    setProblem('');
    assign.mutate({
      scenarioId: String(form.get('scenarioId')),
      traineeIds: [...chosen],
      dueAt,
      passMark: Number(form.get('passMark')),
    });
  }

  const message = problem || (assign.error ? userMessageOf(assign.error) : '');
  return (
    <form className={styles.form} onSubmit={onSubmit} aria-label="Assign a scenario" noValidate>
      <div className={styles.fields}>
        <div className={styles.field}>
          {/* A separate label: one wrapped around a select would be named after the chosen option too. */}
          <label htmlFor={`${id}-scenario`}>Scenario</label>
          <select id={`${id}-scenario`} name="scenarioId" required>
            {options.scenarios.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title} ({s.difficulty}){s.isPlatform ? '' : ' — yours'}
              </option>
            ))}
          </select>
        </div>
        <label className={styles.field}>
          <span>Due date</span>
          <input name="dueDate" type="date" required min={dateInputValue(0)} defaultValue={dateInputValue(7)} />
        </label>
        <label className={styles.field}>
          <span>Pass mark (1–100)</span>
          <input name="passMark" type="number" min={1} max={100} step={1} required defaultValue={80} />
        </label>
      </div>
      <fieldset className={styles.trainees}>
        <legend>Trainees</legend>
        <div className={styles.checks}>
          <label>
            <input
              type="checkbox"
              checked={chosen.size === options.trainees.length}
              onChange={(e) => setChosen(new Set(e.target.checked ? options.trainees.map((t) => t.id) : []))}
            />
            <em>Everyone</em>
          </label>
          {options.trainees.map((t) => (
            <label key={t.id}>
              <input type="checkbox" name="traineeIds" value={t.id} checked={chosen.has(t.id)} onChange={(e) => toggle(t.id, e.target.checked)} />
              {t.name}
            </label>
          ))}
        </div>
      </fieldset>
      {message ? (
        <p className="alert" role="alert">
          {message}
        </p>
      ) : null}
      <div className={styles.actions}>
        <button className="button" type="submit" disabled={assign.isPending}>
          {assign.isPending ? 'Assigning…' : 'Assign'}
        </button>
        {done ? (
          <p className={styles.done} role="status">
            {done}
          </p>
        ) : null}
      </div>
    </form>
  );
}
