/**
 * @module test/fuzz/invalid-requests: random requests that are invalid by construction, for every operation, with
 * the SQS error codes each may be answered with.
 *
 * Each case starts from a valid request (valid-requests.ts) aimed at the snapshot queues and applies one to three
 * mutations, each of which on its own makes the request invalid whatever the others do: a required member dropped or
 * null, a member of the wrong JSON type, a value SQS refuses (out of range, oversized, invalid characters, unknown
 * names, a queue or handle that does not exist), a malformed batch; or the request as a whole is broken (truncated or
 * non-object JSON, invalid UTF-8, an unknown or missing X-Amz-Target, a wrong Content-Type, a body over the cap).
 * No mutation ever writes a value that names an existing queue or a handle of the addressed queue, so no
 * combination can turn back into a valid request. The expected codes are the union over the mutations applied
 * (the order in which the server checks them is its own business).
 */
import fc from 'fast-check';
import { MAX_REQUEST_BODY_BYTES } from '../../src/protocol/index.ts';
import { DEDUP_POOL, type Fixture, SMALL_MAX_MESSAGE_BYTES } from './fixture.ts';
import { CODES, type Expectation, type FuzzCase, JSON_CONTENT_TYPE, withDescription } from './fuzz-case.ts';
import { type ActionSpec, type EntrySchema, MEMBER_KINDS, type MemberKind, OPERATION_NAMES, validRequests } from './valid-requests.ts';

type Json = Record<string, unknown>;

/** One change that makes a request invalid. `apply` edits a deep copy in place. */
interface Mutation {
  label: string;
  apply(req: Json): void;
  /** A JSON type error: it has no query-protocol counterpart (there every value is text). */
  isJsonOnly?: boolean;
  /** The member paths it changes (`Entries.*.Id` for a member of entries); combined mutations never overlap. */
  touches: readonly string[];
  /** Codes a whole-request error may carry. */
  codes: readonly string[];
  /** Set when the mutation hits every batch entry: a 200 failing all entries with these codes is also right. */
  entryCodes?: readonly string[];
}

const {
  serialization: SER,
  missingParameter: MP,
  invalidParameterValue: IPV,
  nonExistentQueue: NEQ,
  invalidAddress: ADDR,
  invalidMessageContents: IMC,
  receiptHandleIsInvalid: RHI,
  invalidAttributeName: IAN,
  invalidAttributeValue: IAV,
  queueAlreadyExists: QAE,
  emptyBatchRequest: EMPTY,
  tooManyEntriesInBatchRequest: TOO_MANY,
  batchEntryIdsNotDistinct: NOT_DISTINCT,
  invalidBatchEntryId: BAD_ID,
  batchRequestTooLong: TOO_LONG,
  resourceNotFound: RNF,
  overLimit: OVER_LIMIT,
  invalidAction: ACTION,
  requestEntityTooLarge: TOO_LARGE,
} = CODES;

/** The body cap of the server: bodies above it get 413. */
export const BODY_CAP_BYTES = MAX_REQUEST_BODY_BYTES;

// ------------------------------------------------------------------------------------------ value generators

const ALNUM = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
const NAME_CHARS = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_');
const PRINTABLE = fc.constantFrom(...Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)));

const alnum = (min: number, max: number) => fc.string({ unit: ALNUM, minLength: min, maxLength: max });
const nameString = (min: number, max: number) => fc.string({ unit: NAME_CHARS, minLength: min, maxLength: max });
const printable = (min: number, max: number) => fc.string({ unit: PRINTABLE, minLength: min, maxLength: max });

/** Characters outside XML 1.0 Char (spec §D.1), including lone surrogates (JSON `\ud800`). */
const INVALID_CHAR = fc.constantFrom(
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000B',
  '\u000C',
  '\u001B',
  '\u001F',
  '\uFFFE',
  '\uFFFF',
  '\uD800',
  '\uDBFF',
  '\uDC00',
  '\uDFFF',
);
const withInvalidChar = fc
  .tuple(fc.string({ maxLength: 12 }), INVALID_CHAR, fc.string({ maxLength: 12 }))
  .map(([a, c, b]) => `${a}${c}${b}`);
/** Characters not allowed in queue names, batch ids, labels (`[A-Za-z0-9_-]` only). */
const NOT_A_NAME_CHAR = fc.constantFrom(' ', '.', '/', '!', ':', '*', '#', '?', '%', 'é', '名', '😀', '\u0000', '\t', '+', '=');
/** Characters outside `[\x21-\x7E]` (group ids, dedup ids, attempt ids). */
const NOT_PRINTABLE_ASCII = fc.constantFrom(' ', '\t', '\n', '\u007F', 'é', 'ß', '名', '😀', '\u0000', '\u00A0');

/** A valid-charset string with one bad character spliced in. */
function withBadChar(valid: fc.Arbitrary<string>, bad: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(valid, bad, fc.nat()).map(([s, c, at]) => {
    const i = s.length === 0 ? 0 : at % (s.length + 1);
    return `${s.slice(0, i)}${c}${s.slice(i)}`;
  });
}

const int32Below = (max: number) => fc.integer({ min: -2_147_483_648, max });
const int32Above = (min: number) => fc.integer({ min, max: 2_147_483_647 });
const outOfRange = (min: number, max: number) => fc.oneof(int32Below(min - 1), int32Above(max + 1), fc.constantFrom(min - 1, max + 1));

