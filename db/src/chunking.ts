export type TChunk = { ordinal: number; heading: string | null; text: string };

/** Passages longer than this are split at paragraph breaks: short enough to cite, long enough to answer. */
const MAX_CHUNK_CHARS = 1200;

/**
 * Splits Markdown (or plain text with Markdown headings) into retrievable passages, one per
 * section, each remembering the heading it sits under so answers can cite "Document › Section".
 */
export function chunkMarkdown(markdown: string): TChunk[] {
  const sections: Array<{ heading: string | null; body: string[] }> = [{ heading: null, body: [] }];
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const match = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (match?.[1]) sections.push({ heading: match[1], body: [] });
    else sections.at(-1)?.body.push(line);
  }
  const chunks: TChunk[] = [];
  for (const section of sections) {
    for (const text of splitLongText(section.body.join('\n').trim())) {
      chunks.push({ ordinal: chunks.length, heading: section.heading, text });
    }
  }
  return chunks;
}

export type TPagedChunk = TChunk & { page: number };

/**
 * Splits a PDF's text page by page: a passage never spans two pages, so every citation can say
 * which page it came from. Pages without text (images, blank pages) give no passage.
 */
export function chunkPages(pages: readonly string[]): TPagedChunk[] {
  const chunks: TPagedChunk[] = [];
  pages.forEach((pageText, index) => {
    for (const text of splitLongText(normalizeWhitespace(pageText))) {
      chunks.push({ ordinal: chunks.length, heading: null, page: index + 1, text });
    }
  });
  return chunks;
}

/** Plain text: paragraphs grouped into passages, no headings (a leading '#' is just a character). */
export function chunkPlainText(text: string): TChunk[] {
  return splitLongText(normalizeWhitespace(text)).map((t, ordinal) => ({ ordinal, heading: null, text: t }));
}

/** Trailing spaces and runs of blank lines (common in extracted PDF text) carry no meaning. */
function normalizeWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function splitLongText(text: string): string[] {
  if (!text) return [];
  if (text.length <= MAX_CHUNK_CHARS) return [text];
  const parts: string[] = [];
  let current = '';
  for (const paragraph of text.split(/\n{2,}/)) {
    if (current && current.length + paragraph.length + 2 > MAX_CHUNK_CHARS) {
      parts.push(current);
      current = '';
    }
    current = current ? `${current}\n\n${paragraph}` : paragraph;
  }
  if (current) parts.push(current);
  // A single paragraph longer than the limit is cut at sentence ends.
  return parts.flatMap((part) => (part.length <= MAX_CHUNK_CHARS ? [part] : splitSentences(part)));
}

function splitSentences(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const sentence of text.match(/[^.!?]+[.!?]+["')\]]*\s*|[^.!?]+$/g) ?? [text]) {
    if (current && current.length + sentence.length > MAX_CHUNK_CHARS) {
      out.push(current.trim());
      current = '';
    }
    current += sentence;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
