import { Field } from './field';
import { VOICE_OPTIONS } from './labels';
import type { TDraft, TSectionProps } from './scenario-draft';
import styles from './scenarios.module.css';

/** Who the agent is: the customer (or Adam, for coaching) — the words it is briefed with. */
export function PersonaSection({ draft, update, errorOf }: TSectionProps) {
  const isCoach = draft.mode === 'coach';
  const set = (key: keyof TDraft['persona'], value: string) => update((d) => ({ ...d, persona: { ...d.persona, [key]: value } }));
  const voiceKnown = VOICE_OPTIONS.some((v) => v.value === draft.persona.voice);
  return (
    <fieldset className={styles.section}>
      <legend>{isCoach ? 'Coach' : 'Customer'}</legend>
      <div className={`${styles.grid} ${styles.gridWide}`}>
        <Field label="Name" error={errorOf('persona.name')}>
          {(control) => <input {...control} name="persona.name" maxLength={60} value={draft.persona.name} onChange={(e) => set('name', e.target.value)} />}
        </Field>
        <Field label="Voice" error={errorOf('persona.voice')} hint="Used by the built-in voice; cloud voices use their own setting.">
          {(control) => (
            <select {...control} name="persona.voice" value={draft.persona.voice} onChange={(e) => set('voice', e.target.value)}>
              {voiceKnown ? null : <option value={draft.persona.voice}>{draft.persona.voice || 'Choose a voice'}</option>}
              {VOICE_OPTIONS.map((v) => (
                <option key={v.value} value={v.value}>
                  {v.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field
        label="Personality"
        error={errorOf('persona.personality')}
        hint={isCoach ? 'How the coach talks.' : 'How the customer behaves: temperament, what they care about, how they talk.'}
      >
        {(control) => (
          <textarea {...control} name="persona.personality" maxLength={600} value={draft.persona.personality} onChange={(e) => set('personality', e.target.value)} />
        )}
      </Field>
      <Field label="Background" error={errorOf('persona.background')} hint="Optional: life situation, budget, history with dealers.">
        {(control) => (
          <textarea {...control} name="persona.background" maxLength={1200} value={draft.persona.background} onChange={(e) => set('background', e.target.value)} />
        )}
      </Field>
    </fieldset>
  );
}
