/**
 * @module test/fuzz/random-requests: free-form fuzzing: valid requests with random members replaced, dropped or
 * added, random bodies for random operations, odd content types. Such a request may well be valid, so any 200 is
 * acceptable (as long as it is a JSON object) and any well-formed client error is too; what must never happen is a
 * 5xx, a malformed answer, a hang or a crash. The requests aim only at the scratch queues: none can name a snapshot
 * queue (`fz-snap-`), so the snapshot queues' state must not change at all.
 */
import fc from 'fast-check';
import { type Fixture, SCRATCH_PREFIX, SNAPSHOT_PREFIX } from './fixture.ts';
import { type FuzzCase, JSON_CONTENT_TYPE, withDescription } from './fuzz-case.ts';
import { type ActionSpec, OPERATION_NAMES, validRequests } from './valid-requests.ts';

type Json = Record<string, unknown>;

/** The queue the random DeleteQueue requests aim at; the test re-creates it before each run. */
export const VICTIM_QUEUE_NAME = `${SCRATCH_PREFIX}victim`;

const ODD_CHAR = fc.constantFrom('\u0000', '\u001F', '\uD800', '\uDFFF', '\uFFFE', '\uFFFF', '\u2028', '😀', 'é', '"', '\\', '/', '\n', ' ');

/** Strings of every kind: unicode (including lone surrogates and control characters), long, empty, numeric. */
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: fc.oneof(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), ODD_CHAR), maxLength: 30 }),
  fc.integer({ min: 200, max: 3000 }).map((n) => 'y'.repeat(n)),
  fc.constantFrom('', 'All', 'true', 'false', '0', '-1', '1e309', 'null', '{}', '[]', 'AQEB', 'arn:aws:sqs:us-east-1:000000000000:'),
);

/** Any JSON value, with a bias to the edges (big and fractional numbers, odd strings, nesting). */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  anyString,
  fc.constantFrom(0, -1, 1, 10, 11, 20, 21, 900, 901, 43_200, 43_201, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e300, 0.5, -0.5),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constant(null),
  fc.array(anyString, { maxLength: 12 }),
  fc.dictionary(anyString, anyString, { maxKeys: 12 }),
);

/** Member names any operation has (so random bodies hit real members, not only unknown ones). */
function memberNames(specs: readonly ActionSpec[]): string[] {
  const names = new Set<string>();
  for (const spec of specs) {
    for (const name of Object.keys(spec.members)) names.add(name);
    for (const name of Object.keys(spec.entry?.members ?? {})) names.add(name);
  }
  return [...names];
}

/** A random edit of a request body, applied in place. */
type Edit = (req: Json) => void;

function edits(spec: ActionSpec, names: readonly string[]): fc.Arbitrary<Edit> {
  const member = fc.oneof(fc.constantFrom(...names), fc.constantFrom(...Object.keys(spec.members).concat(['x'])), anyString);
  const replace = fc.tuple(member, anyJson).map(([m, v]): Edit => (req) => void (req[m] = v));
  const drop = member.map((m): Edit => (req) => void delete req[m]);
  const inEntry = fc.tuple(fc.nat(), member, anyJson).map(([i, m, v]): Edit => (req) => {
    const entries = req.Entries;
    if (!Array.isArray(entries) || entries.length === 0) return;
    const entry: unknown = entries[i % entries.length];
    if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) (entry as Json)[m] = v;
    else entries[i % entries.length] = v;
  });
  const inMap = fc.tuple(fc.constantFrom('Attributes', 'tags', 'Tags', 'MessageAttributes', 'MessageSystemAttributes'), anyString, anyJson).map(
    ([m, key, v]): Edit => (req) => {
      const map = req[m];
      if (typeof map === 'object' && map !== null && !Array.isArray(map)) (map as Json)[key] = v;
    },
  );
  const manyEntries = fc.integer({ min: 0, max: 14 }).map((n): Edit => (req) => {
    const entries = req.Entries;
    if (!Array.isArray(entries) || entries.length === 0) return;
    req.Entries = Array.from({ length: n }, (_, i) => ({ ...(entries[i % entries.length] as Json), Id: `r${i}` }));
  });
  return fc.oneof({ weight: 4, arbitrary: replace }, { weight: 2, arbitrary: drop }, { weight: 2, arbitrary: inEntry }, { weight: 2, arbitrary: inMap }, { weight: 1, arbitrary: manyEntries });
}

