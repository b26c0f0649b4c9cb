'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { userMessageOf, useTRPC } from '@/trpc/react';
import styles from './phone.module.css';

type TLine = { phoneNumber: string; defaultScenarioId: string | null; dial: string | null } | null;
type TScenarioOption = { id: string; title: string; mode: 'coach' | 'roleplay' };

/** The dealership's practice number and what a call starts when the trainee has no assignment. */
export function PhoneLineForm({ enabled, line, scenarios }: { enabled: boolean; line: TLine; scenarios: TScenarioOption[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [saved, setSaved] = useState(false);
  const save = useMutation(trpc.phone.saveLine.mutationOptions({ onSuccess: () => (setSaved(true), router.refresh()) }));
  const remove = useMutation(trpc.phone.removeLine.mutationOptions({ onSuccess: () => router.refresh() }));
  const error = save.error ?? remove.error;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const scenario = String(form.get('defaultScenarioId') ?? '');
    setSaved(false);
    save.mutate({ phoneNumber: String(form.get('phoneNumber') ?? ''), defaultScenarioId: scenario || null });
  }

  function onRemove() {
    if (window.confirm('Remove the practice number? Calls to it will no longer reach AvatarAdam.')) remove.mutate();
  }

  return (
    <form className={styles.form} onSubmit={onSubmit} aria-label="Practice number">
      {error ? (
        <p className="alert" role="alert">
          {userMessageOf(error)}
        </p>
      ) : null}
      {saved ? (
        <p className={styles.saved} role="status">
          Saved. Calls to this number now reach AvatarAdam.
        </p>
      ) : null}
      <label className={styles.field}>
        <span>Phone number</span>
        <input name="phoneNumber" type="tel" required placeholder="+1 312 555 0100" defaultValue={line?.phoneNumber ?? ''} maxLength={40} />
      </label>
      <label className={styles.field}>
        <span>Without an assignment, a call starts</span>
        <select name="defaultScenarioId" defaultValue={line?.defaultScenarioId ?? ''}>
          <option value="">Adam, the coach</option>
          {scenarios
            .filter((s) => s.mode === 'roleplay')
            .map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
        </select>
      </label>
      <button className="button" type="submit" disabled={!enabled || save.isPending}>
        {save.isPending ? 'Saving…' : 'Save number'}
      </button>
      {line ? (
        <button className="button button-secondary" type="button" disabled={!enabled || remove.isPending} onClick={onRemove}>
          Remove number
        </button>
      ) : null}
      <p className={styles.hint}>
        Trainees with an open assignment practise that first. Calls go to your carrier&apos;s SIP trunk for this number;
        {line?.dial ? ` on this server you can also dial ${line.dial}.` : ' your operator connects the carrier.'}
      </p>
    </form>
  );
}
