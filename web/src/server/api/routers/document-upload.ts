import { createDocument, MAX_DOCUMENT_BYTES } from '@avatar-adam/db';
import { z } from 'zod';
import { createCallerFactory, createTRPCRouter, managerProcedure } from '../trpc';

export const ZDocumentUploadInput = z.strictObject({
  filename: z.string().trim().min(1).max(255),
  title: z.string().trim().max(200).optional(),
  bytes: z.instanceof(Uint8Array),
});

/**
 * The upload, as procedures: the multipart route handler (`app/api/documents/route.ts`) reads the
 * file and calls these in-process, so who may upload is decided by the same middleware as every
 * other procedure. Deliberately not part of `appRouter`: files do not travel as tRPC JSON.
 */
export const documentUploadRouter = createTRPCRouter({
  /** Called before the body is read, so a caller who may not upload is refused without it. */
  limits: managerProcedure.query(() => ({ maxBytes: MAX_DOCUMENT_BYTES })),

  upload: managerProcedure.input(ZDocumentUploadInput).mutation(async ({ ctx, input }) => {
    const document = await createDocument({
      db: ctx.db,
      dealershipId: ctx.dealershipId,
      uploadedById: ctx.session.user.id,
      filename: input.filename,
      title: input.title,
      bytes: input.bytes,
    });
    ctx.logger.info({ documentId: document.id, sizeBytes: document.sizeBytes, mime: document.mime }, 'document uploaded');
    return document;
  }),
});

export const createDocumentUploadCaller = createCallerFactory(documentUploadRouter);
