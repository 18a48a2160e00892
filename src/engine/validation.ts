/** @module engine/validation: the checks SQS applies to message bodies, attributes, ids and batches. */
import { EngineError, Errors } from './errors.ts';
import {
  MAX_ATTRIBUTE_NAME_LENGTH,
  MAX_BATCH_ENTRIES,
  MAX_BATCH_ENTRY_ID_LENGTH,
  MAX_DATA_TYPE_LENGTH,
  MAX_MESSAGE_ATTRIBUTES,
} from './limits.ts';
import type { MessageAttributeMap, MessageAttributeValue } from './types.ts';

/** Characters SQS refuses in bodies and string values (anything outside XML 1.0 Char). */
const INVALID_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** Group ids, dedup ids, attempt ids: 1–128 printable ASCII characters, no space. */
const PRINTABLE_ID = /^[\x21-\x7E]{1,128}$/;
const BATCH_ENTRY_ID = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_BATCH_ENTRY_ID_LENGTH}}$`);
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]+$/;
const DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;
const NUMBER_VALUE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function hasInvalidCharacters(text: string): boolean {
  return INVALID_CHARS.test(text);
}

/** Throws InvalidMessageContents when the body has a character SQS does not accept. */
export function checkBody(body: string): void {
  if (body.length === 0) throw Errors.missingParameter('MessageBody');
  if (hasInvalidCharacters(body)) {
    throw new EngineError(
      'InvalidMessageContents',
      'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    );
  }
}

/** Throws InvalidParameterValue unless `value` is a valid group / deduplication / attempt id. */
export function checkPrintableId(parameter: string, value: string, what: string): void {
  if (!PRINTABLE_ID.test(value)) {
    throw Errors.invalidParameter(
      parameter,
      value,
      `${what} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    );
  }
}

function attributeValueBytes(value: MessageAttributeValue): number {
  if (value.stringValue !== undefined) return Buffer.byteLength(value.stringValue, 'utf8');
  if (value.binaryValue !== undefined) return value.binaryValue.byteLength;
  let total = 0;
  for (const s of value.stringListValues ?? []) total += Buffer.byteLength(s, 'utf8');
  for (const b of value.binaryListValues ?? []) total += b.byteLength;
  return total;
}

/** Size SQS counts against MaximumMessageSize: body + attribute names, data types and values, in UTF-8 bytes. */
export function messageSize(body: string, attributes: MessageAttributeMap | undefined): number {
  let size = Buffer.byteLength(body, 'utf8');
  if (attributes) {
    for (const name in attributes) {
      const value = attributes[name]!;
      size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value.dataType, 'utf8') + attributeValueBytes(value);
    }
  }
  return size;
}

function checkAttributeName(name: string, kind: string): void {
  const lower = name.toLowerCase();
  const isValid =
    name.length > 0 &&
    name.length <= MAX_ATTRIBUTE_NAME_LENGTH &&
    ATTRIBUTE_NAME.test(name) &&
    !lower.startsWith('aws.') &&
    !lower.startsWith('amazon.') &&
    !name.startsWith('.') &&
    !name.endsWith('.') &&
    !name.includes('..');
  if (!isValid) {
    throw new EngineError(
      'InvalidParameterValue',
      `Message (${kind}) attribute name '${name}' is invalid. An attribute name can contain A-Z, a-z, 0-9, underscore (_), hyphen (-), and period (.), must not start or end with a period, must not contain consecutive periods, must not start with 'AWS.' or 'Amazon.', and can be up to 256 characters long.`,
    );
  }
}

/**
 * Checks user message attributes (count, names, data types, values) as SQS does.
 * Throws InvalidParameterValue (or InvalidMessageContents for bad characters in a value).
 */
export function checkMessageAttributes(attributes: MessageAttributeMap | undefined, kind = 'user'): void {
  if (!attributes) return;
  const names = Object.keys(attributes);
  if (names.length > MAX_MESSAGE_ATTRIBUTES) {
    throw new EngineError(
      'InvalidParameterValue',
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`,
    );
  }
  for (const name of names) {
    checkAttributeName(name, kind);
    const value = attributes[name]!;
    const dataType = value.dataType;
    if (!dataType) {
      throw new EngineError('InvalidParameterValue', `The message attribute '${name}' must contain non-empty message attribute type.`);
    }
    const match = DATA_TYPE.exec(dataType);
    if (!match || dataType.length > MAX_DATA_TYPE_LENGTH || hasInvalidCharacters(dataType)) {
      throw new EngineError(
        'InvalidParameterValue',
        `The type of message (${kind}) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    }
    const base = match[1]!;
    if (value.stringListValues?.length || value.binaryListValues?.length) {
      // The model reserves list values; SQS answers that they are not supported yet.
      throw new EngineError('InvalidParameterValue', `Message (${kind}) attribute '${name}': list values are not supported.`);
    }
    if (base === 'Binary') {
      if (value.binaryValue === undefined || value.binaryValue.byteLength === 0) {
        throw new EngineError('InvalidParameterValue', `Message (${kind}) attribute '${name}' must contain a non-empty value of type 'Binary'.`);
      }
      if (value.stringValue !== undefined) {
        throw new EngineError('InvalidParameterValue', `Message (${kind}) attribute '${name}' with type 'Binary' must use field 'Binary'.`);
      }
      continue;
    }
    if (value.stringValue === undefined || value.stringValue.length === 0) {
      throw new EngineError('InvalidParameterValue', `Message (${kind}) attribute '${name}' must contain a non-empty value of type '${base}'.`);
    }
    if (value.binaryValue !== undefined) {
      throw new EngineError('InvalidParameterValue', `Message (${kind}) attribute '${name}' with type '${base}' must use field 'String'.`);
    }
    if (hasInvalidCharacters(value.stringValue)) {
      throw new EngineError('InvalidMessageContents', `Message (${kind}) attribute '${name}' contains invalid characters.`);
    }
    if (base === 'Number' && !isValidNumber(value.stringValue)) {
      throw new EngineError('InvalidParameterValue', `Can't cast the value of message (${kind}) attribute '${name}' to a number.`);
    }
  }
}

/** SQS numbers: up to 38 significant digits, between -10^128 and 10^126. */
function isValidNumber(text: string): boolean {
  const trimmed = text.trim();
  if (!NUMBER_VALUE.test(trimmed)) return false;
  const digits = trimmed.replace(/[eE].*$/, '').replace(/[^0-9]/g, '').replace(/^0+/, '').replace(/0+$/, '');
  if (digits.length > 38) return false;
  const value = Number(trimmed);
  return Number.isFinite(value) && value <= 1e126 && value >= -1e128;
}

/** Checks the whole-request rules every batch action shares: count, entry ids and their uniqueness. */
export function checkBatchEntries(entries: ReadonlyArray<{ id: string }>, entryShape: string): void {
  if (entries.length === 0) {
    throw new EngineError('EmptyBatchRequest', `There should be at least one ${entryShape} in the request.`);
  }
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw new EngineError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`,
    );
  }
  const seen = new Set<string>();
  for (const { id } of entries) {
    if (!BATCH_ENTRY_ID.test(id)) {
      throw new EngineError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    }
    if (seen.has(id)) throw new EngineError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    seen.add(id);
  }
}
