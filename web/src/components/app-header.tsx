import type { TAuthUser } from '@avatar-adam/db';
import Link from 'next/link';
import styles from './app-header.module.css';
import { SignOutButton } from './sign-out-button';

const ROLE_LABELS: Record<TAuthUser['role'], string> = {
  super_admin: 'Platform admin',
  dealership_admin: 'Manager',
  trainee: 'Trainee',
};

export function AppHeader({ user }: { user: TAuthUser }) {
  return (
    <header className={styles.header}>
      <div className={styles.inner}>
        <Link href="/practice" className={styles.brand}>
          AvatarAdam
        </Link>
        <nav aria-label="Main" className={styles.nav}>
          <Link href="/practice">Practice</Link>
          <Link href="/sessions">History</Link>
          {user.dealershipId ? <Link href="/phone">Phone</Link> : null}
          {user.role === 'dealership_admin' ? (
            <>
              <Link href="/observe">Observe</Link>
              <Link href="/team">Team</Link>
              <Link href="/documents">Documents</Link>
              <Link href="/scenarios">Scenarios</Link>
              <Link href="/assignments">Assignments</Link>
              <Link href="/analytics">Analytics</Link>
            </>
          ) : null}
          {user.role === 'super_admin' ? <Link href="/scenarios">Scenarios</Link> : null}
          {user.role === 'super_admin' ? (
            <>
              <Link href="/admin">Dealerships</Link>
              <Link href="/admin/health">Health</Link>
            </>
          ) : null}
        </nav>
        <div className={styles.user}>
          <span className={styles.who}>
            <strong>{user.name}</strong>
            <span className={styles.role}>{ROLE_LABELS[user.role]}</span>
          </span>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
