// How a candidate is addressed in languages with two registers (tú/usted, du/Sie, tu/vous,
// tu/Lei, je/u):
// one choice per organization and language, read by the shipped templates and by the page
// alike, so an email and the page it links to never switch register.
import { z } from 'zod';
import type { SupportedLocale } from './context.js';

export const formalities = ['formal', 'informal'] as const;
export type Formality = (typeof formalities)[number];

/**
 * The languages whose templates and page we ship in both registers, and the register used
 * until an organization chooses. Formal everywhere: a decision about someone's application
 * comes from people they may never have met, and the formal register is never wrong there,
 * while tú/du/tu from a stranger reads as presumptuous to many (usted is the norm in much of
 * Latin America; Sie, vous, Lei and u in German, French, Italian and Dutch business mail). Organizations whose
 * culture is informal (common in Spanish and German start-ups) switch per language.
 */
export const defaultFormality = { de: 'formal', es: 'formal', fr: 'formal', it: 'formal', nl: 'formal' } as const satisfies Partial<Record<SupportedLocale, Formality>>;
export type TwoRegisterLocale = keyof typeof defaultFormality;

const choice = z.enum(formalities);
export const formalitySettingsSchema = z
  .object({ de: choice.optional(), es: choice.optional(), fr: choice.optional(), it: choice.optional(), nl: choice.optional() } satisfies Record<TwoRegisterLocale, unknown>)
  .strict()
  .describe('How candidates are addressed, per language with two registers (de: du/Sie, es: tú/usted, fr: tu/vous, it: tu/Lei, nl: je/u). Formal unless chosen.');
export type FormalitySettings = z.infer<typeof formalitySettingsSchema>;
/** The register in use for every two-register language, as the API shows it. */
export const effectiveFormalitySchema = z.object({ de: choice, es: choice, fr: choice, it: choice, nl: choice } satisfies Record<TwoRegisterLocale, unknown>);

/** Every two-register language with the register in use: the stored choice, else the default. */
export function effectiveFormality(stored: unknown): Record<TwoRegisterLocale, Formality> {
  // Stored JSON is parsed, not cast; a value we no longer understand falls back to the default.
  const parsed = formalitySettingsSchema.safeParse(stored);
  return { ...defaultFormality, ...(parsed.success ? parsed.data : {}) };
}

/** The register for one language; languages with a single register (English) read `formal`. */
export function formalityFor(stored: unknown, locale: SupportedLocale): Formality {
  const all = effectiveFormality(stored);
  return (all as Partial<Record<SupportedLocale, Formality>>)[locale] ?? 'formal';
}

/**
 * The register a message's page and follow-up emails use: the one the message was rendered in
 * (stored on it) when they speak its language, else the organization's current choice.
 */
export function messageFormality(stored: string | null, messageLocale: string | null, organizationStored: unknown, locale: SupportedLocale): Formality {
  const written = choice.safeParse(stored);
  const sameLanguage = messageLocale !== null && messageLocale.toLowerCase().split('-')[0] === locale;
  return written.success && sameLanguage ? written.data : formalityFor(organizationStored, locale);
}

const hasTwoRegisters = (locale: SupportedLocale): locale is TwoRegisterLocale => Object.hasOwn(defaultFormality, locale);

/**
 * A table's words for a language in a register: the informal words where the language ships
 * them, else the formal (the only) ones.
 */
export function inRegister<T>(formal: Record<SupportedLocale, T>, informal: Record<TwoRegisterLocale, T>, locale: SupportedLocale, formality: Formality): T {
  return formality === 'informal' && hasTwoRegisters(locale) ? informal[locale] : formal[locale];
}
