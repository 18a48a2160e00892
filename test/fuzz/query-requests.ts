/**
 * @module test/fuzz/query-requests: the fuzz cases for the AWS query protocol (form bodies, XML answers, spec §A.2).
 * Invalid ones are the JSON suite's invalid cases that mean the same as a form (flattened with the query-era
 * parameter names of spec §A.2), plus form-level breakage (no Action, unknown Action, bad percent-encoding, invalid
 * UTF-8). Random ones are random parameters for random operations, aimed only at the scratch queues.
 */
import fc from 'fast-check';
import { type Fixture, SNAPSHOT_PREFIX } from './fixture.ts';
import { CODES, type FuzzCase, withDescription } from './fuzz-case.ts';
import { type ActionSpec, OPERATION_NAMES } from './valid-requests.ts';

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';
const API_VERSION = '2012-11-05';

/** Flattened list members: `<location>.N` (spec §A.2). */
const LIST_LOCATIONS: Readonly<Record<string, string>> = {
  AttributeNames: 'AttributeName',
  MessageSystemAttributeNames: 'MessageSystemAttributeName',
  MessageAttributeNames: 'MessageAttributeName',
  TagKeys: 'TagKey',
  AWSAccountIds: 'AWSAccountId',
  Actions: 'ActionName',
};
/** Flattened map members: `<location>.N.<key>` and `<location>.N.<value>` (spec §A.2). */
const MAP_LOCATIONS: Readonly<Record<string, readonly [string, string, string]>> = {
  Attributes: ['Attribute', 'Name', 'Value'],
  tags: ['Tag', 'Key', 'Value'],
  Tags: ['Tag', 'Key', 'Value'],
  MessageAttributes: ['MessageAttribute', 'Name', 'Value'],
  MessageSystemAttributes: ['MessageSystemAttribute', 'Name', 'Value'],
};
/** The entry element of each batch's `Entries`. */
const ENTRY_LOCATIONS: Readonly<Record<string, string>> = {
  SendMessageBatch: 'SendMessageBatchRequestEntry',
  DeleteMessageBatch: 'DeleteMessageBatchRequestEntry',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibilityBatchRequestEntry',
};

type Pairs = Array<[string, string]>;

function flattenStruct(action: string, value: Record<string, unknown>, prefix: string, out: Pairs): void {
  for (const [member, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    const name = `${prefix}${member}`;
    if (member === 'Entries' && Array.isArray(v)) {
      const location = ENTRY_LOCATIONS[action] ?? member;
      v.forEach((entry, i) => {
        if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
          flattenStruct(action, entry as Record<string, unknown>, `${prefix}${location}.${i + 1}.`, out);
        }
      });
    } else if (Array.isArray(v)) {
      const location = LIST_LOCATIONS[member] ?? member;
      v.forEach((item, i) => out.push([`${prefix}${location}.${i + 1}`, String(item)]));
    } else if (typeof v === 'object') {
      const [location, key, val] = MAP_LOCATIONS[member] ?? [member, 'Name', 'Value'];
      Object.entries(v as Record<string, unknown>).forEach(([k, item], j) => {
        const at = `${prefix}${location}.${j + 1}.`;
        out.push([`${at}${key}`, k]);
        if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
          for (const [field, fieldValue] of Object.entries(item as Record<string, unknown>)) {
            if (fieldValue !== undefined && fieldValue !== null) out.push([`${at}${val}.${field}`, String(fieldValue)]);
          }
        } else if (item !== undefined && item !== null) {
          out.push([`${at}${val}`, String(item)]);
        }
      });
    } else {
      out.push([name, String(v)]);
    }
  }
}

/** The parameters `Action`, `Version` and the flattened members of a JSON-shaped request (spec §A.2). */
function formPairs(action: string | undefined, value: Record<string, unknown>): Pairs {
  const pairs: Pairs = [];
  if (action !== undefined) pairs.push(['Action', action], ['Version', API_VERSION]);
  flattenStruct(action ?? '', value, '', pairs);
  return pairs;
}

function encodePairs(pairs: Pairs): string {
  const encode = (text: string) => {
    try {
      return encodeURIComponent(text);
    } catch {
      // A lone surrogate cannot be UTF-8: send U+FFFD, as a client's encoder would.
      return '%EF%BF%BD';
    }
  };
  return pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
}

/** `Action=<action>&Version=…&<flattened members>` for a JSON-shaped request (spec §A.2). */
export function toFormText(action: string | undefined, value: Record<string, unknown>): string {
  return encodePairs(formPairs(action, value));
}

function hasEmptyEntry(value: unknown): boolean {
  const entries = (value as { Entries?: unknown }).Entries;
  if (!Array.isArray(entries)) return false;
  return entries.some((e) => typeof e === 'object' && e !== null && Object.values(e).every((v) => v === undefined || v === null));
}

