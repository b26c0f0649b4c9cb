import { Field, GroupError } from './field';
import { CONDITIONS, CREDIT_TIERS, formatMoney } from './labels';
import { dealFigures, type TDraft, type TSectionProps } from './scenario-draft';
import styles from './scenarios.module.css';

type TDealKey = keyof TDraft['deal'];

/** Typed fields in the order a deal jacket reads; `path` is where the schema reports a problem. */
const TEXT_FIELDS: { key: TDealKey; label: string; path: string; numeric?: boolean; hint?: string }[][] = [
  [
    { key: 'year', label: 'Year', path: 'vehicle.year', numeric: true },
    { key: 'make', label: 'Make', path: 'vehicle.make' },
    { key: 'model', label: 'Model', path: 'vehicle.model' },
    { key: 'trim', label: 'Trim (optional)', path: 'vehicle.trim' },
    { key: 'mileage', label: 'Mileage (optional)', path: 'vehicle.mileage', numeric: true },
  ],
  [
    { key: 'price', label: 'Selling price ($)', path: 'price', numeric: true },
    { key: 'taxesAndFees', label: 'Taxes and fees ($)', path: 'taxesAndFees', numeric: true },
    { key: 'downPayment', label: 'Cash down ($)', path: 'downPayment', numeric: true },
    { key: 'tradeAllowance', label: 'Trade allowance ($)', path: 'tradeAllowance', numeric: true },
    { key: 'tradePayoff', label: 'Trade payoff owed ($)', path: 'tradePayoff', numeric: true, hint: 'More than the allowance = negative equity.' },
  ],
  [
    { key: 'apr', label: 'APR (%)', path: 'apr', numeric: true },
    { key: 'termMonths', label: 'Term (months)', path: 'termMonths', numeric: true },
  ],
];

/** The numbers the trainee works from; amount financed and payment follow from them, live. */
export function DealJacketSection({ draft, update, errorOf }: TSectionProps) {
  const set = (key: TDealKey, value: string) => update((d) => ({ ...d, deal: { ...d.deal, [key]: value } }));
  const figures = dealFigures(draft.deal);
  const select = (key: 'condition' | 'creditTier', label: string, options: Record<string, string>) => {
    const path = `dealJacket.${key === 'condition' ? 'vehicle.condition' : key}`;
    return (
      <Field label={label} error={errorOf(path)}>
        {(control) => (
          <select {...control} name={path} value={draft.deal[key]} onChange={(e) => set(key, e.target.value)}>
            {Object.entries(options).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        )}
      </Field>
    );
  };

  return (
    <fieldset className={styles.section}>
      <legend>Deal jacket</legend>
      {TEXT_FIELDS.map((group, i) => (
        <div key={i} className={styles.grid}>
          {group.map((f) => (
            <Field key={f.key} label={f.label} hint={f.hint} error={errorOf(`dealJacket.${f.path}`)}>
              {(control) => (
                <input
                  {...control}
                  name={`dealJacket.${f.path}`}
                  inputMode={f.numeric ? 'decimal' : undefined}
                  value={draft.deal[f.key]}
                  onChange={(e) => set(f.key, e.target.value)}
                />
              )}
            </Field>
          ))}
          {i === 0 ? select('condition', 'Condition', CONDITIONS) : null}
          {i === 2 ? select('creditTier', 'Credit tier', CREDIT_TIERS) : null}
        </div>
      ))}
      <dl className={styles.figures} aria-label="Computed from the deal" aria-live="polite">
        <div>
          <dt>Amount financed</dt>
          <dd data-testid="amount-financed">{formatMoney(figures.amountFinanced)}</dd>
        </div>
        {figures.negativeEquity > 0 ? (
          <div>
            <dt>Negative equity rolled in</dt>
            <dd>{formatMoney(figures.negativeEquity)}</dd>
          </div>
        ) : null}
        <div>
          <dt>Monthly payment (before products)</dt>
          <dd data-testid="monthly-payment">{figures.payment === null ? '—' : formatMoney(figures.payment)}</dd>
        </div>
      </dl>
      <GroupError error={errorOf('dealJacket.amountFinanced') ?? errorOf('dealJacket.payment') ?? errorOf('dealJacket')} />
    </fieldset>
  );
}
