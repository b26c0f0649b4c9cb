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
