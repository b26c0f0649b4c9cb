import { useId, type ReactNode } from 'react';
import styles from './scenarios.module.css';

/** What a field's control needs to be labelled and to announce its error. */
export type TControlProps = { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string };

/**
 * A labelled control with its hint and validation message underneath. The control is rendered by
 * the caller (input, select or textarea) with the props given, so the message is tied to it for
 * screen readers.
 */
export function Field(props: {
  label: string;
  error?: string | undefined;
  hint?: string;
  className?: string;
  children: (control: TControlProps) => ReactNode;
}) {
  const id = useId();
  const describedBy = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={`${styles.field} ${props.className ?? ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, 'aria-invalid': Boolean(props.error), 'aria-describedby': describedBy || undefined })}
      {props.hint ? (
        <p id={`${id}-hint`} className={styles.hint}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p id={`${id}-error`} className={styles.error}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** A message for a group of rows or a computed figure, which has no single control. */
export function GroupError({ error }: { error?: string | undefined }) {
  return error ? (
    <p className={styles.error}>
      {error}
    </p>
  ) : null;
}

/** One radio option: its accessible name is the label alone; the hint describes it. */
export function Choice(props: { name: string; value: string; checked: boolean; onChange: () => void; label: string; hint: string }) {
  const id = useId();
  return (
    <div className={styles.choice}>
      <input type="radio" id={id} name={props.name} value={props.value} checked={props.checked} onChange={props.onChange} aria-describedby={`${id}-hint`} />
      <label htmlFor={id}>{props.label}</label>
      <p id={`${id}-hint`} className={styles.hint}>
        {props.hint}
      </p>
    </div>
  );
}
