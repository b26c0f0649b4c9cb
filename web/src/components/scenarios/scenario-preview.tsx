import { OBJECTIONS_PER_SESSION } from '@avatar-adam/db/scenario-input';
import cards from '@/components/practice/scenario-list.module.css';
import { CREDIT_TIERS, DIFFICULTY_OPTIONS, formatMoney, PATIENCE_LABELS, VOICE_OPTIONS } from './labels';
import { dealFigures, type TDraft } from './scenario-draft';
import panel from './scenario-preview.module.css';
import styles from './scenarios.module.css';

const whole = (amount: number) => `$${Math.round(amount).toLocaleString('en-US')}`;

/**
 * What the scenario becomes: the card trainees pick it from (the practice page's own styles), and
 * the facts the agent is briefed with — the same ones agent/src/prompts/customer.ts puts in the
 * customer's instructions, in the same order.
 */
export function ScenarioPreview({ draft }: { draft: TDraft }) {
  const d = draft.deal;
  const vehicle = [d.year, d.make, d.model, d.trim].map((s) => s.trim()).filter(Boolean).join(' ');
  const isCoach = draft.mode === 'coach';
  return (
    <aside className={panel.preview} aria-label="Preview">
      <h2>Scenario card</h2>
      <div className={cards.card} data-testid="preview-card">
        <div className={cards.cardHead}>
          <h3 className={cards.cardTitle}>{draft.title.trim() || 'Untitled scenario'}</h3>
          <span className={cards.badge} data-difficulty={draft.difficulty}>
            {draft.difficulty}
          </span>
        </div>
        <p className={cards.meta}>
          {isCoach ? 'With' : 'Customer:'} {draft.persona.name.trim() || '…'}
          {!isCoach && vehicle ? ` · ${vehicle}` : ''}
        </p>
        {draft.summary.trim() ? <p className={cards.summary}>{draft.summary}</p> : null}
      </div>
      <h2>{isCoach ? 'Coach briefing' : 'Customer briefing'}</h2>
      <div className={panel.briefing} data-testid="preview-briefing">
        {isCoach ? <CoachBriefing draft={draft} /> : <CustomerBriefing draft={draft} vehicle={vehicle} />}
        <p className={styles.hint}>
          Voice: {VOICE_OPTIONS.find((v) => v.value === draft.persona.voice)?.label ?? draft.persona.voice}. Patience:{' '}
          {PATIENCE_LABELS[draft.patience.preset].label.toLowerCase()} (answers {Number(draft.patience.minMs) / 1000 || '?'} s after a
          finished sentence, waits up to {Number(draft.patience.maxMs) / 1000 || '?'} s when the trainee trails off).
        </p>
      </div>
    </aside>
  );
}

function CustomerBriefing({ draft, vehicle }: { draft: TDraft; vehicle: string }) {
  const d = draft.deal;
  const figures = dealFigures(d);
  const objections = draft.objections.map((o) => o.text.trim()).filter(Boolean);
  const perSession = Math.min(OBJECTIONS_PER_SESSION[draft.difficulty], objections.length);
  const hasTrade = Number(d.tradeAllowance) > 0 || Number(d.tradePayoff) > 0;
  return (
    <>
      <p>
        <strong>{draft.persona.name.trim() || 'The customer'}</strong>, a customer in the F&amp;I office, in character.
      </p>
      {draft.persona.personality.trim() ? <p>Personality: {draft.persona.personality}</p> : null}
      {draft.persona.background.trim() ? <p>Background: {draft.persona.background}</p> : null}
      <p>
        Their deal: {vehicle || 'the vehicle'} for {whole(Number(d.price) || 0)}, {whole(Number(d.downPayment) || 0)} down.
        {hasTrade ? ` Trade-in ${whole(Number(d.tradeAllowance) || 0)}, ${whole(Number(d.tradePayoff) || 0)} still owed on it.` : ''}{' '}
        Base payment {figures.payment === null ? '—' : whole(figures.payment)} a month at {d.apr || '?'}% for{' '}
        {d.termMonths || '?'} months ({CREDIT_TIERS[d.creditTier as keyof typeof CREDIT_TIERS] ?? d.creditTier} credit,{' '}
        {formatMoney(figures.amountFinanced)} financed).
      </p>
      {objections.length > 0 ? (
        <>
          <p>
            {perSession === objections.length
              ? 'Raises all of these, one at a time:'
              : `Raises ${perSession} of these ${objections.length}, one at a time, picked per session:`}
          </p>
          <ul>
            {objections.map((o, i) => (
              <li key={i}>“{o}”</li>
            ))}
          </ul>
        </>
      ) : (
        <p>No objections yet.</p>
      )}
      <p>{DIFFICULTY_OPTIONS[draft.difficulty].label}: {DIFFICULTY_OPTIONS[draft.difficulty].hint}</p>
      <p>Questions any payment that does not match this deal.</p>
    </>
  );
}

function CoachBriefing({ draft }: { draft: TDraft }) {
  return (
    <>
      <p>
        <strong>{draft.persona.name.trim() || 'The coach'}</strong>, an F&amp;I coach in a live voice call with the trainee.
      </p>
      {draft.persona.personality.trim() ? <p>Personality: {draft.persona.personality}</p> : null}
      {draft.persona.background.trim() ? <p>Background: {draft.persona.background}</p> : null}
      <p>Answers from your dealership&rsquo;s documents and names the source; says so when the materials do not cover it.</p>
    </>
  );
}