/** Any JSON value that is not of `kind`'s JSON type (and not null, which means "absent"). */
function wrongTypeValue(kind: MemberKind): fc.Arbitrary<unknown> {
  const str = fc.string({ maxLength: 10 });
  const integer = fc.integer();
  const nonInteger = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x));
  const bool = fc.boolean();
  const list = fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 });
  const object = fc.dictionary(alnum(1, 6), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
  switch (kind) {
    case MEMBER_KINDS.string:
      return fc.oneof(integer, nonInteger, bool, list, object);
    case MEMBER_KINDS.integer:
      // A numeric string, a fraction, or an integer outside int32 are all type errors for an int32 member.
      return fc.oneof(
        str,
        fc.integer({ min: 0, max: 900 }).map(String),
        nonInteger,
        bool,
        list,
        object,
        fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53 - 1, 1e20, -1e20),
      );
    case MEMBER_KINDS.stringList:
      return fc.oneof(str, integer, bool, object, fc.tuple(fc.oneof(integer, bool, object, fc.constant(null), list)).map((x) => ['ok', ...x]));
    case MEMBER_KINDS.stringMap:
      return fc.oneof(str, integer, bool, list, fc.record({ key: fc.oneof(integer, bool, list, object, fc.constant(null)) }));
    case MEMBER_KINDS.attributeMap:
      return fc.oneof(
        str,
        integer,
        bool,
        list,
        fc.record({ attr: fc.oneof(str, integer, bool, list, fc.constant(null)) }),
        fc.record({ attr: fc.record({ DataType: fc.oneof(integer, bool, list, object), StringValue: fc.constant('v') }) }),
        fc.record({ attr: fc.record({ DataType: fc.constant('String'), StringValue: fc.oneof(integer, bool, list, object) }) }),
        // BinaryValue must be base64: anything else is a serialization error.
        fc.record({ attr: fc.record({ DataType: fc.constant('Binary'), BinaryValue: fc.constantFrom('!!!!', 'abc', 'a', 'AQI=A', '====', 'AQ==AQ==x') }) }),
      );
    case MEMBER_KINDS.entries:
      return fc.oneof(str, integer, bool, object, fc.array(fc.oneof(str, integer, bool, fc.constant(null), list), { minLength: 1, maxLength: 3 }));
  }
}

// ------------------------------------------------------------------------------------------ helpers

function entriesOf(req: Json): Json[] {
  const entries = req.Entries;
  return Array.isArray(entries) ? entries.filter((e): e is Json => typeof e === 'object' && e !== null && !Array.isArray(e)) : [];
}

function objectMember(owner: Json, member: string): Json {
  const value = owner[member];
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
  const fresh: Json = {};
  owner[member] = fresh;
  return fresh;
}

function mutation(label: string, touches: readonly string[], codes: readonly string[], apply: (req: Json) => void): Mutation {
  return { label, touches, codes, apply };
}

/** Whether two member paths overlap (one is the other or contains it). */
function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

function setMember(member: string, codes: readonly string[], value: fc.Arbitrary<unknown>, label = `bad ${member}`): fc.Arbitrary<Mutation> {
  return value.map((v) => mutation(`${label}=${JSON.stringify(v)?.slice(0, 60)}`, [member], codes, (req) => void (req[member] = v)));
}

/** The same per-entry change on every entry of a batch: a 200 must then fail them all (spec §B per-entry errors). */
function onEveryEntry(m: Mutation, isEntryFailure: boolean): Mutation {
  const out: Mutation = {
    label: `every entry: ${m.label}`,
    touches: m.touches.map((t) => `Entries.*.${t}`),
    codes: m.codes,
    apply: (req) => {
      for (const entry of entriesOf(req)) m.apply(entry);
    },
  };
  if (isEntryFailure) out.entryCodes = m.codes;
  return out;
}

// ------------------------------------------------------------------------------------------ member mutations

function dropRequired(spec: ActionSpec): fc.Arbitrary<Mutation>[] {
  return spec.required.map((member) =>
    fc.boolean().map((isNull) =>
      mutation(`${isNull ? 'null' : 'drop'} ${member}`, [member], member === 'Entries' ? [EMPTY] : [MP], (req) => {
        if (isNull) req[member] = null;
        else delete req[member];
      }),
    ),
  );
}

function jsonOnly(m: Mutation): Mutation {
  return { ...m, isJsonOnly: true };
}

function wrongTypes(members: Readonly<Record<string, MemberKind>>): fc.Arbitrary<Mutation>[] {
  return Object.entries(members).map(([member, kind]) => setMember(member, [SER], wrongTypeValue(kind), `wrong type ${member}`).map(jsonOnly));
}

function badQueueUrl(fixture: Fixture, existingName: string): fc.Arbitrary<Mutation> {
  const base = `${fixture.baseUrl}/${fixture.accountId}`;
  return fc.oneof(
    setMember('QueueUrl', [MP, ADDR, NEQ], fc.constant('')),
    // No path at all: nothing to read a queue from.
    setMember('QueueUrl', [ADDR, NEQ], fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).filter((s) => !s.includes('/'))),
    setMember('QueueUrl', [NEQ], alnum(1, 20).map((n) => `${base}/fz-missing-${n}`)),
    setMember('QueueUrl', [NEQ, ADDR], fc.constant(`${fixture.baseUrl}/123456789012/${existingName}`)),
    setMember('QueueUrl', [NEQ, ADDR], fc.constant(`${base}/${existingName.toUpperCase()}`)),
    setMember('QueueUrl', [NEQ, ADDR], fc.constant(`${base}/${existingName}/extra`)),
    setMember('QueueUrl', [NEQ, ADDR], withBadChar(fc.constant(''), INVALID_CHAR).map((c) => `${base}/${existingName}${c}`)),
  );
}

const KNOWN_ATTRIBUTES = new Set([
  'All',
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
]);
const READ_ONLY_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
] as const;
const unknownAttributeName = fc.oneof(
  alnum(1, 24).filter((n) => !KNOWN_ATTRIBUTES.has(n)),
  fc.constantFrom('all', 'visibilitytimeout', 'VisibilityTimeOut', 'Visibility Timeout', 'QueueUrl', 'MessageGroupId'),
);

