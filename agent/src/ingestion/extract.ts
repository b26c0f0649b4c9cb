import { chunkMarkdown, chunkPages, chunkPlainText, DOCUMENT_TYPES } from '@avatar-adam/db';
import { extractDocxMarkdown } from './extract-docx';
import { extractPdfPages } from './extract-pdf';
import { DocumentUnreadable, NO_TEXT_REASON } from './errors';

/** A passage before embedding: `page` for PDFs, `heading` for Word and Markdown sections. */
export type TPassage = { ordinal: number; heading: string | null; page: number | null; text: string };

export type TExtracted =
  | { format: 'pdf'; pages: string[] }
  | { format: 'markdown'; markdown: string }
  | { format: 'text'; text: string };

/**
 * The text of an uploaded file, by its stored MIME type (checked against its content at upload).
 * Throws DocumentUnreadable, with the reason to show the manager, when the file cannot be read.
 */
export async function extractDocument(opts: { bytes: Uint8Array; mime: string }): Promise<TExtracted> {
  switch (opts.mime) {
    case DOCUMENT_TYPES.pdf.mime:
      return { format: 'pdf', pages: await extractPdfPages(opts.bytes) };
    case DOCUMENT_TYPES.docx.mime:
      return { format: 'markdown', markdown: await extractDocxMarkdown(opts.bytes) };
    case DOCUMENT_TYPES.markdown.mime:
      return { format: 'markdown', markdown: decodeUtf8(opts.bytes) };
    case DOCUMENT_TYPES.text.mime:
      return { format: 'text', text: decodeUtf8(opts.bytes) };
    default:
      throw new DocumentUnreadable(`Files of type ${opts.mime} cannot be indexed. Upload a PDF, Word (.docx), text or Markdown file.`);
  }
}

/** Passages of the extracted text; a file that yields none is unreadable ("no text to index"). */
export function chunkExtracted(extracted: TExtracted): TPassage[] {
  const passages: TPassage[] =
    extracted.format === 'pdf'
      ? chunkPages(extracted.pages)
      : (extracted.format === 'markdown' ? chunkMarkdown(extracted.markdown) : chunkPlainText(extracted.text)).map((c) => ({ ...c, page: null }));
  if (!passages.some((p) => /[\p{L}\p{N}]/u.test(p.text))) throw new DocumentUnreadable(NO_TEXT_REASON);
  return passages;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    // A byte-order mark is not text.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (error) {
    throw new DocumentUnreadable('This file is not UTF-8 text. Save it as UTF-8 and upload it again.', { cause: error });
  }
}
