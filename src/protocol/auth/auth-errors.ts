/**
 * @module protocol/auth/auth-errors: the errors of a request whose SigV4 signature is checked (`--auth`), with AWS's
 * codes and texts. All are client faults; both protocols render them (XML `<Code>` / `x-amzn-query-error` carry the
 * legacy code, JSON `__type` the name AWS JSON services use).
 */
import { CORAL_NAMESPACE, SqsError } from '../sqs-error.ts';

const auth = (code: string, queryCode: string, httpStatus: number) => ({
  code,
  queryCode,
  httpStatus,
  namespace: CORAL_NAMESPACE,
});

/** Named factories for authentication failures. Each returns a fresh `SqsError`; callers `throw` it. */
export const AuthErrors = {
  /** Neither an `Authorization` header nor `X-Amz-Signature` query parameters. */
  missingAuthenticationToken: () =>
    new SqsError(
      auth('MissingAuthenticationTokenException', 'MissingAuthenticationToken', 403),
      'Request is missing Authentication Token',
    ),
  /** The access key id is not in the auth file. */
  invalidClientTokenId: () =>
    new SqsError(
      auth('UnrecognizedClientException', 'InvalidClientTokenId', 403),
      'The security token included in the request is invalid.',
    ),
  /** The signature is wrong, or the credential scope is (with `detail` saying how). */
  signatureDoesNotMatch: (detail?: string) =>
    new SqsError(
      auth('InvalidSignatureException', 'SignatureDoesNotMatch', 403),
      detail ??
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret ' +
          'Access Key and signing method. Consult the service documentation for details.',
    ),
  /**
   * The request time is more than 15 minutes from ours. Real SQS answers SignatureDoesNotMatch with this text
   * (recorded from AWS: "Signature expired: 20150619T100249Z is now earlier than 20150619T100713Z (20150619T102213Z -
   * 15 min.)"), not RequestExpired.
   */
  signatureExpired: (requestTime: string, limitTime: string, nowTime: string) =>
    AuthErrors.signatureDoesNotMatch(`Signature expired: ${requestTime} is now earlier than ${limitTime} (${nowTime} - 15 min.)`),
  /** The request time is more than 15 minutes ahead of ours. */
  signatureNotYetCurrent: (requestTime: string, limitTime: string, nowTime: string) =>
    AuthErrors.signatureDoesNotMatch(
      `Signature not yet current: ${requestTime} is still later than ${limitTime} (${nowTime} + 15 min.)`,
    ),
  /** A SigV4 element is missing or malformed (AWS's common error `IncompleteSignature`). */
  incompleteSignature: (message: string) =>
    new SqsError(auth('IncompleteSignatureException', 'IncompleteSignature', 400), message),
  /** Signed, but not with SigV4 (SigV2 `Signature=`/`AWS key:sig`, or another algorithm). */
  invalidSecurity: (what: string) =>
    new SqsError(
      { code: 'InvalidSecurity', queryCode: 'InvalidSecurity', httpStatus: 403 },
      `The request must be signed with Signature Version 4 (AWS4-HMAC-SHA256); got ${what}.`,
    ),
} as const;
