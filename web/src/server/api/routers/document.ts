import { deleteDocument, getDocument, listDocuments, requestReindex } from '@avatar-adam/db';
import { z } from 'zod';
import { createTRPCRouter, managerProcedure } from '../trpc';

export const ZDocumentIdInput = z.strictObject({ documentId: z.uuid() });

/**
 * The knowledge base of the caller's dealership, for managers. Uploads arrive as multipart at
 * `/api/documents` (see document-upload.ts); everything else is here.
 */
export const documentRouter = createTRPCRouter({
  /** Every document with its status; the page polls this while anything is queued or processing. */
  list: managerProcedure.query(({ ctx }) => listDocuments({ db: ctx.db, dealershipId: ctx.dealershipId })),

  get: managerProcedure
    .input(ZDocumentIdInput)
    .query(({ ctx, input }) => getDocument({ db: ctx.db, dealershipId: ctx.dealershipId, documentId: input.documentId })),

  /** Removes the document, its stored file and its passages; the coach stops citing it at once. */
  delete: managerProcedure.input(ZDocumentIdInput).mutation(async ({ ctx, input }) => {
    await deleteDocument({ db: ctx.db, dealershipId: ctx.dealershipId, documentId: input.documentId, actorId: ctx.session.user.id });
    ctx.logger.info({ documentId: input.documentId }, 'document deleted');
    return { documentId: input.documentId };
  }),

  /** Queues the stored file to be indexed again; the current passages answer until it is done. */
  reindex: managerProcedure
    .input(ZDocumentIdInput)
    .mutation(({ ctx, input }) =>
      requestReindex({ db: ctx.db, dealershipId: ctx.dealershipId, documentId: input.documentId, actorId: ctx.session.user.id }),
    ),
});
