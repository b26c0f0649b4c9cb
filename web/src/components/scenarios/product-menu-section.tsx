import { productMonthlyImpact } from '@avatar-adam/db/scenario-input';
import { Field, GroupError } from './field';
import { formatMoney, PRODUCT_KINDS } from './labels';
import { dealFigures, rowKey, type TDraft, type TSectionProps } from './scenario-draft';
import rows from './scenario-rows.module.css';
import styles from './scenarios.module.css';

type TRow = TDraft['menu'][number];
const MAX_PRODUCTS = 12;

/** The F&I menu: each product with its price and what financing it adds to the payment. */
export function ProductMenuSection({ draft, update, errorOf }: TSectionProps) {
  const figures = dealFigures(draft.deal);
  const terms = { amountFinanced: figures.amountFinanced, apr: Number(draft.deal.apr), termMonths: Number(draft.deal.termMonths) };
  const setRow = (key: string, change: Partial<TRow>) =>
    update((d) => ({ ...d, menu: d.menu.map((row) => (row.key === key ? { ...row, ...change } : row)) }));
  const impactOf = (row: TRow) => {
    const price = Number(row.price);
    if (figures.payment === null || row.price.trim() === '' || !(price >= 0)) return '—';
    return `+${formatMoney(productMonthlyImpact(terms, price))}/mo`;
  };

  return (
    <fieldset className={styles.section}>
      <legend>Product menu</legend>
      <p className={styles.hint}>
        When the trainee quotes a payment, the customer privately checks it against the deal and these products.
      </p>
      <ul className={rows.rows} aria-label="Products">
        {draft.menu.map((row, i) => (
          <li key={row.key} className={rows.row}>
            <Field label="Product" error={errorOf(`dealJacket.menu.${i}.kind`)}>
              {(control) => (
                <select {...control} name={`dealJacket.menu.${i}.kind`} value={row.kind} onChange={(e) => setRow(row.key, { kind: e.target.value })}>
                  {Object.entries(PRODUCT_KINDS).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Name on the menu" error={errorOf(`dealJacket.menu.${i}.name`)}>
              {(control) => <input {...control} name={`dealJacket.menu.${i}.name`} maxLength={80} value={row.name} onChange={(e) => setRow(row.key, { name: e.target.value })} />}
            </Field>
            <Field label="Price ($)" error={errorOf(`dealJacket.menu.${i}.price`)}>
              {(control) => <input {...control} name={`dealJacket.menu.${i}.price`} inputMode="decimal" value={row.price} onChange={(e) => setRow(row.key, { price: e.target.value })} />}
            </Field>
            <Field label="Coverage (months)" error={errorOf(`dealJacket.menu.${i}.termMonths`)}>
              {(control) => (
                <input {...control} name={`dealJacket.menu.${i}.termMonths`} inputMode="numeric" value={row.termMonths} onChange={(e) => setRow(row.key, { termMonths: e.target.value })} />
              )}
            </Field>
            <span className={rows.impact} title="Added to the monthly payment at the deal's APR and term">
              {impactOf(row)}
            </span>
            <button
              type="button"
              className={`button button-secondary ${rows.small}`}
              aria-label={`Remove product ${i + 1}`}
              onClick={() => update((d) => ({ ...d, menu: d.menu.filter((r) => r.key !== row.key) }))}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <GroupError error={errorOf('dealJacket.menu')} />
      {draft.menu.length < MAX_PRODUCTS ? (
        <button
          type="button"
          className={`button button-secondary ${rows.small}`}
          onClick={() =>
            update((d) => ({ ...d, menu: [...d.menu, { key: rowKey(), kind: 'service_contract', name: '', price: '', termMonths: '' }] }))
          }
        >
          Add product
        </button>
      ) : null}
    </fieldset>
  );
}
