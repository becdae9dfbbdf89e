// Reading a logo's type and size from its own header, for each format we take, and refusing
// what only claims to be one.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors.js';
import { inspectLogo } from './logo-image.js';

const bytes = (...parts: (number[] | string)[]) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));
const u16be = (n: number) => [n >> 8, n & 0xff];
const u16le = (n: number) => [n & 0xff, n >> 8];
const u24le = (n: number) => [n & 0xff, (n >> 8) & 0xff, n >> 16];
const u32le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];

// SOI, an APP0 segment to skip, then a baseline frame header: precision, height, width.
const jpeg = (width: number, height: number) =>
  bytes([0xff, 0xd8], [0xff, 0xe0, ...u16be(16)], 'JFIF\0', new Array(9).fill(0), [0xff, 0xc0, ...u16be(17), 8, ...u16be(height), ...u16be(width), 3], new Array(12).fill(0));
const webp = (chunk: string, body: number[]) => bytes('RIFF', u32le(4 + 8 + body.length), 'WEBP', chunk, u32le(body.length), body, new Array(8).fill(0));
const vp8 = (width: number, height: number) => webp('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, ...u16le(width), ...u16le(height)]);
const vp8l = (width: number, height: number) => webp('VP8L', [0x2f, ...u32le((width - 1) | ((height - 1) << 14))]);
const vp8x = (width: number, height: number) => webp('VP8X', [0, 0, 0, 0, ...u24le(width - 1), ...u24le(height - 1)]);

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
  return null;
};

describe('inspectLogo', () => {
  it('reads the size of a JPEG from its frame header, past the segments before it', () => {
    expect(inspectLogo('image/jpeg', jpeg(300, 120))).toMatchObject({ contentType: 'image/jpeg', width: 300, height: 120 });
  });

  it.each([
    ['lossy', vp8(200, 80)],
    ['lossless', vp8l(200, 80)],
    ['extended', vp8x(200, 80)],
  ])('reads the size of a %s WebP', (_, image) => {
    expect(inspectLogo('image/webp; charset=binary', image)).toMatchObject({ contentType: 'image/webp', width: 200, height: 80 });
  });

  it('refuses a type it does not take, and bytes of another format than declared', () => {
    expect(refusal(() => inspectLogo('image/svg+xml', Buffer.from('<svg/>')))).toBe('logo_unsupported_type');
    expect(refusal(() => inspectLogo(undefined, jpeg(64, 64)))).toBe('logo_unsupported_type');
    expect(refusal(() => inspectLogo('image/webp', jpeg(64, 64)))).toBe('logo_not_an_image');
    expect(refusal(() => inspectLogo('image/jpeg', vp8(64, 64)))).toBe('logo_not_an_image');
    expect(refusal(() => inspectLogo('image/jpeg', jpeg(64, 64).subarray(0, 10)))).toBe('logo_not_an_image');
    expect(refusal(() => inspectLogo('image/png', Buffer.alloc(0)))).toBe('logo_not_an_image');
  });

  it('refuses a logo too small or too large in pixels', () => {
    expect(refusal(() => inspectLogo('image/jpeg', jpeg(15, 100)))).toBe('logo_dimensions');
    expect(refusal(() => inspectLogo('image/webp', vp8x(5000, 100)))).toBe('logo_dimensions');
    expect(refusal(() => inspectLogo('image/webp', vp8x(2048, 16)))).toBeNull();
  });
});
