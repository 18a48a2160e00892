/**
 * @module protocol/query-request: reads a query-protocol request (form body and/or query string) into the JSON-shaped
 * input object the actions take, so `requests.ts` validates both protocols the same way.
 *
 * `Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=5` becomes `{ Attributes: { VisibilityTimeout: '5' } }`,
 * `AttributeName.1=All` becomes `{ AttributeNames: ['All'] }`, integer members become numbers. Which member sits under
 * which flattened key comes from `query-shapes.ts`.
 */
import { isUtf8 } from 'node:buffer';
import { QueryErrors } from './query-errors.ts';
import type { QueryShape, StructShape } from './query-shapes.ts';
import type { JsonObject } from './requests.ts';
import { SqsErrors } from './sqs-error.ts';

/** Parameters split at their dots: `MessageAttribute.1.Value.DataType` → tree path. Prototype-free objects. */
export interface ParameterTree {
  [segment: string]: string | ParameterTree;
}

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const INTEGER_TEXT = /^[+-]?\d{1,10}$/;
const INDEX_TEXT = /^\d{1,9}$/;
const PLUS = /\+/g;

/** An empty tree. */
export function emptyParameterTree(): ParameterTree {
  return Object.create(null) as ParameterTree;
}

function decodeComponent(raw: string): string {
  // `+` is a space in form encoding; most parameter names and many values need no decoding at all.
  const text = raw.includes('+') ? raw.replace(PLUS, ' ') : raw;
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch (error) {
    throw QueryErrors.malformedQueryString(`bad percent-encoding or non-UTF-8 bytes in "${raw.slice(0, 64)}".`);
  }
}

/**
 * Segments of the deepest SQS parameter name (`SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue`
 * has 6), with room to spare. A deeper name is nobody's parameter; it is dropped before it builds a tree.
 */
const MAX_NAME_SEGMENTS = 10;

function isTooDeep(key: string): boolean {
  let dots = 0;
  for (let at = key.indexOf('.'); at >= 0; at = key.indexOf('.', at + 1)) {
    if (++dots >= MAX_NAME_SEGMENTS) return true;
  }
  return false;
}

function insert(tree: ParameterTree, key: string, value: string): void {
  if (isTooDeep(key)) return;
  let node = tree;
  let start = 0;
  for (;;) {
    const dot = key.indexOf('.', start);
    const segment = dot < 0 ? key.slice(start) : key.slice(start, dot);
    if (dot < 0) {
      // The first value of a repeated key wins; a key that is also a prefix (`AttributeName=` and
      // `AttributeName.1=All`) keeps its children.
      if (node[segment] === undefined) node[segment] = value;
      return;
    }
    let child = node[segment];
    if (typeof child !== 'object') {
      child = emptyParameterTree();
      node[segment] = child;
    }
    node = child;
    start = dot + 1;
  }
}

/**
 * Adds the parameters of `application/x-www-form-urlencoded` text (a body or a query string) to `tree`.
 * @throws SqsError InvalidQueryParameter when a `%` escape is malformed or does not decode to UTF-8.
 */
export function addFormParameters(tree: ParameterTree, text: string): void {
  const length = text.length;
  let start = 0;
  while (start < length) {
    let end = text.indexOf('&', start);
    if (end < 0) end = length;
    if (end > start) {
      const eq = text.indexOf('=', start);
      if (eq < 0 || eq > end) insert(tree, decodeComponent(text.slice(start, end)), '');
      else insert(tree, decodeComponent(text.slice(start, eq)), decodeComponent(text.slice(eq + 1, end)));
    }
    start = end + 1;
  }
}

/**
 * Decodes a form body. @throws SqsError InvalidQueryParameter when the bytes are not UTF-8 (raw, not %-escaped,
 * non-ASCII bytes are allowed when they are UTF-8).
 */
export function formBodyText(body: Buffer): string {
  if (!isUtf8(body)) throw QueryErrors.malformedQueryString('the request body is not valid UTF-8.');
  return body.toString('utf8');
}

function indexesOf(node: ParameterTree): string[] {
  const out: string[] = [];
  for (const key in node) if (INDEX_TEXT.test(key)) out.push(key);
  return out.sort((a, b) => Number(a) - Number(b));
}

function readShape(shape: QueryShape, node: string | ParameterTree | undefined, path: string): unknown {
  switch (shape.kind) {
    case 'string':
      return typeof node === 'string' ? node : undefined;
    case 'integer': {
      if (typeof node !== 'string') return undefined;
      const number = INTEGER_TEXT.test(node) ? Number(node) : Number.NaN;
      if (!(number >= INT32_MIN && number <= INT32_MAX)) throw QueryErrors.notAnInteger(path, node);
      return number;
    }
    case 'struct':
      return typeof node === 'object' ? readStruct(shape, node, path) : undefined;
    case 'list': {
      // Old aws-sdk-js-v3 query clients send an empty list as `AttributeName=` (a bare key).
      if (typeof node === 'string') return [];
      if (node === undefined) return undefined;
      const out: unknown[] = [];
      for (const index of indexesOf(node)) {
        const item = readShape(shape.item, node[index], `${path}.${index}`);
        out.push(item === undefined && shape.item.kind === 'struct' ? {} : item);
      }
      return out;
    }
    case 'map': {
      if (typeof node === 'string') return Object.create(null);
      if (node === undefined) return undefined;
      const out: Record<string, unknown> = Object.create(null);
      for (const index of indexesOf(node)) {
        const entry = node[index];
        const entryPath = `${path}.${index}`;
        if (typeof entry !== 'object') throw SqsErrors.missingParameter(`${entryPath}.${shape.key}`);
        const key = entry[shape.key];
        if (typeof key !== 'string') throw SqsErrors.missingParameter(`${entryPath}.${shape.key}`);
        let value = readShape(shape.valueShape, entry[shape.value], `${entryPath}.${shape.value}`);
        if (value === undefined) {
          // A structured value (message attribute) without fields still reaches requests.ts, which names what is
          // missing the way SQS does; a plain value is simply required.
          if (shape.valueShape.kind !== 'struct') throw SqsErrors.missingParameter(`${entryPath}.${shape.value}`);
          value = {};
        }
        if (out[key] === undefined) out[key] = value;
      }
      return out;
    }
  }
}

function readStruct(shape: StructShape, node: ParameterTree, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  const prefix = path === '' ? '' : `${path}.`;
  for (const member in shape.members) {
    const memberShape = shape.members[member]!;
    const location = memberShape.kind === 'list' || memberShape.kind === 'map' ? memberShape.location : member;
    const value = readShape(memberShape, node[location], prefix + location);
    if (value !== undefined) out[member] = value;
  }
  return out;
}

/**
 * The JSON-shaped input of one operation from its parameter tree: the object `requests.ts` reads for AWS JSON,
 * built from the flattened query keys. Unknown parameters (`Action`, `Version`, SigV4 query parameters, …) are ignored.
 * @throws SqsError InvalidParameterValue for an integer member that is not an int32; MissingParameter for a map entry
 *   without its key (`Attribute.1.Name`) or a plain map entry without its value.
 */
export function queryInputOf(shape: StructShape, tree: ParameterTree): JsonObject {
  return readStruct(shape, tree, '');
}
