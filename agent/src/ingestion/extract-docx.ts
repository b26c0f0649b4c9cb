import mammoth from 'mammoth';
import { DocumentUnreadable } from './errors';

/**
 * A Word document as Markdown-like text: headings become `#` lines (so passages carry the section
 * they belong to), lists and table cells stay on their own lines, images are skipped.
 */
export async function extractDocxMarkdown(bytes: Uint8Array): Promise<string> {
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes) },
      // Images are never read: they carry no text and a large one would be inlined as base64.
      { convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })) },
    );
    html = result.value;
  } catch (error) {
    throw new DocumentUnreadable(
      'This Word file could not be read: it is damaged or not really a .docx. Open it in Word, save it again as .docx and upload the new file.',
      { cause: error },
    );
  }
  return htmlToMarkdown(html);
}

/** mammoth's HTML is simple (h1–h6, p, ul/ol/li, table, strong/em/a): a few rules cover it. */
export function htmlToMarkdown(html: string): string {
  return decodeEntities(
    html
      .replace(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/gi, (_, level: string, inner: string) => {
        const heading = stripTags(inner).replace(/\s+/g, ' ').trim();
        return heading ? `\n\n${'#'.repeat(Number(level))} ${heading}\n\n` : '';
      })
      .replace(/<li[^>]*>/gi, '\n- ')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(p|ul|ol|table)>/gi, '\n\n')
      .replace(/<\/tr>/gi, '\n')
      .replace(/<\/t[dh]>/gi, ' | ')
      .replace(/<[^>]+>/g, ''),
  )
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function stripTags(html: string): string {
  return html.replace(/<[^>]+>/g, '');
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, code: string) => {
    if (code[0] === '#') {
      const point = code[1]?.toLowerCase() === 'x' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(point) && point <= 0x10ffff ? String.fromCodePoint(point) : entity;
    }
    return named[code.toLowerCase()] ?? entity;
  });
}
