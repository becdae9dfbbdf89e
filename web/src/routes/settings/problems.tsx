// A failed save's problem+json on a settings form: each `errors[].path` (`body.<field>`) shown at
// the field it names through React Aria's Form validationErrors, anything else in words above
// the buttons.
import { ApiProblem } from '../../api/client';

/** The API's messages for these fields (by form field name), for <Form validationErrors>. */
export function fieldErrors(error: unknown, fields: readonly string[], prefix = 'body'): Record<string, string> {
  if (!(error instanceof ApiProblem)) return {};
  const found: Record<string, string> = {};
  for (const field of fields) {
    const message = error.fieldError(`${prefix}.${field}`);
    if (message) found[field] = message;
  }
  return found;
}

/** The problem in words when none of its errors could be shown at a field of this form. */
export function FormProblem({ error, fields, prefix = 'body' }: { error: unknown; fields: readonly string[]; prefix?: string }) {
  if (!error) return null;
  if (Object.keys(fieldErrors(error, fields, prefix)).length > 0) return null;
  const detail = error instanceof ApiProblem ? error.detail : error instanceof Error ? error.message : String(error);
  return (
    <p role="alert" className="error-text">
      {detail}
    </p>
  );
}
