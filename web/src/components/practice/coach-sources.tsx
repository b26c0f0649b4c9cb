'use client';

import { useParticipantAttributes, useVoiceAssistant } from '@livekit/components-react';
import { useMemo } from 'react';
import { CitationList } from '@/components/sessions/citation-list';
import { CITATIONS_ATTRIBUTE, parseCitationsAttribute } from './citations-attribute';
import styles from './practice-room.module.css';

/**
 * Where Adam's current answer comes from: the agent publishes the sources of the reply it is
 * speaking as a participant attribute, and each opens the passage from the knowledge base.
 */
export function CoachSources() {
  const { agent } = useVoiceAssistant();
  const { attributes } = useParticipantAttributes({ participant: agent });
  const raw = attributes?.[CITATIONS_ATTRIBUTE];
  const citations = useMemo(() => parseCitationsAttribute(raw), [raw]);

  return (
    <section className={styles.sources} aria-labelledby="coach-sources-title" aria-live="polite">
      <h3 id="coach-sources-title" className={styles.sourcesTitle}>
        Sources
      </h3>
      {citations.length === 0 ? (
        <p className={styles.sourcesEmpty}>When Adam answers from your dealership’s material, its sources appear here.</p>
      ) : (
        // Keyed by the answer's sources, so a new answer starts with every passage closed.
        <CitationList key={raw} citations={citations} />
      )}
    </section>
  );
}
