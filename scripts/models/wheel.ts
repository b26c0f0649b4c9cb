import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { PassThrough, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';
import { ModelsError } from './errors';

type TZipEntry = { name: string; method: number; compressedSize: number; size: number; localHeaderOffset: number };

/** Lists a zip's entries from its central directory (a wheel is a zip; zip64 is not needed for wheels < 4 GB). */
export async function listZip(zipPath: string): Promise<TZipEntry[]> {
  const handle = await open(zipPath, 'r');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) throw new ModelsError(`${zipPath}: not a zip file`);
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset === 0xffffffff) throw new ModelsError(`${zipPath}: zip64 archives are not supported`);
    const cd = Buffer.alloc(cdSize);
    await handle.read(cd, 0, cdSize, cdOffset);
    const entries: TZipEntry[] = [];
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (cd.readUInt32LE(at) !== 0x02014b50) throw new ModelsError(`${zipPath}: damaged central directory`);
      const nameLength = cd.readUInt16LE(at + 28);
      entries.push({
        method: cd.readUInt16LE(at + 10),
        compressedSize: cd.readUInt32LE(at + 20),
        size: cd.readUInt32LE(at + 24),
        localHeaderOffset: cd.readUInt32LE(at + 42),
        name: cd.toString('utf8', at + 46, at + 46 + nameLength),
      });
      at += 46 + nameLength + cd.readUInt16LE(at + 30) + cd.readUInt16LE(at + 32);
    }
    return entries;
  } finally {
    await handle.close();
  }
}

/** Streams one member of a zip to `dest` (stored or deflated), without unpacking the rest. */
export async function extractZipMember(zipPath: string, member: string, dest: string): Promise<number> {
  const entry = (await listZip(zipPath)).find((e) => e.name === member);
  if (!entry) throw new ModelsError(`${zipPath}: has no member ${member}`);
  const handle = await open(zipPath, 'r');
  const local = Buffer.alloc(30);
  try {
    await handle.read(local, 0, 30, entry.localHeaderOffset);
  } finally {
    await handle.close();
  }
  if (local.readUInt32LE(0) !== 0x04034b50) throw new ModelsError(`${zipPath}: damaged entry ${member}`);
  const dataStart = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  let decode: Transform;
  if (entry.method === 8) decode = createInflateRaw();
  else if (entry.method === 0) decode = new PassThrough();
  else throw new ModelsError(`${zipPath}: ${member} uses unsupported compression method ${entry.method}`);
  if (entry.compressedSize === 0) {
    await pipeline(new PassThrough().end(), createWriteStream(dest));
    return 0;
  }
  const raw = createReadStream(zipPath, { start: dataStart, end: dataStart + entry.compressedSize - 1 });
  await pipeline(raw, decode, createWriteStream(dest));
  return entry.size;
}
