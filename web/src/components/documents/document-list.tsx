'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { userMessageOf, useTRPC } from '@/trpc/react';
import styles from './documents.module.css';
import { formatBytes } from './file-rules';
import { isInProgress, STATUS_LABELS, type TDocumentRow } from './status-labels';

const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

/** The knowledge base: one row per document with its live status, failure reason and actions. */
export function DocumentList({ documents, onChanged }: { documents: TDocumentRow[]; onChanged: () => void }) {
  if (documents.length === 0) {
    return (
      <p className={styles.muted} role="status">
        No documents yet. Upload your F&I process guides, product sheets and policies: Adam answers from them.
      </p>
    );
  }
  return (
    <ul className={styles.rows} aria-label="Documents">
      {documents.map((doc) => (
        <DocumentRow key={doc.id} doc={doc} onChanged={onChanged} />
      ))}
    </ul>
  );
}

function DocumentRow({ doc, onChanged }: { doc: TDocumentRow; onChanged: () => void }) {
  const trpc = useTRPC();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(trpc.document.delete.mutationOptions({ onSuccess: onChanged }));
  const reindex = useMutation(trpc.document.reindex.mutationOptions({ onSuccess: onChanged }));
  const error = remove.error ?? reindex.error;
  const busy = remove.isPending || reindex.isPending;

  return (
    <li className={styles.row} data-status={doc.status} data-testid="document-row">
      <div className={styles.rowMain}>
        <p className={styles.rowTitle}>
          <strong>{doc.title}</strong>{' '}
          <span className={styles.badge} data-status={doc.status} data-testid="document-status">
            {STATUS_LABELS[doc.status]}
          </span>
        </p>
        <p className={styles.rowMeta}>
          {doc.filename} · {formatBytes(doc.sizeBytes)} · added {dateFormat.format(doc.createdAt)}
          {doc.uploadedByName ? ` by ${doc.uploadedByName}` : ''}
          {doc.status === 'ready' ? ` · ${doc.chunkCount} ${doc.chunkCount === 1 ? 'passage' : 'passages'}` : ''}
          {isInProgress(doc.status) && doc.indexedAt ? ' · the previous version answers until this finishes' : ''}
        </p>
        {doc.status === 'failed' && doc.error ? (
          <p className={styles.failure} data-testid="document-error">
            {doc.error}
          </p>
        ) : null}
        {error ? (
          <p className="alert" role="alert">
            {userMessageOf(error)}
          </p>
        ) : null}
      </div>
      <div className={styles.actions}>
        {confirming ? (
          <>
            <span className={styles.confirmText}>Delete “{doc.title}”? Adam stops citing it at once.</span>
            <button type="button" className="button button-danger" disabled={busy} onClick={() => remove.mutate({ documentId: doc.id })}>
              {remove.isPending ? 'Deleting…' : 'Yes, delete'}
            </button>
            <button type="button" className="button button-secondary" disabled={busy} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <>
            {doc.hasFile && !isInProgress(doc.status) ? (
              <button type="button" className="button button-secondary" disabled={busy} onClick={() => reindex.mutate({ documentId: doc.id })}>
                {reindex.isPending ? 'Queuing…' : 'Re-index'}
              </button>
            ) : null}
            <button type="button" className="button button-secondary" disabled={busy} onClick={() => setConfirming(true)}>
              Delete
            </button>
          </>
        )}
      </div>
    </li>
  );
}
