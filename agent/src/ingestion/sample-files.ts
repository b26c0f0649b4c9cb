import JSZip from 'jszip';
import { PDFDocument, PDFHexString, StandardFonts } from 'pdf-lib';

/*
 * Real files built in code, for the extraction tests and `npm run bench:ingest`: no binary
 * fixtures in the repository, and every case (encrypted, scanned, damaged) is made on purpose.
 */

/** A PDF with one page per entry; each page's text is drawn line by line (wrapped at ~90 chars). */
export async function buildPdf(pages: readonly string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = doc.addPage([612, 792]);
    let y = 740;
    for (const line of wrap(text, 90)) {
      if (y < 50) break;
      if (line) page.drawText(line, { x: 50, y, size: 11, font });
      y -= 15;
    }
  }
  return doc.save();
}

/**
 * A PDF protected by a user password, as the Standard security handler writes it. pdf-lib cannot
 * encrypt, so the /Encrypt dictionary is added by hand; its /U entry matches no empty password,
 * which is exactly what a reader meets with a password-protected file.
 */
export async function buildEncryptedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText('Confidential dealer reserve schedule', { x: 50, y: 700, size: 12, font });
  const context = doc.context;
  const bytes32 = (fill: number) => PDFHexString.of(Buffer.alloc(32, fill).toString('hex'));
  context.trailerInfo.Encrypt = context.register(context.obj({ Filter: 'Standard', V: 1, R: 2, O: bytes32(0x4f), U: bytes32(0x55), P: -44 }));
  const id = PDFHexString.of('a1b2c3d4e5f60718293a4b5c6d7e8f90');
  context.trailerInfo.ID = context.obj([id, id]);
  return doc.save({ useObjectStreams: false });
}

/** What a scanner produces, as far as text goes: pages with only pictures (here: shapes) on them. */
export async function buildScannedPdf(pageCount = 2): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pageCount; i++) doc.addPage().drawRectangle({ x: 40, y: 40, width: 500, height: 700, borderWidth: 2 });
  return doc.save();
}

export type TDocxBlock = { heading?: string; level?: 1 | 2 | 3; paragraph?: string };

/** A minimal but complete .docx (what Word needs to open it, and styles so headings are headings). */
export async function buildDocx(blocks: readonly TDocxBlock[]): Promise<Uint8Array> {
  const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const paragraph = (text: string, style?: string) =>
    `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}<w:r><w:t xml:space="preserve">${escape(text)}</w:t></w:r></w:p>`;
  const body = blocks
    .map((b) => (b.heading !== undefined ? paragraph(b.heading, `Heading${b.level ?? 1}`) : paragraph(b.paragraph ?? '')))
    .join('');
  const style = (level: number) =>
    `<w:style w:type="paragraph" w:styleId="Heading${level}"><w:name w:val="heading ${level}"/></w:style>`;
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  zip.file(
    'word/_rels/document.xml.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
  );
  zip.file('word/styles.xml', `<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="${W}">${[1, 2, 3].map(style).join('')}</w:styles>`);
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + word.length + 1 > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}
