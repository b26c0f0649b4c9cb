export type TUploadOutcome = { ok: true; documentId: string } | { ok: false; userMessage: string };

/**
 * Sends one file to POST /api/documents with XMLHttpRequest, because fetch cannot report upload
 * progress. `onProgress` gets 0–1 as the bytes leave the browser. Resolves with the server's
 * answer in words; never rejects. `signal` aborts the upload.
 */
export function uploadDocumentFile(file: File, opts: { onProgress: (fraction: number) => void; signal?: AbortSignal }): Promise<TUploadOutcome> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    const form = new FormData();
    form.set('file', file);
    xhr.open('POST', '/api/documents');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) opts.onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body = xhr.response as { document?: { id: string }; userMessage?: string } | null;
      if (xhr.status === 201 && body?.document) resolve({ ok: true, documentId: body.document.id });
      else resolve({ ok: false, userMessage: body?.userMessage ?? `The upload failed (HTTP ${xhr.status}). Please try again.` });
    };
    xhr.onerror = () => resolve({ ok: false, userMessage: 'The upload was interrupted. Check your connection and try again.' });
    xhr.onabort = () => resolve({ ok: false, userMessage: 'Upload cancelled.' });
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}
