/** Room for the multipart boundaries and headers around the file itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

export class UploadRefused extends Error {
  constructor(
    readonly status: number,
    readonly userMessage: string,
  ) {
    super(userMessage);
  }
}

const tooLarge = (maxBytes: number) =>
  new UploadRefused(413, `The file is larger than ${maxBytes / 1024 / 1024} MB. Split it into smaller files, or save it without embedded images.`);

/**
 * The multipart form of an upload, refusing an oversized body as early as possible: at once from
 * its Content-Length, else while it streams in (a chunked upload has none) — never buffering
 * more than the limit.
 */
export async function readUploadForm(request: Request, maxBytes: number): Promise<FormData> {
  const limit = maxBytes + MULTIPART_OVERHEAD_BYTES;
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data;/i.test(contentType)) {
    throw new UploadRefused(415, 'Send the file as multipart/form-data with a field named "file".');
  }
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(maxBytes);
  if (!request.body) throw new UploadRefused(400, 'No file was sent.');

  const parts: Uint8Array[] = [];
  let received = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    parts.push(value);
  }
  try {
    return await new Response(Buffer.concat(parts), { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new UploadRefused(400, 'The upload could not be read. Please try again.');
  }
}
