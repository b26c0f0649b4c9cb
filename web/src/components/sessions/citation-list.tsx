'use client';

import type { TCitation } from '@avatar-adam/db';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { userMessageOf, useTRPC } from '@/trpc/react';
import styles from './session-review.module.css';

/** Sources Adam cited, each opening the passage it came from. */
export function CitationList({ citations }: { citations: readonly TCitation[] }) {
  const [openChunkId, setOpenChunkId] = useState<string | null>(null);
  const baseId = useId();
  return (
    <ul className={styles.citations}>
      {citations.map((citation, index) => {
        const open = openChunkId === citation.chunkId;
        const panelId = `${baseId}-passage-${index}`;
        return (
          <li key={`${citation.chunkId}-${index}`}>
            <button
              type="button"
              className={styles.citationButton}
              aria-expanded={open}
              aria-controls={panelId}
              onClick={() => setOpenChunkId(open ? null : citation.chunkId)}
            >
              {citation.title}
              {showsHeading(citation) ? <span className={styles.citationHeading}> › {citation.heading}</span> : null}
            </button>
            {open ? <CitedPassage id={panelId} chunkId={citation.chunkId} /> : null}
          </li>
        );
      })}
    </ul>
  );
}

function CitedPassage({ id, chunkId }: { id: string; chunkId: string }) {
  const trpc = useTRPC();
  // Passages do not change while a page is open; fetched once, on first open.
  const { data, error, isPending } = useQuery(
    trpc.history.citation.queryOptions({ chunkId }, { staleTime: Infinity, retry: 1 }),
  );
  return (
    <div id={id} className={styles.passage} role="region" aria-label="Cited passage" aria-busy={isPending}>
      {error ? (
        <p className={styles.passageError}>{userMessageOf(error)}</p>
      ) : isPending ? (
        <p className={styles.muted}>Loading the passage…</p>
      ) : (
        <>
          <p className={styles.passageSource}>
            {data.title}
            {showsHeading(data) ? ` › ${data.heading}` : ''}
            {data.page !== null ? ` · page ${data.page}` : ''}
          </p>
          <blockquote className={styles.passageText}>{data.text}</blockquote>
        </>
      )}
    </div>
  );
}

/** A passage under the document's own title heading adds nothing by naming it twice. */
function showsHeading(source: { title: string; heading?: string | null }): boolean {
  return !!source.heading && source.heading.trim() !== source.title.trim();
}