/** One queue attribute (name → value) that SetQueueAttributes / CreateQueue must refuse, with its codes. */
function badAttribute(isFifo: boolean, dlqArn: string): fc.Arbitrary<{ name: string; value: string; codes: readonly string[] }> {
  const numeric: Array<[string, number, number]> = [
    ['DelaySeconds', 0, 900],
    ['MaximumMessageSize', 1024, 1_048_576],
    ['MessageRetentionPeriod', 60, 1_209_600],
    ['ReceiveMessageWaitTimeSeconds', 0, 20],
    ['VisibilityTimeout', 0, 43_200],
    ['KmsDataKeyReusePeriodSeconds', 60, 86_400],
  ];
  const redrive = (policy: unknown) => JSON.stringify(policy);
  const options: Array<fc.Arbitrary<{ name: string; value: string; codes: readonly string[] }>> = [
    unknownAttributeName.map((name) => ({ name, value: '1', codes: [IAN] })),
    fc.constantFrom(...READ_ONLY_ATTRIBUTES).map((name) => ({ name, value: '1', codes: [IAN] })),
    fc.constantFrom(...numeric).chain(([name, min, max]) =>
      fc
        .oneof(outOfRange(min, max).map(String), fc.constantFrom('abc', '1.5', '1e3', '0x10', 'ten', `${max}0000000000000000000`))
        .map((value) => ({ name, value, codes: [IAV] })),
    ),
    fc.constantFrom('yes', 'no', '1', '0', 'TRUE!').map((value) => ({ name: 'SqsManagedSseEnabled', value, codes: [IAV] })),
    fc
      .constantFrom(
        'not json',
        '[]',
        '{}',
        redrive({ deadLetterTargetArn: dlqArn }),
        redrive({ maxReceiveCount: 3 }),
        redrive({ deadLetterTargetArn: dlqArn, maxReceiveCount: 0 }),
        redrive({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1001 }),
        redrive({ deadLetterTargetArn: dlqArn, maxReceiveCount: 'many' }),
      )
      .map((value) => ({ name: 'RedrivePolicy', value, codes: [IPV, IAV] })),
    fc
      .constantFrom('not json', '{"redrivePermission":"sometimes"}', '{"redrivePermission":"allowAll","sourceQueueArns":["arn:aws:sqs:us-east-1:000000000000:x"]}')
      .map((value) => ({ name: 'RedriveAllowPolicy', value, codes: [IPV, IAV] })),
  ];
  if (isFifo) {
    options.push(
      fc.constantFrom('group', 'Queue', '').map((value) => ({ name: 'DeduplicationScope', value, codes: [IAV] })),
      fc.constantFrom('fast', 'PerQueue', '').map((value) => ({ name: 'FifoThroughputLimit', value, codes: [IAV] })),
      fc.constantFrom('maybe', '').map((value) => ({ name: 'ContentBasedDeduplication', value, codes: [IAV] })),
    );
  } else {
    options.push(
      fc.constantFrom('ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit').map((name) => ({
        name,
        value: name === 'ContentBasedDeduplication' ? 'true' : name === 'DeduplicationScope' ? 'queue' : 'perQueue',
        codes: [IAN],
      })),
    );
  }
  return fc.oneof(...options);
}

/**
 * Adds one bad attribute. `extraCodes` widens the expectation where another mutation may change what the attribute
 * means (a CreateQueue whose FIFO name was mutated away is a standard queue, for which FIFO attributes are unknown).
 */
function addBadAttribute(member: string, isFifo: boolean, dlqArn: string, extraCodes: readonly string[] = []): fc.Arbitrary<Mutation> {
  return badAttribute(isFifo, dlqArn).map(({ name, value, codes }) =>
    mutation(`attribute ${name}=${JSON.stringify(value).slice(0, 40)}`, [member], [...codes, ...extraCodes], (req) => {
      objectMember(req, member)[name] = value;
    }),
  );
}

const badTag = fc.oneof(
  fc.constant({ key: '', value: 'v' }),
  alnum(129, 200).map((key) => ({ key, value: 'v' })),
  fc.tuple(fc.constantFrom('aws:', 'AWS:', 'Aws:'), alnum(0, 10)).map(([p, rest]) => ({ key: `${p}${rest}`, value: 'v' })),
  alnum(257, 400).map((value) => ({ key: 'long-value', value })),
);

function addBadTag(member: string): fc.Arbitrary<Mutation> {
  return badTag.map(({ key, value }) =>
    mutation(`tag ${JSON.stringify(key).slice(0, 40)}=${value.length} chars`, [member], [IPV], (req) => {
      objectMember(req, member)[key] = value;
    }),
  );
}

/** A message attribute map entry SQS refuses (spec §D.2), with its codes. */
const badMessageAttribute: fc.Arbitrary<{ label: string; name: string; value: unknown; codes: readonly string[] }> = fc.oneof(
  fc
    .oneof(
      fc.constantFrom('', 'AWS.trace', 'aws.x', 'Amazon.y', 'AMAZON.z', '.lead', 'trail.', 'a..b', 'sp ace', 'é', 'a/b', 'a:b'),
      nameString(257, 300),
    )
    .map((name) => ({ label: `attribute name ${JSON.stringify(name).slice(0, 30)}`, name, value: { DataType: 'String', StringValue: 'v' }, codes: [IPV] })),
  fc
    .oneof(fc.constantFrom('', 'string', 'Strin', 'Numberx', 'Binary ', 'String.', 'Date', 'STRING'), alnum(257, 300).map((s) => `String.${s}`))
    .map((dataType) => ({ label: `DataType ${JSON.stringify(dataType).slice(0, 30)}`, name: 'attr', value: { DataType: dataType, StringValue: 'v' }, codes: [IPV] })),
  fc.constant({ label: 'no DataType', name: 'attr', value: { StringValue: 'v' }, codes: [IPV] }),
  fc.constant({ label: 'String without value', name: 'attr', value: { DataType: 'String' }, codes: [IPV] }),
  fc.constant({ label: 'empty StringValue', name: 'attr', value: { DataType: 'String', StringValue: '' }, codes: [IPV] }),
  withInvalidChar.map((v) => ({ label: 'invalid char in StringValue', name: 'attr', value: { DataType: 'String', StringValue: v }, codes: [IMC] })),
  fc
    .constantFrom('abc', '1e', '--1', '1.2.3', '0x10', 'NaN', 'Infinity', '1'.repeat(39), '1e200', '-1e200')
    .map((v) => ({ label: `Number ${v.slice(0, 20)}`, name: 'attr', value: { DataType: 'Number', StringValue: v }, codes: [IPV] })),
  fc.constant({ label: 'Binary with StringValue', name: 'attr', value: { DataType: 'Binary', StringValue: 'v' }, codes: [IPV] }),
  fc.constant({ label: 'empty BinaryValue', name: 'attr', value: { DataType: 'Binary', BinaryValue: '' }, codes: [IPV] }),
  fc.constant({ label: 'String with BinaryValue', name: 'attr', value: { DataType: 'String', BinaryValue: 'AQID' }, codes: [IPV] }),
  alnum(SMALL_MAX_MESSAGE_BYTES + 1, SMALL_MAX_MESSAGE_BYTES + 300).map((v) => ({
    label: 'attribute over the size limit',
    name: 'attr',
    value: { DataType: 'String', StringValue: v },
    codes: [IPV],
  })),
);

