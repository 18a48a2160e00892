/** @module protocol/sender-id: the SenderId system attribute for messages a request sends. */

/**
 * The SenderId used when a request carries no SigV4 credential. Real SQS reports the caller's IAM user id
 * (`AIDA…`); a local server has no IAM, so it uses one fixed id of that form.
 */
export const DEFAULT_SENDER_ID = 'AIDAIT2UOQQY3AUEKVGXU';

const CREDENTIAL = 'Credential=';
const MAX_ACCESS_KEY_LENGTH = 128;

function isAccessKeyChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * The SenderId for a request: the access key id from the SigV4 `Authorization` header's credential scope
 * (`AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/sqs/aws4_request, …`) when there is a well-formed one, else
 * `DEFAULT_SENDER_ID`. Signatures are not checked (spec §A.0 allows any), so this never throws.
 */
export function senderIdFromAuthorization(authorization: string | undefined): string {
  if (authorization === undefined) return DEFAULT_SENDER_ID;
  const start = authorization.indexOf(CREDENTIAL);
  if (start < 0) return DEFAULT_SENDER_ID;
  const keyStart = start + CREDENTIAL.length;
  const keyEnd = authorization.indexOf('/', keyStart);
  if (keyEnd <= keyStart || keyEnd - keyStart > MAX_ACCESS_KEY_LENGTH) return DEFAULT_SENDER_ID;
  for (let i = keyStart; i < keyEnd; i++) {
    if (!isAccessKeyChar(authorization.charCodeAt(i))) return DEFAULT_SENDER_ID;
  }
  return authorization.slice(keyStart, keyEnd);
}
