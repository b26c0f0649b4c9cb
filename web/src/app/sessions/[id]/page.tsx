import { TRPCError } from '@trpc/server';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AppHeader } from '@/components/app-header';
import { ScorecardView, type TScorecard } from '@/components/sessions/scorecard-view';
import { SessionRecording } from '@/components/sessions/session-recording';
import { TranscriptView, turnAnchor } from '@/components/sessions/transcript-view';
import { requireSession } from '@/server/auth/session';
import { getServerCaller } from '@/trpc/server';
import styles from './session-page.module.css';

export const metadata: Metadata = { title: 'Practice session' };

/** One practice session after the fact: its scorecard (or summary), then every turn as it was heard. */
export default async function SessionPage(props: { params: Promise<{ id: string }> }) {
  const { id } = await props.params;
  const { user } = await requireSession(`/sessions/${id}`);
  if (!user.dealershipId) {
    return (
      <>
        <AppHeader user={user} />
        <main className="page">
          <h1>Practice session</h1>
          <p className="alert alert-warn">
            Practice sessions belong to a dealership, and your platform administrator account is not part of one.
          </p>
        </main>
      </>
    );
  }

  const { transcript, scorecard, recordings } = await loadSession(id);
  const { session } = transcript;
  const isCoach = session.mode === 'coach';
  const startedAt = session.createdAt.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <p className={styles.back}>
          <Link href="/sessions">← History</Link>
        </p>
        <p className={styles.eyebrow}>{isCoach ? 'Coaching session' : 'Role-play'}</p>
        <h1>{session.scenarioTitle}</h1>
        <p className="page-lead">
          {session.traineeName} with {session.personaName} ·{' '}
          <time dateTime={session.createdAt.toISOString()}>{startedAt}</time>
          {session.status === 'failed' ? ' · ended early' : ''}
        </p>

        <section className={styles.section} aria-labelledby="scorecard-title">
          <h2 id="scorecard-title" className={styles.sectionTitle}>
            {isCoach ? 'Summary' : 'Scorecard'}
          </h2>
          <ScorecardSection card={scorecard} live={session.status === 'pending' || session.status === 'live'} />
        </section>

        <section className={styles.section} aria-labelledby="recording-title">
          <h2 id="recording-title" className={styles.sectionTitle}>
            Recording
          </h2>
          <SessionRecording sessionId={session.id} parts={recordings} status={session.status} persona={session.personaName} />
        </section>

        <section className={styles.section} aria-labelledby="transcript-title">
          <h2 id="transcript-title" className={styles.sectionTitle}>
            Transcript
          </h2>
          <TranscriptView transcript={transcript} />
        </section>
      </main>
    </>
  );
}

function ScorecardSection({ card, live }: { card: TScorecard | null; live: boolean }) {
  if (card?.status === 'complete') return <ScorecardView card={card} turnHref={(n) => `#${turnAnchor(n)}`} />;
  if (card?.status === 'failed') {
    return <p className="alert">This session could not be scored. The transcript below is complete.</p>;
  }
  if (live) return <p className={styles.note}>This session is still in progress; it is scored once it ends.</p>;
  return (
    <p className={styles.note}>
      {card ? 'This session is being scored.' : 'This session has no scorecard yet.'} Sessions in which the
      trainee spoke are scored a moment after they end; reload the page to check again.
    </p>
  );
}

/** Someone else's session, another dealership's, or an id that is not one all read as not found. */
async function loadSession(sessionId: string) {
  const caller = await getServerCaller();
  try {
    const [transcript, scorecard, recordings] = await Promise.all([
      caller.history.transcript({ sessionId }),
      caller.history.scorecard({ sessionId }),
      caller.history.recordings({ sessionId }),
    ]);
    return { transcript, scorecard, recordings };
  } catch (error) {
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) notFound();
    throw error;
  }
}