function formCase(action: string, label: string, text: string, expect: FuzzCase['expect']): FuzzCase {
  return withDescription({
    action,
    label,
    target: undefined,
    contentType: FORM_CONTENT_TYPE,
    body: { kind: 'text', text },
    isChunked: false,
    expect,
    format: 'xml',
  });
}

/** Where the query protocol names a JSON-protocol code differently. */
function queryCodes(codes: readonly string[] | undefined): string[] | undefined {
  if (codes === undefined) return undefined;
  // Form values are text, so the one serialization failure left (BinaryValue not base64) is an invalid value.
  return [...new Set(codes.map((code) => (code === CODES.serialization ? CODES.invalidParameterValue : code)))];
}

/**
 * Invalid query requests: `jsonCases` (the JSON suite's invalid cases) that can be sent as forms, and form-level
 * breakage. Each expects an XML error with the JSON case's codes.
 */
export function invalidQueryArbitrary(jsonCases: fc.Arbitrary<FuzzCase>): fc.Arbitrary<FuzzCase> {
  // A form cannot write an entry without parameters (the entries are renumbered around the gap, so the request may
  // become valid): cases with such an entry stay JSON-only.
  const transferable = jsonCases.filter((c) => c.isQueryTransferable === true && c.body.kind === 'json' && !hasEmptyEntry(c.body.value));
  const asForm = transferable.map((c) => {
    const operation = c.target!.slice('AmazonSQS.'.length);
    const value = (c.body as { value: Record<string, unknown> }).value;
    const text = toFormText(operation, value);
    return formCase(c.action, c.label, text, { codes: queryCodes(c.expect.codes) });
  });
  const broken = transferable.chain((c) => {
    const operation = c.target!.slice('AmazonSQS.'.length);
    const value = (c.body as { value: Record<string, unknown> }).value;
    const members = toFormText(undefined, value);
    return fc.oneof(
      fc.constant(formCase(c.action, 'no Action', members, { codes: ['MissingAction'] })),
      fc
        .oneof(
          fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }),
          fc.constantFrom(operation.toLowerCase(), `${operation}V2`, '__proto__', 'constructor', 'toString'),
        )
        .filter((name) => !(OPERATION_NAMES as readonly string[]).includes(name.trim()))
        .map((name) => formCase(c.action, `unknown Action ${JSON.stringify(name)}`, `Action=${encodeURIComponent(name)}&${members}`, { codes: [CODES.invalidAction] })),
      fc
        // Each is malformed whatever follows it (a lone '%' or '%0' could join the next characters into a valid escape).
        .tuple(fc.constantFrom('%G0', '%g', '%%', '%zz', '%E9', '%C3%28', '%ED%A0%80', '%FF', '%C0%AF'), fc.nat())
        .map(([bad, at]) => {
          const text = toFormText(operation, value);
          const cut = text.length === 0 ? 0 : at % text.length;
          // Insert right after a '=' so the escape lands in a value, not in a half-written escape of its own.
          const eq = text.indexOf('=', cut);
          const i = eq < 0 ? text.length : eq + 1;
          return formCase(c.action, `bad escape ${bad}`, `${text.slice(0, i)}${bad}${text.slice(i)}`, { codes: ['InvalidQueryParameter'] });
        }),
    );
  });
  const invalidUtf8 = transferable.chain((c) => {
    const operation = c.target!.slice('AmazonSQS.'.length);
    const text = toFormText(operation, (c.body as { value: Record<string, unknown> }).value);
    return fc
      .tuple(fc.nat({ max: text.length }), fc.constantFrom([0xff], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xc3]))
      .map(([at, bytes]): FuzzCase => {
        const raw = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(bytes), Buffer.from(text.slice(at))]);
        return withDescription({
          action: c.action,
          label: `invalid UTF-8 [${bytes.join(',')}] at ${at}`,
          target: undefined,
          contentType: FORM_CONTENT_TYPE,
          body: { kind: 'bytes', bytes: [...raw] },
          isChunked: false,
          expect: { codes: ['InvalidQueryParameter'] },
          format: 'xml',
        });
      });
  });
  return fc.oneof({ weight: 6, arbitrary: asForm }, { weight: 3, arbitrary: broken }, { weight: 1, arbitrary: invalidUtf8 });
}

