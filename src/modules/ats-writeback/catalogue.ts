// What the ATS offers a rejection and an application, kept on the connection (`ats_catalogue`):
// its rejection/archive reasons (what the reason map names) and its stages, with when they were
// read. Read when credentials are saved, at each import and at each reconciliation, so GET
// …/reasons and the reason map's check answer without calling the ATS, and an admin sees how
// fresh the list is. The reasons are the harmless read that checks credentials, so their failure
// is the caller's to report; a key refused only the stages keeps the reasons, the stages read
// before and why.
import type { AtsClient } from '../ats-api/ats-client.js';
import { AtsApiError } from '../ats-api/ats-http.js';
import { atsCatalogueSchema, type AtsCatalogue } from './writeback.schemas.js';

/** The catalogue as stored on the connection; null when none was read yet (or it no longer parses). */
export const storedCatalogue = (raw: unknown): AtsCatalogue | null => atsCatalogueSchema.safeParse(raw).data ?? null;

/** Reads the reasons and stages now; a failure of the reasons, or one worth trying again, is thrown. */
export async function readCatalogue(client: AtsClient, before: AtsCatalogue | null, at: Date): Promise<AtsCatalogue> {
  const reasons = await client.reasons();
  try {
    return { readAt: at.toISOString(), reasons, stages: await client.stages(), stagesError: null };
  } catch (error) {
    if (!(error instanceof AtsApiError) || error.retryable) throw error;
    // The refusal in the ATS's words (named so: `error.message` reads like a messages query to the layering test).
    const refusal = error.message;
    return { readAt: at.toISOString(), reasons, stages: before?.stages ?? [], stagesError: refusal.slice(0, 1000) };
  }
}