function addBadMessageAttribute(): fc.Arbitrary<Mutation> {
  return fc.oneof(
    badMessageAttribute.map(({ label, name, value, codes }) =>
      mutation(label, ['MessageAttributes'], codes, (req) => {
        objectMember(req, 'MessageAttributes')[name] = value;
      }),
    ),
    fc.integer({ min: 11, max: 14 }).map((n) =>
      mutation(`${n} message attributes`, ['MessageAttributes'], [IPV], (req) => {
        const attrs = objectMember(req, 'MessageAttributes');
        for (let i = 0; i < n; i++) attrs[`a${i}`] = { DataType: 'String', StringValue: 'v' };
      }),
    ),
  );
}

function addBadSystemAttribute(): fc.Arbitrary<Mutation> {
  return fc
    .constantFrom(
      { label: 'unknown system attribute', name: 'SenderId', value: { DataType: 'String', StringValue: 'x' } },
      { label: 'unknown system attribute', name: 'Other', value: { DataType: 'String', StringValue: 'x' } },
      { label: 'AWSTraceHeader as Number', name: 'AWSTraceHeader', value: { DataType: 'Number', StringValue: '1' } },
      { label: 'empty AWSTraceHeader', name: 'AWSTraceHeader', value: { DataType: 'String', StringValue: '' } },
    )
    .map(({ label, name, value }) =>
      mutation(label, ['MessageSystemAttributes'], [IPV], (req) => {
        objectMember(req, 'MessageSystemAttributes')[name] = value;
      }),
    );
}

/** Send-member mutations that are errors of the message itself (per entry in a batch). */
function badSendMembers(isFifo: boolean): Array<fc.Arbitrary<Mutation>> {
  const badGroupId = fc.oneof(printable(129, 200), withBadChar(printable(0, 20), NOT_PRINTABLE_ASCII), ...(isFifo ? [fc.constant('')] : []));
  const badDedupId = fc.oneof(printable(129, 200), withBadChar(printable(0, 20), NOT_PRINTABLE_ASCII), fc.constant(''));
  const out: Array<fc.Arbitrary<Mutation>> = [
    setMember('MessageBody', [MP], fc.constant(''), 'empty MessageBody'),
    setMember('MessageBody', [IMC], withInvalidChar, 'invalid char in MessageBody'),
    setMember('MessageBody', [IPV], fc.string({ minLength: SMALL_MAX_MESSAGE_BYTES + 1, maxLength: SMALL_MAX_MESSAGE_BYTES + 400 }), 'MessageBody over MaximumMessageSize'),
    setMember('DelaySeconds', [IPV], isFifo ? fc.oneof(outOfRange(0, 900), fc.integer({ min: 1, max: 900 })) : outOfRange(0, 900)),
    setMember('MessageGroupId', [IPV], badGroupId),
    addBadMessageAttribute(),
    addBadSystemAttribute(),
  ];
  if (isFifo) {
    out.push(setMember('MessageDeduplicationId', [IPV], badDedupId));
  } else {
    // A deduplication id on a standard queue (spec §B SendMessage).
    out.push(setMember('MessageDeduplicationId', [IPV], printable(1, 20), 'MessageDeduplicationId on a standard queue'));
  }
  return out;
}

// ------------------------------------------------------------------------------------------ batch mutations

function batchShape(spec: ActionSpec): Array<fc.Arbitrary<Mutation>> {
  const entry = spec.entry!;
  const template = (spec.base.Entries as Json[])[0]!;
  const out: Array<fc.Arbitrary<Mutation>> = [
    fc.constant(mutation('Entries []', ['Entries'], [EMPTY], (req) => void (req.Entries = []))),
    fc.integer({ min: 11, max: 16 }).map((n) =>
      mutation(`${n} entries`, ['Entries'], [TOO_MANY], (req) => {
        req.Entries = Array.from({ length: n }, (_, i) => ({ ...template, Id: `e${i}`, ...(spec.isFifo && template.MessageDeduplicationId ? { MessageDeduplicationId: `${DEDUP_POOL[i % DEDUP_POOL.length]}` } : {}) }));
      }),
    ),
    fc.constant(
      mutation('duplicate entry ids', ['Entries'], [NOT_DISTINCT], (req) => {
        const entries = entriesOf(req);
        const first = entries[0] ?? template;
        req.Entries = [...(entries.length > 0 ? entries : [first]), { ...first }];
      }),
    ),
    fc
      .oneof(fc.constant(''), nameString(81, 120), withBadChar(nameString(0, 10), NOT_A_NAME_CHAR))
      .map((id) =>
        mutation(`entry Id ${JSON.stringify(id).slice(0, 30)}`, ['Entries.*.Id'], [BAD_ID], (req) => {
          const [first] = entriesOf(req);
          if (first) first.Id = id;
          else req.Entries = [{ ...template, Id: id }];
        }),
      ),
    ...entry.required.map((member) =>
      fc.boolean().map((isNull) =>
        mutation(`${isNull ? 'null' : 'drop'} entry ${member}`, [`Entries.*.${member}`], [MP], (req) => {
          const entries = entriesOf(req);
          const target = entries[0] ?? { ...template };
          if (isNull) target[member] = null;
          else delete target[member];
          if (entries.length === 0) req.Entries = [target];
        }),
      ),
    ),
    ...Object.entries(entry.members).map(([member, kind]) =>
      wrongTypeValue(kind).map((v) =>
        jsonOnly(
          mutation(`wrong type entry ${member}=${JSON.stringify(v)?.slice(0, 40)}`, [`Entries.*.${member}`], [SER], (req) => {
            const entries = entriesOf(req);
            const target = entries[0] ?? { ...template };
            target[member] = v;
            if (entries.length === 0) req.Entries = [target];
          }),
        ),
      ),
    ),
  ];
  return out;
}

