import { AppError } from './errors';

/** Uploads above this are refused before anything is stored: a training manual is far smaller. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

export const DOCUMENT_TYPES = {
  pdf: { mime: 'application/pdf', extensions: ['.pdf'] },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['.docx'] },
  markdown: { mime: 'text/markdown', extensions: ['.md', '.markdown'] },
  text: { mime: 'text/plain', extensions: ['.txt'] },
} as const;

export type TDocumentKind = keyof typeof DOCUMENT_TYPES;

const SUPPORTED = 'PDF, Word (.docx), plain text (.txt) or Markdown (.md)';
/** An OLE compound file: what an encrypted .docx (or an old binary .doc) really is. */
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

function refuse(message: string, userMessage: string): never {
  throw new AppError('BAD_REQUEST', { message, userMessage });
}

/**
 * What kind of document an upload is, judged by its extension AND its content (a renamed file is
 * refused: the extension alone would send a ZIP to the PDF reader). Throws BAD_REQUEST with a
 * message the manager can act on.
 */
export function inspectDocumentFile(opts: { filename: string; bytes: Uint8Array }): { kind: TDocumentKind; mime: string } {
  const { filename, bytes } = opts;
  if (bytes.length === 0) refuse(`empty upload ${filename}`, `“${filename}” is empty. Choose a file with some text in it.`);
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    refuse(
      `upload ${filename} is ${bytes.length} bytes`,
      `“${filename}” is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB. Split it into smaller files, or save it without embedded images.`,
    );
  }
  const extension = /\.[^.]+$/.exec(filename.toLowerCase())?.[0] ?? '';
  const kind = (Object.keys(DOCUMENT_TYPES) as TDocumentKind[]).find((k) =>
    (DOCUMENT_TYPES[k].extensions as readonly string[]).includes(extension),
  );
  if (!kind) refuse(`unsupported extension ${extension}`, `“${filename}” is not a supported file. Upload a ${SUPPORTED} file.`);

  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const notWhatItSays = () =>
    refuse(`${filename} content does not match ${kind}`, `“${filename}” is not a valid ${describeKind(kind)} file (its content does not match its name).`);
  if (kind === 'pdf' && !buffer.subarray(0, 1024).includes('%PDF-')) notWhatItSays();
  if (kind === 'docx') {
    if (buffer.subarray(0, 8).equals(OLE_MAGIC)) {
      refuse(
        `${filename} is an OLE compound file`,
        `“${filename}” is password-protected or an old-style Word file. Remove the password, or open it in Word and save it as .docx, then upload it again.`,
      );
    }
    if (!zipEntryNames(buffer)?.includes('word/document.xml')) notWhatItSays();
  }
  if ((kind === 'text' || kind === 'markdown') && !isUtf8Text(buffer)) {
    refuse(`${filename} is not UTF-8 text`, `“${filename}” is not plain text in UTF-8. Save it as UTF-8 text, or upload the original PDF or Word file.`);
  }
  return { kind, mime: DOCUMENT_TYPES[kind].mime };
}

export function describeKind(kind: TDocumentKind): string {
  return { pdf: 'PDF', docx: 'Word (.docx)', markdown: 'Markdown', text: 'text' }[kind];
}

function isUtf8Text(buffer: Buffer): boolean {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
    // NUL and other C0 controls (except tab and line breaks) mean binary data with a text name.
    return !/[\u0000-\u0008\u000e-\u001f]/.test(text);
  } catch {
    return false;
  }
}

/**
 * The file names in a ZIP's central directory, or null when this is not a readable ZIP. Reading
 * the directory (not the first local header) is what every unzip tool does, and it needs no library.
 */
export function zipEntryNames(buffer: Buffer): string[] | null {
  const END_SIGNATURE = 0x06054b50;
  const CENTRAL_SIGNATURE = 0x02014b50;
  // The end record is 22 bytes plus a comment of up to 65,535 bytes, at the very end.
  const searchFrom = Math.max(0, buffer.length - 22 - 0xffff);
  let end = -1;
  for (let i = buffer.length - 22; i >= searchFrom; i--) {
    if (buffer.readUInt32LE(i) === END_SIGNATURE) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = buffer.readUInt16LE(end + 10);
  let offset = buffer.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (offset + 46 > buffer.length || buffer.readUInt32LE(offset) !== CENTRAL_SIGNATURE) return null;
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    names.push(buffer.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
