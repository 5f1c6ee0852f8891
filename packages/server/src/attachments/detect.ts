/**
 * The type of a file from its first bytes, never from its name or the type the uploader
 * claims: a `.png` that is an executable is refused. Text is accepted when it is valid UTF-8
 * without control characters other than tab, newline and carriage return (logs, CSV, JSON).
 */
const SIGNATURES: [string, number[], number][] = [
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0],
  ['image/jpeg', [0xff, 0xd8, 0xff], 0],
  ['image/gif', [0x47, 0x49, 0x46, 0x38], 0],
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d], 0],
  ['application/zip', [0x50, 0x4b, 0x03, 0x04], 0],
];

function startsWith(data: Buffer, bytes: number[], at: number): boolean {
  return data.length >= at + bytes.length && bytes.every((b, i) => data[at + i] === b);
}

export function detectContentType(data: Buffer): string | undefined {
  for (const [type, bytes, at] of SIGNATURES) if (startsWith(data, bytes, at)) return type;
  // RIFF....WEBP
  if (startsWith(data, [0x52, 0x49, 0x46, 0x46], 0) && startsWith(data, [0x57, 0x45, 0x42, 0x50], 8))
    return 'image/webp';
  if (isPlainText(data)) return 'text/plain';
  return undefined;
}

function isPlainText(data: Buffer): boolean {
  if (data.length === 0) return false;
  for (const byte of data) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
    if (byte === 0x7f) return false;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}

/** A file name safe to store and show: no path, no control characters, at most 200 characters. */
export function cleanFileName(raw: string | undefined): string {
  let name = raw ?? '';
  try {
    name = decodeURIComponent(name);
  } catch {
    // Not percent-encoded: take it as it is.
  }
  name = name.split(/[\\/]/).pop() ?? '';
  name = [...name]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f && ch !== '"')
    .join('')
    .trim()
    .slice(0, 200);
  return name || 'file';
}
