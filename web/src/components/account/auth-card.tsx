import type { ReactNode } from 'react';
import styles from '@/app/sign-in/sign-in.module.css';

/** The centred card of the signed-out pages (sign in, accept an invitation, reset a password). */
export function AuthCard(props: { titleId: string; title: string; lead: ReactNode; children: ReactNode }) {
  return (
    <main className={styles.screen}>
      <section className={styles.card} aria-labelledby={props.titleId}>
        <p className={styles.brand}>AvatarAdam</p>
        <h1 id={props.titleId} className={styles.title}>
          {props.title}
        </h1>
        <p className={styles.lead}>{props.lead}</p>
        {props.children}
      </section>
    </main>
  );
}
