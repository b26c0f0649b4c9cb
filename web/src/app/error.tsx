'use client';

/** Shown when a page fails on the server (database unreachable, for example); details stay in the logs. */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="page">
      <h1>Something went wrong</h1>
      <p className="page-lead">
        This page could not be loaded. It is usually temporary; try again in a moment.
      </p>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </main>
  );
}
