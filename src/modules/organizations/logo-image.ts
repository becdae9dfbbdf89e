// What an uploaded logo is, read from its own bytes: the format's signature and the pixel size
// in its header. Nothing is decoded or re-encoded, so a file that is not what it claims is
// refused before anyone's mail client or browser sees it. SVG is refused outright: it is a
// document that can carry script and links, not a picture, and no sanitizer is worth the risk
// for a logo that a PNG does as well.
import { AppError } from '../../lib/errors.js';

export const LOGO_MAX_BYTES = 512 * 1024;
export const LOGO_MIN_PIXELS = 16;
export const LOGO_MAX_PIXELS = 2048;
export const logoContentTypes = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type LogoContentType = (typeof logoContentTypes)[number];

export interface LogoImage {
  contentType: LogoContentType;
  width: number;
  height: number;
}

const startsWith = (bytes: Buffer, signature: number[], at = 0) => signature.every((byte, i) => bytes[at + i] === byte);

function pngSize(bytes: Buffer): [number, number] | null {
  // Signature, then the IHDR chunk: length (4), "IHDR", width (4), height (4).
  if (bytes.length < 24 || !startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) || bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

function jpegSize(bytes: Buffer): [number, number] | null {
  if (bytes.length < 4 || !startsWith(bytes, [0xff, 0xd8, 0xff])) return null;
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    // Fill bytes and markers without a length.
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const length = bytes.readUInt16BE(at + 2);
    // Start of frame (baseline, progressive, ...; not DHT 0xc4, JPG 0xc8, DAC 0xcc).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return [bytes.readUInt16BE(at + 7), bytes.readUInt16BE(at + 5)];
    if (length < 2) return null;
    at += 2 + length;
  }
  return null;
}

function webpSize(bytes: Buffer): [number, number] | null {
  if (bytes.length < 30 || bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WEBP') return null;
  const chunk = bytes.toString('latin1', 12, 16);
  if (chunk === 'VP8 ' && startsWith(bytes, [0x9d, 0x01, 0x2a], 23)) return [bytes.readUInt16LE(26) & 0x3fff, bytes.readUInt16LE(28) & 0x3fff];
  if (chunk === 'VP8L' && bytes[20] === 0x2f) {
    const bits = bytes.readUInt32LE(21);
    return [(bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1];
  }
  if (chunk === 'VP8X') return [bytes.readUIntLE(24, 3) + 1, bytes.readUIntLE(27, 3) + 1];
  return null;
}

const readers: Record<LogoContentType, (bytes: Buffer) => [number, number] | null> = { 'image/png': pngSize, 'image/jpeg': jpegSize, 'image/webp': webpSize };

/** The declared media type, without parameters, if it is one we take. */
export function logoContentType(header: string | undefined): LogoContentType | null {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  return logoContentTypes.find((known) => known === type) ?? null;
}

/** The logo's type, size and bytes, or the problem that refuses it. */
export function inspectLogo(contentTypeHeader: string | undefined, bytes: unknown): LogoImage & { bytes: Buffer } {
  const contentType = logoContentType(contentTypeHeader);
  if (!contentType) {
    throw new AppError('logo_unsupported_type', `A logo is uploaded as image/png, image/jpeg or image/webp (SVG is not accepted), not ${contentTypeHeader ?? 'nothing'}`);
  }
  if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new AppError('logo_not_an_image', 'The request body is empty');
  if (bytes.length > LOGO_MAX_BYTES) throw new AppError('logo_too_large', `A logo is at most ${LOGO_MAX_BYTES} bytes; this one is ${bytes.length}`);
  const size = readers[contentType](bytes);
  if (!size) throw new AppError('logo_not_an_image', `The body is not a ${contentType} image`);
  const [width, height] = size;
  if (width < LOGO_MIN_PIXELS || height < LOGO_MIN_PIXELS || width > LOGO_MAX_PIXELS || height > LOGO_MAX_PIXELS) {
    throw new AppError('logo_dimensions', `A logo is between ${LOGO_MIN_PIXELS} and ${LOGO_MAX_PIXELS} pixels on each side; this one is ${width}×${height}`);
  }
  return { contentType, width, height, bytes };
}

/** Where Hearback serves a logo: the content's hash is the name, so the URL changes with the logo. */
export const logoPath = (sha256: string) => `/logos/${sha256}`;
