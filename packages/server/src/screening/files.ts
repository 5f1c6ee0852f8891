import { constants, inflateRawSync } from 'node:zlib';
import { EICAR } from './detectors/malware.js';
import type { Finding } from './types.js';

/** How far an archive is opened: nesting, entries, bytes, and how much it may expand. */
export const ARCHIVE_LIMITS = {
  maxDepth: 2,
  maxEntries: 1000,
  /** Bytes inflated per entry to look at its content. */
  inspectBytes: 1024 * 1024,
  maxTotalBytes: 100 * 1024 * 1024,
  maxRatio: 1000,
} as const;

const SCRIPT_EXTENSIONS =
  /\.(?:sh|bash|zsh|bat|cmd|ps1|psm1|vbs|vbe|js|jse|wsf|wsh|hta|py|pl|rb|php|applescript|scpt)$/i;
const EXECUTABLE_EXTENSIONS = /\.(?:exe|dll|scr|com|msi|msp|cpl|sys|jar|apk|app|dmg|pkg|deb|rpm|elf|lnk)$/i;

/** Programs by their first bytes: PE (MZ), ELF, Mach-O, Java class, WebAssembly. */
function isExecutable(head: Buffer): boolean {
  if (head.length < 4) return false;
  const magic = head.readUInt32BE(0);
  return (
    (head[0] === 0x4d && head[1] === 0x5a) ||
    magic === 0x7f454c46 ||
    magic === 0xfeedface ||
    magic === 0xfeedfacf ||
    magic === 0xcefaedfe ||
    magic === 0xcffaedfe ||
    magic === 0xcafebabe ||
    magic === 0x0061736d
  );
}

const finding = (detector: string, category: Finding['category'] = 'malware'): Finding => ({
  detector,
  category,
  spans: [],
});

/**
 * What a file is, from its content (and, for scripts, its name too: a `.ps1` is a script
 * whatever it holds): executables, scripts, macro-enabled documents, the EICAR test file, and
 * archives opened to a bounded depth and size, their entries checked the same way.
 */
export function inspectFile(data: Buffer, name: string, depth = 0): Finding[] {
  const findings: Finding[] = [];
  const add = (f: Finding) => {
    if (!findings.some((x) => x.detector === f.detector)) findings.push(f);
  };
  if (data.indexOf(EICAR, 0, 'latin1') !== -1) add(finding('eicar'));
  if (isExecutable(data) || EXECUTABLE_EXTENSIONS.test(name)) add(finding('executable'));
  if ((data[0] === 0x23 && data[1] === 0x21) || SCRIPT_EXTENSIONS.test(name)) add(finding('script_file'));
  // OLE compound documents (old Office formats) with a VBA project.
  if (
    data.length >= 8 &&
    data.readUInt32BE(0) === 0xd0cf11e0 &&
    /_VBA_PROJECT|VBA\/|Macros/.test(data.toString('latin1'))
  ) {
    add(finding('macro_document'));
  }
  if (data.length >= 4 && data.readUInt32LE(0) === 0x04034b50) {
    for (const f of inspectZip(data, depth)) add(f);
  }
  return findings;
}

interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function centralDirectory(zip: Buffer): ZipEntry[] | undefined {
  // The end-of-central-directory record sits in the last 64 KB + 22 bytes.
  const from = Math.max(0, zip.length - 65_557);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < from || eocd + 22 > zip.length) return undefined;
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50) return undefined;
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({
      flags: zip.readUInt16LE(at + 8),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      localOffset: zip.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function inspectZip(zip: Buffer, depth: number): Finding[] {
  const unsafe = [finding('archive_unsafe')];
  if (depth >= ARCHIVE_LIMITS.maxDepth) return unsafe;
  const entries = centralDirectory(zip);
  if (!entries || entries.length > ARCHIVE_LIMITS.maxEntries) return unsafe;
  const findings: Finding[] = [];
  let total = 0;
  for (const e of entries) {
    // Encrypted entries cannot be inspected; ZIP64 sizes are beyond what is accepted anyway.
    if (e.flags & 1 || e.size === 0xffffffff || e.compressedSize === 0xffffffff) return unsafe;
    total += e.size;
    if (
      total > ARCHIVE_LIMITS.maxTotalBytes ||
      (e.compressedSize > 0 && e.size / e.compressedSize > ARCHIVE_LIMITS.maxRatio)
    ) {
      return unsafe;
    }
    if (/(?:^|\/)vbaProject\.bin$/i.test(e.name)) findings.push(finding('macro_document'));
    if (e.name.endsWith('/')) continue;
    const content = entryContent(zip, e);
    if (content === undefined) return unsafe;
    findings.push(...inspectFile(content, e.name, depth + 1));
  }
  return findings;
}

function entryContent(zip: Buffer, e: ZipEntry): Buffer | undefined {
  const at = e.localOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== 0x04034b50) return undefined;
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const raw = zip.subarray(start, start + e.compressedSize);
  if (e.method === 0) return raw.subarray(0, ARCHIVE_LIMITS.inspectBytes);
  if (e.method !== 8) return undefined;
  try {
    return inflateRawSync(raw, { maxOutputLength: ARCHIVE_LIMITS.inspectBytes });
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') return undefined;
  }
  // Longer than what is inspected: the head is enough to know what it is. Deflate expands at
  // most 1,032 times, so 16 KB of input stays under 17 MB of output.
  try {
    return inflateRawSync(raw.subarray(0, 16 * 1024), {
      finishFlush: constants.Z_SYNC_FLUSH,
      maxOutputLength: 17 * 1024 * 1024,
    }).subarray(0, ARCHIVE_LIMITS.inspectBytes);
  } catch {
    return undefined;
  }
}
