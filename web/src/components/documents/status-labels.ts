import type { RouterOutputs } from '@/server/api/root';

export type TDocumentRow = RouterOutputs['document']['list'][number];
export type TDocumentStatus = TDocumentRow['status'];

export const STATUS_LABELS: Record<TDocumentStatus, string> = {
  queued: 'Queued',
  processing: 'Indexing…',
  ready: 'Ready',
  failed: 'Failed',
};

/** Still changing by itself: the list keeps refreshing while any document is in one of these. */
export function isInProgress(status: TDocumentStatus): boolean {
  return status === 'queued' || status === 'processing';
}
