'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { userMessageOf, useTRPC } from '@/trpc/react';
import styles from './admin.module.css';

/** What a name would look like as a slug: "Lakeside Motors" → "lakeside-motors". */
export function slugFrom(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

const TIME_ZONES = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

/** New dealership + its first manager's invitation; the table (a server component) refreshes after. */
export function CreateDealershipForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const create = useMutation(trpc.admin.createDealership.mutationOptions({ onSuccess: () => router.refresh() }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const input = {
      name: String(form.get('name') ?? ''),
      slug,
      timezone: String(form.get('timezone') ?? ''),
      adminEmail: String(form.get('adminEmail') ?? ''),
    };
    create.mutate(input, {
      onSuccess: () => {
        formElement.reset();
        setSlug('');
        setSlugEdited(false);
      },
    });
  }

  const done = create.data;
  return (
    <form className={styles.form} onSubmit={onSubmit} aria-label="Create a dealership">
      {create.error ? (
        <p className="alert" role="alert">
          {userMessageOf(create.error)}
        </p>
      ) : null}
      {done ? (
        <p className={done.invitationSent ? styles.notice : 'alert alert-warn'} role="status">
          {done.invitationSent
            ? `${done.name} was created. Its first manager, ${done.invitedEmail}, has been emailed an invitation.`
            : `${done.name} was created, but the invitation email to ${done.invitedEmail} could not be sent. Use “Invite a manager” on its row to send it again.`}
        </p>
      ) : null}
      <label className={styles.field}>
        <span>Dealership name</span>
        <input name="name" required minLength={2} maxLength={120} onChange={(e) => slugEdited || setSlug(slugFrom(e.target.value))} />
      </label>
      <label className={styles.field}>
        <span>Short name</span>
        <input
          name="slug"
          required
          value={slug}
          pattern="[a-z0-9]+(-[a-z0-9]+)*"
          minLength={3}
          maxLength={60}
          aria-describedby="slug-hint"
          onChange={(e) => {
            setSlugEdited(true);
            setSlug(e.target.value);
          }}
        />
        <span id="slug-hint" className={styles.hint}>
          Lower-case letters, digits and hyphens; unique.
        </span>
      </label>
      <label className={styles.field}>
        <span>Time zone</span>
        <input name="timezone" required defaultValue="America/Chicago" list="time-zones" aria-describedby="tz-hint" />
        <span id="tz-hint" className={styles.hint}>
          Weeks and days in its analytics follow this zone.
        </span>
      </label>
      <datalist id="time-zones">
        {TIME_ZONES.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <label className={styles.field}>
        <span>First manager’s email</span>
        <input name="adminEmail" type="email" required maxLength={320} />
      </label>
      <button className="button" type="submit" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create dealership'}
      </button>
    </form>
  );
}