// ------------------------------------------------------------------------------------------ per action

/**
 * The mutations for one operation. `entry` holds those that hit every batch entry with a per-entry error; they are
 * never combined with the others, because a later mutation can overwrite an earlier one's change, and only when
 * every remaining problem is per-entry is a 200 that fails every entry the right answer.
 */
function actionMutations(spec: ActionSpec, fixture: Fixture): { request: fc.Arbitrary<Mutation>; entry: Array<fc.Arbitrary<Mutation>> } {
  const { snap, scratch } = fixture;
  const generic: Array<fc.Arbitrary<Mutation>> = [...dropRequired(spec), ...wrongTypes(spec.members)];
  const out: Array<fc.Arbitrary<Mutation>> = [];
  const entry: Array<fc.Arbitrary<Mutation>> = [];
  const queue = spec.isFifo ? snap.fifo : spec.variant === 'dlq' ? snap.dlq : snap.std;
  if ('QueueUrl' in spec.members) out.push(badQueueUrl(fixture, queue.name));
  const missingArn = alnum(1, 12).map((n) => `arn:aws:sqs:us-east-1:${fixture.accountId}:fz-missing-${n}`);
  const garbageHandle = fc.string({ unit: 'binary', maxLength: 60 }).map((s) => `x${s}`);
  // A real handle, but of a message in another queue: not valid for this one.
  const foreignHandle = fc.constant(spec.isFifo ? scratch.fifoHandle : scratch.stdHandle);

  switch (spec.action) {
    case 'CreateQueue': {
      const isFifo = spec.isFifo;
      const suffix = isFifo ? '.fifo' : '';
      out.push(
        setMember('QueueName', [MP, IPV], fc.constant(''), 'empty QueueName'),
        setMember('QueueName', [IPV], nameString(81 - suffix.length, 120).map((n) => `${n}${suffix}`), 'QueueName over 80 chars'),
        setMember('QueueName', [IPV], withBadChar(nameString(1, 20), NOT_A_NAME_CHAR).map((n) => `fz-snap-${n}${suffix}`), 'QueueName with a bad char'),
        addBadAttribute('Attributes', isFifo, snap.dlq.arn, isFifo ? [IAN] : []),
        addBadTag('tags'),
      );
      if (isFifo) {
        out.push(
          setMember('QueueName', [IPV], nameString(1, 20).map((n) => `fz-snap-nofifo-${n}`), 'FifoQueue=true without .fifo'),
          fc.constant(
            mutation('existing FIFO name, other VisibilityTimeout', ['QueueName', 'Attributes'], [QAE], (req) => {
              req.QueueName = snap.fifo.name;
              req.Attributes = { FifoQueue: 'true', VisibilityTimeout: '31' };
            }),
          ),
          // With FifoQueue=false the queue is a standard one, whose name must not end in .fifo; if another mutation changed
          // the name, FifoQueue is simply an attribute standard queues do not have (spec §B CreateQueue).
          fc.constant(mutation('FifoQueue=false with .fifo name', ['Attributes'], [IPV, IAV, IAN], (req) => void (objectMember(req, 'Attributes').FifoQueue = 'false'))),
        );
      } else {
        out.push(
          setMember('QueueName', [IPV], nameString(1, 20).map((n) => `fz-snap-${n}.fifo`), '.fifo name without FifoQueue'),
          fc.constant(mutation('FifoQueue=false on a standard queue', ['Attributes'], [IAN], (req) => void (objectMember(req, 'Attributes').FifoQueue = 'false'))),
          fc.constant(
            mutation('existing name, other VisibilityTimeout', ['QueueName', 'Attributes'], [QAE], (req) => {
              req.QueueName = snap.std.name;
              req.Attributes = { VisibilityTimeout: '46' };
            }),
          ),
        );
      }
      break;
    }
    case 'GetQueueUrl':
      out.push(
        setMember('QueueName', [NEQ], alnum(1, 20).map((n) => `fz-missing-${n}`), 'unknown QueueName'),
        setMember('QueueName', [MP, NEQ, IPV], fc.constant(''), 'empty QueueName'),
        setMember('QueueName', [NEQ, IPV], withBadChar(fc.constant(snap.std.name), NOT_A_NAME_CHAR), 'QueueName with a bad char'),
        setMember('QueueName', [NEQ], fc.constant(snap.std.name.toUpperCase()), 'QueueName in other case'),
      );
      break;
    case 'ListQueues':
    case 'ListDeadLetterSourceQueues':
      out.push(setMember('MaxResults', [IPV], outOfRange(1, 1000)));
      break;
    case 'GetQueueAttributes':
      out.push(
        unknownAttributeName.chain((name) =>
          fc.boolean().map((hasAll) => mutation(`AttributeNames +${name}`, ['AttributeNames'], [IAN], (req) => void (req.AttributeNames = hasAll ? ['All', name] : [name]))),
        ),
      );
      break;
    case 'SetQueueAttributes':
      out.push(addBadAttribute('Attributes', spec.isFifo, snap.dlq.arn));
      if (spec.isFifo) {
        out.push(fc.constant(mutation('FifoQueue=false on a FIFO queue', ['Attributes'], [IAV], (req) => void (objectMember(req, 'Attributes').FifoQueue = 'false'))));
      } else {
        out.push(fc.constant(mutation('FifoQueue on a standard queue', ['Attributes'], [IAN], (req) => void (objectMember(req, 'Attributes').FifoQueue = 'true'))));
      }
      break;
    case 'SendMessage':
      out.push(...badSendMembers(spec.isFifo));
      if (spec.isFifo) {
        out.push(
          fc.constant(mutation('no MessageGroupId on FIFO', ['MessageGroupId'], [MP], (req) => void delete req.MessageGroupId)),
          // The snapshot FIFO queue has no content-based deduplication.
          fc.constant(mutation('no MessageDeduplicationId on FIFO', ['MessageDeduplicationId'], [IPV], (req) => void delete req.MessageDeduplicationId)),
        );
      }
      break;
    case 'SendMessageBatch':
      out.push(...batchShape(spec));
      for (const m of badSendMembers(spec.isFifo)) {
        // Message errors fail each entry, not the request (spec §B SendMessageBatch).
        entry.push(m.map((x) => onEveryEntry(x, true)));
      }
      out.push(
        alnum(1, 200).map((pad) =>
          mutation('batch over 1 MiB', ['Entries'], [TOO_LONG], (req) => {
            const entries = entriesOf(req);
            const body = `${pad}${'x'.repeat(600_000)}`;
            req.Entries = [0, 1].map((i) => ({ ...(entries[0] ?? {}), Id: `big${i}`, MessageBody: body, ...(spec.isFifo ? { MessageGroupId: 'g1', MessageDeduplicationId: DEDUP_POOL[i] } : {}) }));
          }),
        ),
      );
      if (spec.isFifo) {
        // On FIFO queues these omissions fail the whole request (spec §B SendMessageBatch).
        out.push(
          fc.constant(onEveryEntry(mutation('no MessageGroupId on FIFO', ['MessageGroupId'], [IPV], (e) => void delete e.MessageGroupId), false)),
          fc.constant(onEveryEntry(mutation('no MessageDeduplicationId on FIFO', ['MessageDeduplicationId'], [IPV], (e) => void delete e.MessageDeduplicationId), false)),
        );
      }
      break;
    case 'ReceiveMessage':
      out.push(
        setMember('MaxNumberOfMessages', [IPV], outOfRange(1, 10)),
        setMember('WaitTimeSeconds', [IPV], outOfRange(0, 20)),
        setMember('VisibilityTimeout', [IPV], outOfRange(0, 43_200)),
      );
      if (spec.isFifo) {
        out.push(setMember('ReceiveRequestAttemptId', [IPV], fc.oneof(printable(129, 200), withBadChar(printable(0, 20), NOT_PRINTABLE_ASCII), fc.constant(''))));
      }
      break;
    case 'DeleteMessage':
      out.push(
        setMember('ReceiptHandle', [RHI], garbageHandle, 'garbage ReceiptHandle'),
        setMember('ReceiptHandle', [MP, RHI], fc.constant(''), 'empty ReceiptHandle'),
        setMember('ReceiptHandle', [RHI], foreignHandle, 'ReceiptHandle of another queue'),
      );
      break;
    case 'ChangeMessageVisibility':
      out.push(
        setMember('ReceiptHandle', [RHI], garbageHandle, 'garbage ReceiptHandle'),
        setMember('ReceiptHandle', [RHI], foreignHandle, 'ReceiptHandle of another queue'),
        setMember('VisibilityTimeout', [IPV], outOfRange(0, 43_200)),
      );
      break;
    case 'DeleteMessageBatch':
    case 'ChangeMessageVisibilityBatch':
      out.push(...batchShape(spec));
      entry.push(
        garbageHandle.map((h) => onEveryEntry(mutation('garbage ReceiptHandle', ['ReceiptHandle'], [RHI], (e) => void (e.ReceiptHandle = h)), true)),
        foreignHandle.map((h) => onEveryEntry(mutation('ReceiptHandle of another queue', ['ReceiptHandle'], [RHI], (e) => void (e.ReceiptHandle = h)), true)),
      );
      if (spec.action === 'ChangeMessageVisibilityBatch') {
        entry.push(outOfRange(0, 43_200).map((v) => onEveryEntry(mutation(`entry VisibilityTimeout=${v}`, ['VisibilityTimeout'], [IPV], (e) => void (e.VisibilityTimeout = v)), true)));
      }
      break;
    case 'TagQueue':
      out.push(addBadTag('Tags'));
      break;
    case 'AddPermission':
      out.push(
        setMember('Label', [MP, IPV], fc.constant(''), 'empty Label'),
        setMember('Label', [IPV], nameString(81, 120), 'Label over 80 chars'),
        setMember('Label', [IPV], withBadChar(nameString(1, 20), NOT_A_NAME_CHAR), 'Label with a bad char'),
        setMember('Label', [IPV], fc.constant('fz-existing'), 'existing Label'),
        setMember('Actions', [MP, IPV], fc.constant([]), 'no Actions'),
        setMember('Actions', [IPV], alnum(1, 12).filter((a) => !(OPERATION_NAMES as readonly string[]).includes(a)).map((a) => ['SendMessage', a]), 'unknown action'),
        setMember('Actions', [OVER_LIMIT], fc.constant(['SendMessage', 'ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility', 'GetQueueAttributes', 'GetQueueUrl', 'ListDeadLetterSourceQueues', 'PurgeQueue']), '8 actions'),
      );
      break;
    case 'RemovePermission':
      out.push(setMember('Label', [IPV], nameString(1, 20).map((l) => `fz-unknown-${l}`), 'unknown Label'));
      break;
    case 'StartMessageMoveTask':
      out.push(
        setMember('SourceArn', [RNF], missingArn, 'unknown SourceArn'),
        setMember('SourceArn', [RNF, IPV, MP], fc.string({ maxLength: 30 }).filter((s) => !s.startsWith('arn:')), 'garbage SourceArn'),
        setMember('SourceArn', [IPV], fc.constantFrom(snap.std.arn, snap.fifo.arn), 'SourceArn not a DLQ'),
        setMember('DestinationArn', [RNF], missingArn, 'unknown DestinationArn'),
        setMember('DestinationArn', [RNF, IPV, MP], fc.string({ maxLength: 30 }).filter((s) => !s.startsWith('arn:')), 'garbage DestinationArn'),
        setMember('MaxNumberOfMessagesPerSecond', [IPV], outOfRange(1, 500)),
      );
      break;
    case 'ListMessageMoveTasks':
      out.push(
        setMember('SourceArn', [RNF], missingArn, 'unknown SourceArn'),
        setMember('SourceArn', [RNF, IPV, MP], fc.string({ maxLength: 30 }).filter((s) => !s.startsWith('arn:')), 'garbage SourceArn'),
        setMember('MaxResults', [IPV], outOfRange(1, 10)),
      );
      break;
    case 'CancelMessageMoveTask':
      out.push(
        setMember('TaskHandle', [IPV, RNF], fc.string({ unit: 'binary', maxLength: 60 }), 'garbage TaskHandle'),
        setMember('TaskHandle', [IPV, RNF], fc.uuid().map((id) => Buffer.from(JSON.stringify({ taskId: id, sourceArn: snap.dlq.arn })).toString('base64')), 'unknown TaskHandle'),
        // The base request's task has completed: only RUNNING tasks can be cancelled.
        fc.constant(mutation('finished task', [], [IPV, RNF], () => {})),
      );
      break;
    default:
      break;
  }
  // Missing members and wrong JSON types are many but shallow; the operation's own rules get most of the runs.
  const request = out.length === 0 ? fc.oneof(...generic) : fc.oneof({ weight: 1, arbitrary: fc.oneof(...generic) }, { weight: 2, arbitrary: fc.oneof(...out) });
  return { request, entry };
}

