import { describe, expect, it } from 'vitest';
import { AA_NORMAL_TEXT, contrastRatio, relativeLuminance } from './contrast.js';

describe('contrastRatio', () => {
  it('matches the WCAG reference values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    // #767676 on white is the classic lightest grey that passes AA (4.54:1).
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(AA_NORMAL_TEXT);
    expect(relativeLuminance('#FFFFFF')).toBeCloseTo(1, 5);
  });

  it('is symmetric', () => {
    expect(contrastRatio('#1d4ed8', '#ffffff')).toBeCloseTo(contrastRatio('#ffffff', '#1d4ed8'), 10);
  });

  it('passes the default accent and refuses light brand colours', () => {
    expect(contrastRatio('#1d4ed8', '#ffffff')).toBeGreaterThanOrEqual(AA_NORMAL_TEXT);
    for (const light of ['#ffcc00', '#00a3e0', '#ff6f61']) expect(contrastRatio(light, '#ffffff'), light).toBeLessThan(AA_NORMAL_TEXT);
  });

  it('refuses what is not #rrggbb', () => {
    expect(() => relativeLuminance('red')).toThrow(RangeError);
    expect(() => relativeLuminance('#fff')).toThrow(RangeError);
  });
});
