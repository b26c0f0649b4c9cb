'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC, userMessageOf } from '@/trpc/react';
import { DocumentList } from './document-list';
import styles from './documents.module.css';
import { isInProgress, type TDocumentRow } from './status-labels';
import { UploadZone } from './upload-zone';

/** While something is queued or being indexed, the list refreshes this often; otherwise it rests. */
const REFRESH_WHILE_INDEXING_MS = 2_000;

/** The manager's knowledge base page: upload at the top, the documents and their live status below. */
export function DocumentsHome({ initialDocuments }: { initialDocuments: TDocumentRow[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: documents, error } = useQuery(
    trpc.document.list.queryOptions(undefined, {
      initialData: initialDocuments,
      refetchInterval: (query) => (query.state.data?.some((d) => isInProgress(d.status)) ? REFRESH_WHILE_INDEXING_MS : false),
    }),
  );
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.document.list.queryKey() });

  return (
    <div className={styles.home}>
      <UploadZone onUploaded={refresh} />
      <section aria-labelledby="documents-title" className={styles.listSection}>
        <h2 id="documents-title" className={styles.sectionTitle}>
          Knowledge base
        </h2>
        {error ? (
          <p className="alert alert-warn" role="status">
            The list could not be refreshed: {userMessageOf(error)}
          </p>
        ) : null}
        <DocumentList documents={documents} onChanged={refresh} />
      </section>
    </div>
  );
}
