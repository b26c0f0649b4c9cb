import type { RouterOutputs } from '@/server/api/root';
import styles from './scenario-list.module.css';

export type TScenarioCard = RouterOutputs['scenario']['list'][number];

const MODE_SECTIONS = [
  {
    mode: 'coach',
    title: 'Coaching with Adam',
    blurb: 'Ask Adam about products, process and compliance; he answers from your dealership’s material.',
  },
  {
    mode: 'roleplay',
    title: 'Customer role-plays',
    blurb: 'Present the menu to a customer played by the AI, objections and all, and get scored.',
  },
] as const;

export function ScenarioList(props: {
  scenarios: TScenarioCard[];
  /** The scenario whose session is being started, if any; every button waits meanwhile. */
  startingId: string | null;
  onStart: (scenario: TScenarioCard) => void;
}) {
  if (props.scenarios.length === 0) {
    return <p className="alert alert-warn">No practice scenarios are available yet. Ask your manager to add one.</p>;
  }
  return (
    <div className={styles.sections}>
      {MODE_SECTIONS.map((section) => {
        const items = props.scenarios.filter((s) => s.mode === section.mode);
        if (items.length === 0) return null;
        return (
          <section key={section.mode} aria-labelledby={`section-${section.mode}`}>
            <h2 id={`section-${section.mode}`} className={styles.sectionTitle}>
              {section.title}
            </h2>
            <p className={styles.sectionBlurb}>{section.blurb}</p>
            <ul className={styles.cards}>
              {items.map((scenario) => (
                <li key={scenario.id} className={styles.card}>
                  <div className={styles.cardHead}>
                    <h3 className={styles.cardTitle}>{scenario.title}</h3>
                    <span className={styles.badge} data-difficulty={scenario.difficulty}>
                      {scenario.difficulty}
                    </span>
                  </div>
                  <p className={styles.meta}>
                    {scenario.mode === 'coach' ? 'With' : 'Customer:'} {scenario.personaName}
                    {scenario.vehicle ? ` · ${scenario.vehicle}` : ''}
                  </p>
                  {scenario.summary ? <p className={styles.summary}>{scenario.summary}</p> : null}
                  <button
                    type="button"
                    className="button"
                    disabled={props.startingId !== null}
                    onClick={() => props.onStart(scenario)}
                  >
                    {props.startingId === scenario.id ? 'Starting…' : 'Start practice'}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
