'use client';

import { useTranscriptions, useVoiceAssistant } from '@livekit/components-react';
import { useEffect, useRef, useState } from 'react';
import styles from './live-transcript.module.css';

/** How close to the bottom (px) still counts as "reading along", so new lines scroll into view. */
const FOLLOW_SLACK_PX = 48;

/** A line recorded before this page joined the room (text streams are not replayed to late joiners). */
export type TEarlierLine = { id: string; speaker: 'agent' | 'trainee'; text: string };

/**
 * Both sides of the conversation as the agent transcribes it (`lk.transcription` text streams):
 * the agent's lines as it speaks them, the trainee's as it hears them. A segment updates in place.
 * `earlier` lines (the recorded turns, for someone joining mid-session) come first.
 */
export function LiveTranscript(props: { personaName: string; traineeName: string; earlier?: readonly TEarlierLine[] }) {
  const transcriptions = useTranscriptions();
  // A turn recorded while this page was connecting can also arrive live: show it once.
  const liveTexts = new Set(transcriptions.map((t) => t.text.trim()));
  const earlier = (props.earlier ?? []).filter((line) => !liveTexts.has(line.text.trim()));
  const { agent } = useVoiceAssistant();
  // Remembered, so the agent's lines keep their speaker after it has left the room.
  const [agentIdentities, setAgentIdentities] = useState<string[]>([]);
  const agentIdentity = agent?.identity;
  useEffect(() => {
    if (agentIdentity) setAgentIdentities((known) => (known.includes(agentIdentity) ? known : [...known, agentIdentity]));
  }, [agentIdentity]);
  const list = useRef<HTMLOListElement>(null);
  const following = useRef(true);
  const lastText = transcriptions.at(-1)?.text;

  useEffect(() => {
    const el = list.current;
    if (el && following.current) el.scrollTop = el.scrollHeight;
  }, [transcriptions.length, lastText, earlier.length]);

  return (
    <section className={styles.transcript} aria-labelledby="live-transcript-title">
      <h3 id="live-transcript-title" className={styles.transcriptTitle}>
        Live transcript
      </h3>
      {transcriptions.length === 0 && earlier.length === 0 ? (
        <p className={styles.empty}>Nothing said yet. Lines appear here as they are spoken.</p>
      ) : (
        <ol
          ref={list}
          className={styles.lines}
          aria-live="polite"
          onScroll={(e) => {
            const el = e.currentTarget;
            following.current = el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_SLACK_PX;
          }}
        >
          {earlier.map((line) => (
            <li key={line.id} className={styles.line} data-speaker={line.speaker} data-earlier="">
              <span className={styles.speaker}>{line.speaker === 'agent' ? props.personaName : props.traineeName}</span>
              <span>{line.text}</span>
            </li>
          ))}
          {transcriptions.map((t) => {
            const fromAgent = agentIdentities.includes(t.participantInfo.identity);
            return (
              <li key={t.streamInfo.attributes?.['lk.segment_id'] ?? t.streamInfo.id} className={styles.line} data-speaker={fromAgent ? 'agent' : 'trainee'}>
                <span className={styles.speaker}>{fromAgent ? props.personaName : props.traineeName}</span>
                <span>{t.text}</span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
