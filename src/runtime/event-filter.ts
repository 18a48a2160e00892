/**
 * @module runtime/event-filter: FilterCriteria of an event source mapping (spec §F.7): EventBridge-style patterns on
 * the record (`body`, `attributes`, `messageAttributes`, …). Several filters are OR-ed.
 */
import type { SQSRecord } from 'aws-lambda';

/** A pattern Lambda would refuse at CreateEventSourceMapping. */
export class InvalidFilterPatternError extends Error {
  override readonly name = 'InvalidFilterPatternError';
  constructor(readonly pattern: string) {
    super(`Invalid filter pattern definition. (${pattern})`);
  }
}

type Matcher = (value: unknown, isPresent: boolean) => boolean;
type Pattern = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NUMERIC_OPERATORS: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/** One element of a leaf array: a literal or an operator object. */
function leafMatcher(spec: unknown, pattern: string): Matcher {
  if (spec === null || typeof spec === 'string' || typeof spec === 'number' || typeof spec === 'boolean') {
    return (value, isPresent) => isPresent && (value === spec || (typeof spec === 'number' && typeof value === 'number' && value === spec));
  }
  if (!isRecord(spec) || Object.keys(spec).length !== 1) throw new InvalidFilterPatternError(pattern);
  const [[operator, arg]] = Object.entries(spec) as [[string, unknown]];
  switch (operator) {
    case 'prefix':
      if (typeof arg !== 'string') throw new InvalidFilterPatternError(pattern);
      return (value) => typeof value === 'string' && value.startsWith(arg);
    case 'suffix':
      if (typeof arg !== 'string') throw new InvalidFilterPatternError(pattern);
      return (value) => typeof value === 'string' && value.endsWith(arg);
    case 'equals-ignore-case':
      if (typeof arg !== 'string') throw new InvalidFilterPatternError(pattern);
      return (value) => typeof value === 'string' && value.toLowerCase() === arg.toLowerCase();
    case 'exists':
      if (typeof arg !== 'boolean') throw new InvalidFilterPatternError(pattern);
      return (_value, isPresent) => isPresent === arg;
    case 'anything-but': {
      const inner = isRecord(arg) ? leafMatcher(arg, pattern) : undefined;
      const excluded = Array.isArray(arg) ? arg : [arg];
      return (value, isPresent) => isPresent && (inner === undefined ? !excluded.includes(value) : !inner(value, isPresent));
    }
    case 'numeric': {
      if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0) throw new InvalidFilterPatternError(pattern);
      const checks: Array<(n: number) => boolean> = [];
      for (let i = 0; i < arg.length; i += 2) {
        const compare = NUMERIC_OPERATORS[String(arg[i])];
        const bound = arg[i + 1];
        if (compare === undefined || typeof bound !== 'number') throw new InvalidFilterPatternError(pattern);
        checks.push((n) => compare(n, bound));
      }
      return (value) => typeof value === 'number' && checks.every((check) => check(value));
    }
    default:
      throw new InvalidFilterPatternError(pattern);
  }
}

/** A compiled object pattern: every key must match (`$or` takes any of its sub-patterns). */
function compileObject(pattern: Pattern, text: string): (event: unknown) => boolean {
  const checks: Array<(event: Record<string, unknown>) => boolean> = [];
  for (const [key, spec] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(spec) || spec.length < 2) throw new InvalidFilterPatternError(text);
      const alternatives = spec.map((item) => (isRecord(item) ? compileObject(item, text) : invalid(text)));
      checks.push((event) => alternatives.some((alternative) => alternative(event)));
    } else if (isRecord(spec)) {
      const nested = compileObject(spec, text);
      checks.push((event) => nested(event[key]));
    } else if (Array.isArray(spec) && spec.length > 0) {
      const matchers = spec.map((item) => leafMatcher(item, text));
      checks.push((event) => {
        const isPresent = key in event;
        const value = event[key];
        // An array in the event matches when any of its elements does.
        const values = Array.isArray(value) ? value : [value];
        return matchers.some((matcher) => values.some((item) => matcher(item, isPresent)));
      });
    } else {
      throw new InvalidFilterPatternError(text);
    }
  }
  return (event) => isRecord(event) && checks.every((check) => check(event));
}

function invalid(text: string): never {
  throw new InvalidFilterPatternError(text);
}

/**
 * Compiles the mapping's filter patterns into one predicate (true = invoke with the record). No patterns: all pass.
 * A JSON body is matched as an object; a body that is not JSON can only match a plain-string `body` pattern.
 * @throws InvalidFilterPatternError for a pattern Lambda would refuse.
 */
export function compileFilters(patterns: readonly string[]): (record: SQSRecord) => boolean {
  if (patterns.length === 0) return () => true;
  const compiled = patterns.map((text) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new InvalidFilterPatternError(text);
    }
    if (!isRecord(parsed)) throw new InvalidFilterPatternError(text);
    return compileObject(parsed, text);
  });
  return (record) => {
    let body: unknown = record.body;
    try {
      body = JSON.parse(record.body);
    } catch {
      // Not JSON: only a string pattern on body can match.
    }
    const view = { ...record, body };
    return compiled.some((matches) => matches(view));
  };
}