// ------------------------------------------------------------------------------------------ whole-request cases

function jsonCase(spec: ActionSpec, label: string, value: unknown, expect: Expectation): FuzzCase {
  return withDescription({
    action: `${spec.action}@${spec.variant}`,
    label,
    target: `AmazonSQS.${spec.action}`,
    contentType: JSON_CONTENT_TYPE,
    body: { kind: 'json', value },
    isChunked: false,
    expect,
  });
}

function mutatedCase(spec: ActionSpec, candidates: Mutation[]): FuzzCase {
  // Overlapping mutations could undo each other's damage (or turn one error into another): keep the first of each.
  const mutations: Mutation[] = [];
  for (const m of candidates) {
    if (!mutations.some((kept) => kept.touches.some((a) => m.touches.some((b) => overlaps(a, b))))) mutations.push(m);
  }
  const req = structuredClone(spec.base) as Json;
  for (const m of mutations) m.apply(req);
  const codes = [...new Set(mutations.flatMap((m) => [...m.codes, ...(m.entryCodes ?? [])]))];
  const expect: Expectation = { codes };
  if (mutations.every((m) => m.entryCodes !== undefined)) {
    expect.entryCodes = [...new Set(mutations.flatMap((m) => m.entryCodes!))];
    expect.entryCount = entriesOf(req).length;
  }
  const c = jsonCase(spec, mutations.map((m) => m.label).join(' + '), req, expect);
  c.isQueryTransferable = mutations.every((m) => m.isJsonOnly !== true && m.entryCodes === undefined) && isEncodable(req);
  return c;
}

