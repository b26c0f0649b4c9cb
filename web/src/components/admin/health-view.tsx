import { Fragment, type ReactNode } from 'react';
import type { RouterOutputs } from '@/server/api/root';
import styles from './admin.module.css';

type THealth = RouterOutputs['admin']['health'];

const STATE_LABELS = { ok: 'OK', problem: 'Problem', info: 'Info' } as const;
const stateOf = (ok: boolean) => (ok ? 'ok' : 'problem');

function Panel(props: { title: string; state: keyof typeof STATE_LABELS; children: ReactNode }) {
  const label = STATE_LABELS[props.state];
  return (
    <section className={styles.panel} aria-label={`${props.title}: ${label}`}>
      <h2>
        {props.title}
        <span className={styles.badge} data-ok={String(props.state !== 'problem')}>
          {label}
        </span>
      </h2>
      {props.children}
    </section>
  );
}

/** Each part of the platform with what was measured, so a red badge comes with its reason. */
export function HealthView({ health }: { health: THealth }) {
  const { database, livekit, agentWorkers, queue, providers } = health;
  const registered = agentWorkers.filter((w) => w.registered && w.nameMatches).length;
  return (
    <div className={styles.healthGrid}>
      <Panel title="Database" state={stateOf(database.ok)}>
        <p>{database.ok ? `Answered in ${database.latencyMs} ms.` : `Not reachable: ${database.error}`}</p>
      </Panel>
      <Panel title="LiveKit" state={stateOf(livekit.ok)}>
        <p>
          {livekit.ok
            ? `Reachable, keys accepted: an authenticated room listing took ${livekit.latencyMs} ms (${livekit.rooms} open rooms).`
            : `Not reachable after ${livekit.latencyMs} ms: ${livekit.error}`}
        </p>
      </Panel>
      <Panel title="Agent workers" state={stateOf(registered > 0)}>
        <p>
          {registered} of {agentWorkers.length} worker{agentWorkers.length === 1 ? '' : 's'} registered with LiveKit under the
          dispatched name. Measured by each worker’s own health server: it answers OK only while its connection to LiveKit is open.
        </p>
        {health.agentWorkersError ? <p className="alert">{health.agentWorkersError}</p> : null}
        <ul>
          {agentWorkers.map((w) => (
            <li key={w.url}>
              <code>{w.url}</code>:{' '}
              {!w.reachable
                ? `not reachable (${w.message})`
                : `${w.registered ? 'registered' : `not registered (${w.message})`}, agent “${w.agentName ?? '?'}”${w.nameMatches ? '' : ' — not the name rooms dispatch'}, ${w.activeJobs ?? '?'} active sessions, agents-js ${w.sdkVersion ?? '?'}, ${w.latencyMs} ms`}
            </li>
          ))}
        </ul>
      </Panel>
      <Panel title="Queue depth" state={queue ? 'info' : 'problem'}>
        {queue ? (
          <dl className={styles.facts}>
            <dt>Documents queued</dt>
            <dd>{queue.documentsQueued}</dd>
            <dt>Documents being processed</dt>
            <dd>{queue.documentsProcessing}</dd>
            <dt>Sessions awaiting a scorecard</dt>
            <dd>{queue.sessionsAwaitingScorecardCapped ? `${queue.sessionsAwaitingScorecard} or more` : queue.sessionsAwaitingScorecard}</dd>
            <dt>Scorecards being written</dt>
            <dd>{queue.scorecardsPending}</dd>
          </dl>
        ) : (
          <p>Could not be read from the database.</p>
        )}
      </Panel>
      <Panel title="Job queues" state={health.jobQueues ? 'info' : 'problem'}>
        {health.jobQueues ? (
          <dl className={styles.facts}>
            {health.jobQueues.map((q) => (
              <Fragment key={q.queue}>
                <dt>
                  <code>{q.queue}</code>
                </dt>
                <dd>
                  {q.waiting} waiting, {q.active} running, {q.dead} dead this week
                </dd>
              </Fragment>
            ))}
          </dl>
        ) : (
          <p>Could not be read from the database.</p>
        )}
      </Panel>
      <Panel title="Dead jobs" state={health.deadJobs === null ? 'problem' : health.deadJobs.length > 0 ? 'problem' : 'ok'}>
        {health.deadJobs === null ? (
          <p>Could not be read from the database.</p>
        ) : health.deadJobs.length === 0 ? (
          <p>No job has used up its retries this week.</p>
        ) : (
          <ul>
            {health.deadJobs.map((job) => (
              <li key={job.id}>
                <code>{job.queue}</code> {Object.entries(job.subject).map(([k, v]) => `${k} ${v}`).join(', ')} — died{' '}
                {job.diedAt.toISOString()}: <q>{job.lastError}</q>
                {job.resolution ? ` (${job.resolution})` : ' (not handled yet)'}
              </li>
            ))}
          </ul>
        )}
      </Panel>
      <Panel title="Providers" state="info">
        <p>
          As this web server’s environment configures them (the agent logs the engines it actually chose at start):
          speech-to-text <code>{providers.settings.stt}</code>, LLM <code>{providers.settings.llm}</code>, text-to-speech{' '}
          <code>{providers.settings.tts}</code>, embeddings <code>{providers.settings.embeddings}</code>. OpenAI key{' '}
          {providers.settings.openaiKey ? 'set' : 'not set'}
          {providers.settings.openaiBaseUrl ? `, compatible server ${providers.settings.openaiBaseUrl}` : ''}; ElevenLabs key{' '}
          {providers.settings.elevenlabsKey ? 'set' : 'not set'}.
        </p>
        <p>
          Local models installed here:{' '}
          {providers.installedModels.length === 0
            ? 'none'
            : providers.installedModels.map((m) => `${m.id}${m.damagedFiles > 0 ? ` (${m.damagedFiles} damaged files)` : ''}`).join(', ')}
          .
        </p>
        <p>
          Knowledge base passages by embedding model:{' '}
          {providers.embeddingModels === null
            ? 'unknown (database unreachable)'
            : providers.embeddingModels.length === 0
              ? 'no passages yet'
              : providers.embeddingModels.map((m) => `${m.model ?? 'not embedded (full-text only)'}: ${m.chunks}`).join('; ')}
          .
        </p>
      </Panel>
    </div>
  );
}
