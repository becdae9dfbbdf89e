// Small schemas many routes share.
import { z } from 'zod';

export const idParamsSchema = z.object({ id: z.uuid() });

export const localeSchema = z
  .string()
  .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'a BCP 47 language tag, e.g. en, fr-CA')
  .max(35);

/** Where a record or decision comes from: `greenhouse`, `lever`, `ashby`, `api`, or your own. */
export const sourceSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,49}$/, 'lower-case letters, digits, _ and -, e.g. greenhouse');