/** Whether every string in `value` (keys too) can be percent-encoded as UTF-8: no lone surrogates. */
function isEncodable(value: unknown): boolean {
  if (typeof value === 'string') {
    try {
      encodeURIComponent(value);
      return true;
    } catch {
      return false;
    }
  }
  if (Array.isArray(value)) return value.every(isEncodable);
  if (typeof value === 'object' && value !== null) return Object.entries(value).every(([k, v]) => isEncodable(k) && isEncodable(v));
  return true;
}

function isJsonObjectText(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Byte sequences that are never valid UTF-8 (stray continuation, overlong, surrogate, beyond U+10FFFF, truncated). */
const INVALID_UTF8 = fc.constantFrom([0xff], [0xfe], [0x80], [0xbf], [0xc0, 0xaf], [0xc1, 0x81], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc3], [0xe2, 0x82], [0xc3, 0x28]);

function bodyCases(spec: ActionSpec): fc.Arbitrary<FuzzCase> {
  const target = `AmazonSQS.${spec.action}`;
  const text = JSON.stringify(spec.base);
  const make = (label: string, body: FuzzCase['body']): FuzzCase =>
    withDescription({ action: `${spec.action}@${spec.variant}`, label, target, contentType: JSON_CONTENT_TYPE, body, isChunked: false, expect: { codes: [SER] } });
  return fc.oneof(
    // Every proper, non-empty prefix of a JSON object text is invalid JSON.
    fc.integer({ min: 1, max: text.length - 1 }).map((cut) => make(`truncated at ${cut}`, { kind: 'text', text: text.slice(0, cut) })),
    fc
      .tuple(fc.nat({ max: Buffer.byteLength(text) }), INVALID_UTF8)
      .map(([at, bytes]) => make('invalid UTF-8', { kind: 'splice', value: spec.base, at, bytes: [...bytes] })),
    fc
      .oneof(fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((v) => JSON.stringify(v)), fc.constantFrom('null', '[]', '[{}]', '""', '0', 'true'))
      .map((t) => make('JSON that is not an object', { kind: 'text', text: t })),
    fc
      .oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }), fc.constantFrom('{', '}', '{"a":}', "{'QueueUrl':'x'}", '{"a":1,}', '{"a" 1}', 'NaN', '{"a":1}{"b":2}', '\u0000', '{"QueueUrl":"x"'))
      .filter((t) => t.trim().length > 0 && !isJsonObjectText(t))
      .map((t) => make('not JSON', { kind: 'text', text: t })),
    fc
      .uint8Array({ minLength: 1, maxLength: 80 })
      .filter((bytes) => {
        const asText = Buffer.from(bytes).toString('utf8');
        return asText.trim().length > 0 && !(Buffer.from(asText, 'utf8').equals(Buffer.from(bytes)) && isJsonObjectText(asText));
      })
      .map((bytes) => make('random bytes', { kind: 'bytes', bytes: [...bytes] })),
  );
}

