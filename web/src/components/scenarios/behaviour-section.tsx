import { Choice, Field } from './field';
import { DIFFICULTY_OPTIONS, PATIENCE_LABELS, PATIENCE_PRESETS, type TPatiencePreset } from './labels';
import type { TDraft, TSectionProps } from './scenario-draft';
import styles from './scenarios.module.css';

/** How hard the customer is to move, and how long they wait before answering (endpointing). */
export function BehaviourSection({ draft, update, errorOf }: TSectionProps) {
  const choosePreset = (preset: TPatiencePreset) =>
    update((d) => {
      const values = preset === 'custom' ? null : PATIENCE_PRESETS[preset];
      const patience: TDraft['patience'] = values
        ? { preset, minMs: String(values.minEndpointingDelayMs), maxMs: String(values.maxEndpointingDelayMs) }
        : { ...d.patience, preset };
      return { ...d, patience };
    });
  const setWait = (key: 'minMs' | 'maxMs', value: string) => update((d) => ({ ...d, patience: { ...d.patience, [key]: value } }));

  return (
    <fieldset className={styles.section}>
      <legend>Difficulty and patience</legend>
      {draft.mode === 'roleplay' ? (
        <div className={styles.choices} role="radiogroup" aria-label="Difficulty">
          {Object.entries(DIFFICULTY_OPTIONS).map(([value, option]) => (
            <Choice
              key={value}
              name="difficulty"
              value={value}
              checked={draft.difficulty === value}
              onChange={() => update((d) => ({ ...d, difficulty: value as TDraft['difficulty'] }))}
              label={option.label}
              hint={option.hint}
            />
          ))}
        </div>
      ) : null}
      <div className={styles.choices} role="radiogroup" aria-label="Patience">
        {Object.entries(PATIENCE_LABELS).map(([value, option]) => (
          <Choice
            key={value}
            name="patience"
            value={value}
            checked={draft.patience.preset === value}
            onChange={() => choosePreset(value as TPatiencePreset)}
            label={option.label}
            hint={option.hint}
          />
        ))}
      </div>
      {draft.patience.preset === 'custom' ? (
        <div className={styles.grid}>
          <Field label="Shortest wait (ms)" hint="Silence after the trainee finishes a sentence, before answering." error={errorOf('patience.minEndpointingDelayMs')}>
            {(control) => (
              <input {...control} name="patience.minEndpointingDelayMs" inputMode="numeric" value={draft.patience.minMs} onChange={(e) => setWait('minMs', e.target.value)} />
            )}
          </Field>
          <Field label="Longest wait (ms)" hint="When the trainee sounds mid-sentence." error={errorOf('patience.maxEndpointingDelayMs')}>
            {(control) => (
              <input {...control} name="patience.maxEndpointingDelayMs" inputMode="numeric" value={draft.patience.maxMs} onChange={(e) => setWait('maxMs', e.target.value)} />
            )}
          </Field>
        </div>
      ) : null}
    </fieldset>
  );
}
