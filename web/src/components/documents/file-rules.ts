/*
 * What the upload accepts, checked in the browser before a byte is sent (the server checks again,
 * by content: these mirror MAX_DOCUMENT_BYTES and DOCUMENT_TYPES in @avatar-adam/db, which a
 * client component cannot import; file-rules.test.ts keeps them equal).
 */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
export const ACCEPTED_EXTENSIONS = ['.pdf', '.docx', '.md', '.markdown', '.txt'] as const;
/** For the file picker's `accept`: extensions, since browsers report Markdown's type inconsistently. */
export const ACCEPT_ATTRIBUTE = ACCEPTED_EXTENSIONS.join(',');

/** Why this file cannot be uploaded, or null when it may be. */
export function checkFileBeforeUpload(file: { name: string; size: number }): string | null {
  const extension = /\.[^.]+$/.exec(file.name.toLowerCase())?.[0] ?? '';
  if (!(ACCEPTED_EXTENSIONS as readonly string[]).includes(extension)) {
    return `“${file.name}” is not a supported file. Upload a PDF, Word (.docx), plain text (.txt) or Markdown (.md) file.`;
  }
  if (file.size === 0) return `“${file.name}” is empty. Choose a file with some text in it.`;
  if (file.size > MAX_UPLOAD_BYTES) {
    return `“${file.name}” is ${formatBytes(file.size)}, larger than ${formatBytes(MAX_UPLOAD_BYTES)}. Split it into smaller files, or save it without embedded images.`;
  }
  return null;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0).replace(/\.0$/, '')} MB`;
}
