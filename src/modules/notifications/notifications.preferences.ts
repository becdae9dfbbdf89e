// How a person wants to hear about notifications by email: one choice, and optionally one per type.
import { z } from 'zod';
import { notificationTypes } from './notifications.catalogue.js';

export const emailModes = ['immediately', 'daily_digest', 'off'] as const;
export type EmailMode = (typeof emailModes)[number];
export const emailModeSchema = z.enum(emailModes);

/** A person who never chose hears about each notification at once. */
export const DEFAULT_EMAIL_MODE: EmailMode = 'immediately';

export const typeModesSchema = z.partialRecord(z.enum(notificationTypes), emailModeSchema);
export type TypeModes = z.infer<typeof typeModesSchema>;

/** The stored per-type choices, parsed (an unknown type or mode is dropped, not trusted). */
export function storedTypeModes(value: unknown): TypeModes {
  const parsed = z.record(z.string(), z.unknown()).safeParse(value);
  if (!parsed.success) return {};
  const modes: TypeModes = {};
  for (const type of notificationTypes) {
    const mode = emailModeSchema.safeParse(parsed.data[type]);
    if (mode.success) modes[type] = mode.data;
  }
  return modes;
}

/** How this person gets an email about this type of notification. */
export function emailModeFor(preference: { email: string; types: unknown } | null, type: string): EmailMode {
  if (!preference) return DEFAULT_EMAIL_MODE;
  const known = z.enum(notificationTypes).safeParse(type);
  const own = known.success ? storedTypeModes(preference.types)[known.data] : undefined;
  if (own) return own;
  const parsed = emailModeSchema.safeParse(preference.email);
  return parsed.success ? parsed.data : DEFAULT_EMAIL_MODE;
}