const OPERATION_SET: ReadonlySet<string> = new Set(OPERATION_NAMES);

function headerCases(spec: ActionSpec): fc.Arbitrary<FuzzCase> {
  const make = (label: string, target: string | undefined, contentType: string | undefined): FuzzCase =>
    withDescription({
      action: `${spec.action}@${spec.variant}`,
      label,
      target,
      contentType,
      body: { kind: 'json', value: spec.base },
      isChunked: false,
      expect: { codes: [ACTION] },
    });
  const unknownOperation = fc
    .oneof(
      alnum(1, 30),
      // (No trailing whitespace: HTTP parsers trim it, which would make the target valid again.)
      fc.constantFrom(spec.action.toLowerCase(), spec.action.toUpperCase(), ` ${spec.action}`, `\t${spec.action}`, `${spec.action}V2`, '__proto__', 'constructor', 'toString', 'hasOwnProperty', ''),
      fc.string({ unit: 'grapheme-ascii', maxLength: 20 }),
    )
    .filter((op) => !OPERATION_SET.has(op.trimEnd()));
  return fc.oneof(
    unknownOperation.map((op) => make(`unknown operation ${JSON.stringify(op)}`, `AmazonSQS.${op}`, JSON_CONTENT_TYPE)),
    fc
      .constantFrom('AmazonSQSx.', 'amazonsqs.', 'AmazonSNS.', 'SQS.', '', 'AmazonSQS', 'AmazonSQS..', 'com.amazonaws.sqs#')
      .map((prefix) => make(`X-Amz-Target prefix ${JSON.stringify(prefix)}`, `${prefix}${spec.action}`, JSON_CONTENT_TYPE)),
    fc.constant(make('no X-Amz-Target', undefined, JSON_CONTENT_TYPE)),
    fc
      .constantFrom(undefined, 'text/plain', 'application/json', 'application/xml', 'multipart/form-data', 'application/octet-stream', 'application/x-amz-jsonx')
      .map((contentType) => make(`no X-Amz-Target, Content-Type ${contentType ?? '(none)'}`, undefined, contentType)),
  );
}

/** A body just over, or far over, the server's cap; sent with Content-Length or chunked. */
function hugeCase(spec: ActionSpec): fc.Arbitrary<FuzzCase> {
  const member = 'MessageBody' in spec.members ? 'MessageBody' : 'QueueName' in spec.members ? 'QueueName' : Object.keys(spec.members)[0] ?? 'X';
  return fc.tuple(fc.integer({ min: 1, max: 2 * 1024 * 1024 }), fc.boolean(), fc.constantFrom('x', 'é', '\\u00e9')).map(([over, isChunked, fill]) =>
    withDescription({
      action: `${spec.action}@${spec.variant}`,
      label: `body ${over} bytes over the cap${isChunked ? ', chunked' : ''}`,
      target: `AmazonSQS.${spec.action}`,
      contentType: JSON_CONTENT_TYPE,
      body: { kind: 'huge', base: { ...spec.base }, member, size: BODY_CAP_BYTES + over, fill },
      isChunked,
      expect: { codes: [TOO_LARGE] },
    }),
  );
}

/** Everything the invalid-request suite aims at, built once per fixture. */
export interface InvalidRequestArbitraries {
  /** One invalid request (no huge bodies). */
  request: fc.Arbitrary<FuzzCase>;
  /** One request whose body is over the server's cap. */
  huge: fc.Arbitrary<FuzzCase>;
  /** The action specs the cases were built from (the test checks every operation is covered). */
  specs: readonly ActionSpec[];
}

/**
 * The arbitraries of invalid requests aimed at the snapshot queues of `fixture`. Every case is invalid by
 * construction; the expected answer is an error with one of `expect.codes` (or, for batches whose every entry is
 * bad, a 200 that fails every entry).
 */
export function invalidRequestArbitraries(fixture: Fixture): InvalidRequestArbitraries {
  const specs = validRequests(fixture.snap, 'fz-snap-new', DEDUP_POOL, fixture);
  const perSpec = specs.map((spec) => {
    const { request, entry } = actionMutations(spec, fixture);
    const combos = (one: fc.Arbitrary<Mutation>) => fc.array(one, { minLength: 1, maxLength: 3 }).map((ms) => mutatedCase(spec, ms));
    const mutated = entry.length === 0 ? combos(request) : fc.oneof({ weight: 2, arbitrary: combos(request) }, { weight: 1, arbitrary: combos(fc.oneof(...entry)) });
    return fc.oneof(
      { weight: 12, arbitrary: mutated },
      { weight: 2, arbitrary: bodyCases(spec) },
      { weight: 2, arbitrary: headerCases(spec) },
    );
  });
  return {
    request: fc.oneof(...perSpec),
    huge: fc.oneof(...specs.map(hugeCase)),
    specs,
  };
}
