// Postmark's error envelope and the codes this fake can answer with.
// Codes and wordings follow Postmark's API overview and what its clients parse
// (postmark.js InactiveRecipientsError reads the "Found inactive addresses: ... Inactive" text).

export interface PostmarkError {
  ErrorCode: number;
  Message: string;
}

export const ErrorCode = {
  badToken: 10,
  invalidEmailRequest: 300,
  invalidJson: 402,
  incompatibleJson: 403,
  inactiveRecipient: 406,
  jsonRequired: 409,
  tooManyBatchMessages: 410,
  rateLimitExceeded: 429,
  messageNotFound: 701,
} as const;

export const pmError = (code: number, message: string): PostmarkError => ({ ErrorCode: code, Message: message });

export const missingToken = (): PostmarkError =>
  pmError(
    ErrorCode.badToken,
    'No Account or Server API tokens were supplied in the HTTP headers. ' + 'Please add a header for either X-Postmark-Server-Token or X-Postmark-Account-Token.',
  );

export const invalidToken = (): PostmarkError => pmError(ErrorCode.badToken, 'Request does not contain a valid Server token.');

export const invalidRequest = (message: string): PostmarkError => pmError(ErrorCode.invalidEmailRequest, message);

export const inactiveRecipients = (addresses: readonly string[]): PostmarkError =>
  pmError(
    ErrorCode.inactiveRecipient,
    'You tried to send to recipient(s) that have been marked as inactive. ' +
      `Found inactive addresses: ${addresses.join(', ')}. ` +
      'Inactive recipients are ones that have generated a hard bounce, a spam complaint, or a manual suppression.',
  );

export const invalidJson = (): PostmarkError => pmError(ErrorCode.invalidJson, 'Received invalid JSON input.');

export const incompatibleJson = (detail: string): PostmarkError => pmError(ErrorCode.incompatibleJson, `Incompatible JSON: ${detail}`);

export const jsonRequired = (): PostmarkError => pmError(ErrorCode.jsonRequired, 'Content-Type and Accept headers must be set to application/json, text/json, or text/x-json.');

export const tooManyBatchMessages = (max: number): PostmarkError =>
  pmError(ErrorCode.tooManyBatchMessages, `Too many batch messages: a batch may contain at most ${max} messages.`);

export const messageNotFound = (): PostmarkError => pmError(ErrorCode.messageNotFound, 'This message was not found.');
