import { Choice, Field } from './field';
import type { TSectionProps } from './scenario-draft';
import styles from './scenarios.module.css';

const MODES = [
  { value: 'roleplay', label: 'Customer role-play', hint: 'The AI plays a customer with a deal; the trainee is scored.' },
  { value: 'coach', label: 'Coaching with Adam', hint: 'The AI coaches and answers from your documents; not scored.' },
] as const;

export function BasicsSection({ draft, update, errorOf }: TSectionProps) {
  return (
    <fieldset className={styles.section}>
      <legend>Basics</legend>
      <Field label="Title" error={errorOf('title')} hint="Shown on the trainee's scenario card.">
        {(control) => (
          <input {...control} name="title" maxLength={120} value={draft.title} onChange={(e) => update((d) => ({ ...d, title: e.target.value }))} />
        )}
      </Field>
      <Field label="Summary" error={errorOf('summary')} hint="One or two sentences the trainee reads before starting.">
        {(control) => (
          <textarea {...control} name="summary" maxLength={400} value={draft.summary} onChange={(e) => update((d) => ({ ...d, summary: e.target.value }))} />
        )}
      </Field>
      <div className={styles.choices} role="radiogroup" aria-label="Mode">
        {MODES.map((mode) => (
          <Choice
            key={mode.value}
            name="mode"
            value={mode.value}
            checked={draft.mode === mode.value}
            onChange={() => update((d) => ({ ...d, mode: mode.value }))}
            label={mode.label}
            hint={mode.hint}
          />
        ))}
      </div>
    </fieldset>
  );
}
