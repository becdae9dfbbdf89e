// WCAG 2.x contrast between two sRGB colours, for brand colours a candidate must be able to
// read: text and links at least 4.5:1 against their background (success criterion 1.4.3, AA).

export const AA_NORMAL_TEXT = 4.5;

/** `#rrggbb` → relative luminance (WCAG 2.x definition). */
export function relativeLuminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new RangeError(`not a #rrggbb colour: ${hex}`);
  const linear = (part: string) => {
    const channel = parseInt(part, 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(match[1]!) + 0.7152 * linear(match[2]!) + 0.0722 * linear(match[3]!);
}

/** The contrast ratio, 1 to 21, whichever colour is lighter. */
export function contrastRatio(a: string, b: string): number {
  const [x, y] = [relativeLuminance(a), relativeLuminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}