/** Parameter names query clients send (top level, in maps, in batch entries). */
const PARAMETER_NAMES = [
  'QueueUrl',
  'QueueName',
  'MessageBody',
  'DelaySeconds',
  'MaxNumberOfMessages',
  'WaitTimeSeconds',
  'VisibilityTimeout',
  'ReceiptHandle',
  'MessageGroupId',
  'MessageDeduplicationId',
  'ReceiveRequestAttemptId',
  'QueueNamePrefix',
  'MaxResults',
  'NextToken',
  'Label',
  'SourceArn',
  'DestinationArn',
  'MaxNumberOfMessagesPerSecond',
  'TaskHandle',
  'Attribute.1.Name',
  'Attribute.1.Value',
  'Attribute.2.Name',
  'AttributeName.1',
  'AttributeName.0',
  'MessageAttributeName.1',
  'MessageSystemAttributeName.1',
  'Tag.1.Key',
  'Tag.1.Value',
  'TagKey.1',
  'AWSAccountId.1',
  'ActionName.1',
  'MessageAttribute.1.Name',
  'MessageAttribute.1.Value.DataType',
  'MessageAttribute.1.Value.StringValue',
  'MessageAttribute.1.Value.BinaryValue',
  'MessageAttribute.1.Value.StringListValue.1',
  'MessageSystemAttribute.1.Name',
  'MessageSystemAttribute.1.Value.StringValue',
  'SendMessageBatchRequestEntry.1.Id',
  'SendMessageBatchRequestEntry.1.MessageBody',
  'SendMessageBatchRequestEntry.2.Id',
  'SendMessageBatchRequestEntry.1.MessageAttribute.1.Name',
  'DeleteMessageBatchRequestEntry.1.Id',
  'DeleteMessageBatchRequestEntry.1.ReceiptHandle',
  'ChangeMessageVisibilityBatchRequestEntry.1.Id',
  'ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle',
  'ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout',
  'Attribute..Name',
  'Attribute.x.Value',
  'Tag.99999999999.Key',
  'Version',
] as const;

/**
 * Random form requests for random operations aimed at the scratch queues: any well-formed XML answer is acceptable.
 * None names a snapshot queue.
 */
export function randomQueryArbitrary(fixture: Fixture, specs: readonly ActionSpec[]): fc.Arbitrary<FuzzCase> {
  const { std, fifo, dlq, stdHandle, fifoHandle } = fixture.scratch;
  const value = fc.oneof(
    fc.constantFrom(std.url, fifo.url, dlq.url, std.name, fifo.name, dlq.arn, std.arn, stdHandle, fifoHandle, 'All', 'String', 'g1', '1', '0', '10', '-1', '', 'true'),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.integer().map(String),
  );
  const param = fc.tuple(fc.oneof(fc.constantFrom(...PARAMETER_NAMES), fc.string({ unit: 'grapheme-ascii', maxLength: 12 })), value);
  /** Never long-poll (a run would wait for it): a ReceiveMessage carries WaitTimeSeconds=0 and no other value. */
  const withoutLongPoll = (operation: string, pairs: Pairs): Pairs =>
    operation === 'ReceiveMessage' ? [...pairs.filter(([k]) => k !== 'WaitTimeSeconds'), ['WaitTimeSeconds', '0']] : pairs;
  const randomParameters = fc
    .tuple(fc.constantFrom(...OPERATION_NAMES), fc.array(param, { maxLength: 8 }))
    .map(([operation, params]) => {
      const pairs = withoutLongPoll(operation, [['Action', operation], ['Version', API_VERSION], ...params]);
      return formCase(operation, 'random parameters', encodePairs(pairs), { isAcceptAllowed: true });
    });
  // Valid requests with parameters dropped, changed or added: these get past "missing parameter" to the real checks.
  const edit = fc.oneof(
    fc.nat().map((i) => (pairs: Pairs) => pairs.filter((_, n) => pairs.length <= 2 || n !== 2 + (i % (pairs.length - 2)))),
    fc.tuple(fc.nat(), value).map(([i, v]) => (pairs: Pairs) => pairs.map((p, n): [string, string] => (pairs.length > 2 && n === 2 + (i % (pairs.length - 2)) ? [p[0], v] : p))),
    param.map((p) => (pairs: Pairs) => [...pairs, p]),
  );
  const editedValid = fc
    .tuple(fc.constantFrom(...specs), fc.array(edit, { minLength: 1, maxLength: 3 }))
    .map(([spec, edits]) => {
      let pairs = formPairs(spec.action, spec.base as Record<string, unknown>);
      for (const e of edits) pairs = e(pairs);
      return formCase(`${spec.action}@${spec.variant}`, `${edits.length} parameter edit(s)`, encodePairs(withoutLongPoll(spec.action, pairs)), { isAcceptAllowed: true });
    });
  return fc
    .oneof({ weight: 1, arbitrary: randomParameters }, { weight: 3, arbitrary: editedValid })
    .filter((c) => !JSON.stringify(c.body).includes(SNAPSHOT_PREFIX));
}