/** Long polls would make the run slow: a ReceiveMessage gets `WaitTimeSeconds: 0` unless it carries an invalid value. */
function withoutLongPoll(target: string | undefined, body: unknown): unknown {
  if (target !== 'AmazonSQS.ReceiveMessage' || typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const wait = (body as Json).WaitTimeSeconds;
  const isLongPoll = wait === undefined || wait === null || (typeof wait === 'number' && Number.isInteger(wait) && wait >= 1 && wait <= 20);
  return isLongPoll ? { ...(body as Json), WaitTimeSeconds: 0 } : body;
}

function freeCase(action: string, label: string, target: string | undefined, contentType: string | undefined, value: unknown): FuzzCase {
  return withDescription({
    action,
    label,
    target,
    contentType,
    body: { kind: 'json', value: withoutLongPoll(target, value) },
    isChunked: false,
    expect: { isAcceptAllowed: true },
  });
}

/** Whether a case could name a snapshot queue (then it is not generated: those queues must stay untouched). */
function touchesSnapshot(c: FuzzCase): boolean {
  return JSON.stringify(c.body).includes(SNAPSHOT_PREFIX) || (c.target ?? '').includes(SNAPSHOT_PREFIX);
}

/**
 * The valid requests the free-form fuzzing starts from: aimed at the scratch queues, DeleteQueue at a queue of its
 * own (so that deleting does not leave the other operations without a queue).
 */
export function scratchRequests(fixture: Fixture): ActionSpec[] {
  const victimUrl = `${fixture.baseUrl}/${fixture.accountId}/${VICTIM_QUEUE_NAME}`;
  return validRequests(fixture.scratch, `${SCRATCH_PREFIX}new`, ['fz-scratch-d1', 'fz-scratch-d2', 'fz-scratch-d3'], fixture).map(
    (spec) => (spec.action === 'DeleteQueue' ? { ...spec, base: { ...spec.base, QueueUrl: victimUrl } } : spec),
  );
}

/**
 * Random requests aimed at the scratch queues of `fixture`: any answer but a 5xx or a malformed one is acceptable.
 */
export function randomRequestArbitrary(fixture: Fixture): fc.Arbitrary<FuzzCase> {
  const specs = scratchRequests(fixture);
  const names = memberNames(specs);
  const perSpec = specs.map((spec) => {
    const action = `${spec.action}@${spec.variant}`;
    const target = `AmazonSQS.${spec.action}`;
    return fc.oneof(
      { weight: 1, arbitrary: fc.constant(freeCase(action, 'valid as is', target, JSON_CONTENT_TYPE, spec.base)) },
      {
        weight: 8,
        arbitrary: fc.array(edits(spec, names), { minLength: 1, maxLength: 4 }).map((list) => {
          const req = structuredClone(spec.base) as Json;
          for (const edit of list) edit(req);
          return freeCase(action, `${list.length} random edit(s)`, target, JSON_CONTENT_TYPE, req);
        }),
      },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom('text/plain', 'application/json', 'application/x-www-form-urlencoded', 'application/x-amz-json-1.1', 'APPLICATION/X-AMZ-JSON-1.0')
          .map((contentType) => freeCase(action, `Content-Type ${contentType}`, target, contentType, spec.base)),
      },
    );
  });
  const randomBody = fc
    .tuple(fc.constantFrom(...OPERATION_NAMES), fc.dictionary(fc.constantFrom(...names), anyJson, { maxKeys: 6 }))
    .map(([op, body]) => freeCase(op, 'random body', `AmazonSQS.${op}`, JSON_CONTENT_TYPE, body));
  return fc.oneof({ weight: 10, arbitrary: fc.oneof(...perSpec) }, { weight: 2, arbitrary: randomBody }).filter((c) => !touchesSnapshot(c));
}
