import { OBJECTIONS_PER_SESSION } from '@avatar-adam/db/scenario-input';
import { Field, GroupError } from './field';
import { rowKey, type TSectionProps } from './scenario-draft';
import rows from './scenario-rows.module.css';
import styles from './scenarios.module.css';

const MAX_OBJECTIONS = 30;

/** The pool the customer draws from; each session picks a few, so repeats feel different. */
export function ObjectionsSection({ draft, update, errorOf }: TSectionProps) {
  const perSession = OBJECTIONS_PER_SESSION[draft.difficulty];
  return (
    <fieldset className={styles.section}>
      <legend>Objection pool</legend>
      <p className={styles.hint}>
        Write them the way the customer would say them. Each session raises {perSession} of them (set by the
        difficulty), picked at random.
      </p>
      <ol className={rows.rows} aria-label="Objections">
        {draft.objections.map((row, i) => (
          <li key={row.key} className={`${rows.row} ${rows.objectionRow}`}>
            <Field label={`Objection ${i + 1}`} error={errorOf(`objections.${i}`)}>
              {(control) => (
                <input
                  {...control}
                  name={`objections.${i}`}
                  maxLength={300}
                  value={row.text}
                  placeholder="I need to think about it."
                  onChange={(e) =>
                    update((d) => ({ ...d, objections: d.objections.map((o) => (o.key === row.key ? { ...o, text: e.target.value } : o)) }))
                  }
                />
              )}
            </Field>
            <button
              type="button"
              className={`button button-secondary ${rows.small}`}
              aria-label={`Remove objection ${i + 1}`}
              onClick={() => update((d) => ({ ...d, objections: d.objections.filter((o) => o.key !== row.key) }))}
            >
              Remove
            </button>
          </li>
        ))}
      </ol>
      <GroupError error={errorOf('objections')} />
      {draft.objections.length < MAX_OBJECTIONS ? (
        <button
          type="button"
          className={`button button-secondary ${rows.small}`}
          onClick={() => update((d) => ({ ...d, objections: [...d.objections, { key: rowKey(), text: '' }] }))}
        >
          Add objection
        </button>
      ) : null}
    </fieldset>
  );
}
