import Link from 'next/link';

/** Also what someone sees for a session that is not theirs: it never reveals that it exists. */
export default function SessionNotFound() {
  return (
    <main className="page">
      <h1>Session not found</h1>
      <p className="page-lead">This practice session does not exist, or it is not one you can see.</p>
      <Link href="/practice" className="button">
        Back to practice
      </Link>
    </main>
  );
}
