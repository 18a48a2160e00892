/** @module protocol/query-errors: the wire errors only the query protocol raises (its request syntax). */
import { CORAL_NAMESPACE, SqsError, SqsErrors } from './sqs-error.ts';

const coral = (code: string, queryCode: string, httpStatus: number) => ({
  code,
  queryCode,
  httpStatus,
  namespace: CORAL_NAMESPACE,
});

/** Named factories for query-protocol request errors. Each returns a fresh `SqsError`; callers `throw` it. */
export const QueryErrors = {
  /** The form text has a bad `%` escape or is not UTF-8 (AWS's common error `InvalidQueryParameter`). */
  malformedQueryString: (detail: string) =>
    new SqsError(
      coral('InvalidQueryParameter', 'InvalidQueryParameter', 400),
      `The AWS query string is malformed or does not adhere to AWS standards: ${detail}`,
    ),
  /** A form request without `Action` (AWS's common error `MissingAction`). */
  missingAction: () =>
    new SqsError(coral('MissingAction', 'MissingAction', 400), 'The request must contain the parameter Action.'),
  /** An integer member whose text is not an int32. */
  notAnInteger: (parameter: string, text: string) =>
    SqsErrors.invalidParameterValue(`Value ${text} for parameter ${parameter} is invalid. Reason: Must be an integer.`),
} as const;
