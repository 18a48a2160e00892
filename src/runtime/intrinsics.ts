/** @module runtime/intrinsics: CloudFormation intrinsic functions (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, …) to plan values. */
import {
  PSEUDO_PARAMETERS,
  type PlanValue,
  type PseudoParameter,
  QUEUE_ATTRIBUTES,
  type QueueAttribute,
  type ValuePart,
} from './plan.ts';

/** A template the runtime cannot read; `where` names the resource and property. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
  }
}

/** What a `Ref` or `Fn::GetAtt` may point at, besides queues. */
export interface IntrinsicScope {
  readonly stackName: string;
  /** Logical ids of `AWS::SQS::Queue` resources. */
  readonly queues: ReadonlySet<string>;
  /** Logical id → function name of `AWS::Lambda::Function` resources. */
  readonly functionNames: ReadonlyMap<string, string>;
  /** Logical id → name of `AWS::Logs::LogGroup` resources. */
  readonly logGroupNames: ReadonlyMap<string, string>;
  /** Template parameters with a `Default`. */
  readonly parameterDefaults: ReadonlyMap<string, string>;
  /** The template's `Mappings` section. */
  readonly mappings: Readonly<Record<string, unknown>>;
}

/** Marker for `{"Ref": "AWS::NoValue"}`: the property is treated as absent. */
export const NO_VALUE = Symbol('AWS::NoValue');

const isPseudo = (name: string): name is PseudoParameter => (PSEUDO_PARAMETERS as readonly string[]).includes(name);
const isQueueAttribute = (name: string): name is QueueAttribute => (QUEUE_ATTRIBUTES as readonly string[]).includes(name);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Concatenates parts, merging adjacent literals; all-literal values become a plain string. */
export function concatParts(values: readonly PlanValue[]): PlanValue {
  const parts: ValuePart[] = [];
  for (const value of values) {
    for (const part of typeof value === 'string' ? [value] : value) {
      const last = parts.at(-1);
      if (typeof part === 'string' && typeof last === 'string') parts[parts.length - 1] = last + part;
      else if (part !== '') parts.push(part);
    }
  }
  if (parts.length === 0) return '';
  if (parts.length === 1 && typeof parts[0] === 'string') return parts[0];
  return parts;
}

/** The value as literal text, or undefined when it depends on something only known at run time. */
export function literalOf(value: PlanValue): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Evaluates a template value into a plan value. Queue URLs/ARNs/names and the region/account pseudo parameters stay
 * symbolic; everything else (function and log group names, parameter defaults, `AWS::StackName`) is resolved now.
 * @throws TemplateError for an unsupported intrinsic (`Fn::If`, `Fn::ImportValue`, a `Ref` to a resource type the
 *   runtime does not know) or a malformed one.
 */
export function evaluate(value: unknown, scope: IntrinsicScope, where: string): PlanValue | typeof NO_VALUE {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isRecord(value)) throw new TemplateError(where, `expected a string or an intrinsic function, got ${JSON.stringify(value)}`);
  const keys = Object.keys(value);
  const [key] = keys;
  if (keys.length !== 1 || key === undefined) throw new TemplateError(where, `expected one intrinsic function, got ${JSON.stringify(value)}`);
  const arg = value[key];
  switch (key) {
    case 'Ref':
      if (typeof arg !== 'string') throw new TemplateError(where, 'Ref takes a name');
      return ref(arg, scope, where);
    case 'Fn::GetAtt': {
      const [id, attribute] = typeof arg === 'string' ? splitOnce(arg, '.') : Array.isArray(arg) ? arg : [];
      if (typeof id !== 'string' || typeof attribute !== 'string') throw new TemplateError(where, 'Fn::GetAtt takes [LogicalId, Attribute]');
      return getAtt(id, attribute, scope, where);
    }
    case 'Fn::Join': {
      if (!Array.isArray(arg) || typeof arg[0] !== 'string' || !Array.isArray(arg[1])) throw new TemplateError(where, 'Fn::Join takes [delimiter, [values]]');
      const delimiter = arg[0];
      const items = (arg[1] as unknown[]).map((item) => evaluateRequired(item, scope, where));
      return concatParts(items.flatMap((item, index) => (index === 0 ? [item] : [delimiter, item])));
    }
    case 'Fn::Sub':
      return sub(arg, scope, where);
    case 'Fn::Select': {
      if (!Array.isArray(arg) || arg.length !== 2) throw new TemplateError(where, 'Fn::Select takes [index, list]');
      const index = Number(literalOf(evaluateRequired(arg[0], scope, where)));
      const list = listOf(arg[1], scope, where);
      const item = list[index];
      if (!Number.isInteger(index) || item === undefined) throw new TemplateError(where, `Fn::Select index ${String(arg[0])} is out of range`);
      return item;
    }
    case 'Fn::FindInMap': {
      if (!Array.isArray(arg) || arg.length < 3) throw new TemplateError(where, 'Fn::FindInMap takes [map, topKey, secondKey]');
      const [map, top, second] = arg.slice(0, 3).map((item) => literalOf(evaluateRequired(item, scope, where)));
      const found = isRecord(scope.mappings[map ?? '']) ? (scope.mappings[map ?? ''] as Record<string, unknown>)[top ?? ''] : undefined;
      const leaf = isRecord(found) ? found[second ?? ''] : undefined;
      if (leaf === undefined) throw new TemplateError(where, `Fn::FindInMap ${JSON.stringify(arg)} finds nothing`);
      return evaluate(leaf, scope, where);
    }
    default:
      throw new TemplateError(where, `${key} is not supported by the local runtime`);
  }
}

/** Like {@link evaluate}, but `AWS::NoValue` is an error. */
export function evaluateRequired(value: unknown, scope: IntrinsicScope, where: string): PlanValue {
  const result = evaluate(value, scope, where);
  if (result === NO_VALUE) throw new TemplateError(where, 'AWS::NoValue is not allowed here');
  return result;
}

function listOf(value: unknown, scope: IntrinsicScope, where: string): PlanValue[] {
  if (Array.isArray(value)) return value.map((item) => evaluateRequired(item, scope, where));
  if (isRecord(value) && 'Fn::Split' in value) {
    const arg = value['Fn::Split'];
    if (!Array.isArray(arg) || typeof arg[0] !== 'string') throw new TemplateError(where, 'Fn::Split takes [delimiter, text]');
    const text = literalOf(evaluateRequired(arg[1], scope, where));
    if (text === undefined) throw new TemplateError(where, 'Fn::Split of a queue URL or ARN is not supported by the local runtime');
    return text.split(arg[0]);
  }
  throw new TemplateError(where, 'expected a list');
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

function ref(name: string, scope: IntrinsicScope, where: string): PlanValue | typeof NO_VALUE {
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (name === 'AWS::StackName') return scope.stackName;
  if (name === 'AWS::StackId') return [`arn:`, { pseudo: 'AWS::Partition' }, ':cloudformation:', { pseudo: 'AWS::Region' }, ':', { pseudo: 'AWS::AccountId' }, `:stack/${scope.stackName}/local`];
  if (isPseudo(name)) return [{ pseudo: name }];
  if (scope.queues.has(name)) return [{ queue: name, attribute: 'QueueUrl' }];
  const functionName = scope.functionNames.get(name);
  if (functionName !== undefined) return functionName;
  const logGroup = scope.logGroupNames.get(name);
  if (logGroup !== undefined) return logGroup;
  const parameter = scope.parameterDefaults.get(name);
  if (parameter !== undefined) return parameter;
  throw new TemplateError(where, `Ref ${name}: not a queue, function, log group or parameter with a default`);
}

function getAtt(id: string, attribute: string, scope: IntrinsicScope, where: string): PlanValue {
  if (scope.queues.has(id)) {
    if (!isQueueAttribute(attribute)) throw new TemplateError(where, `Fn::GetAtt ${id}.${attribute}: queues have Arn, QueueName, QueueUrl`);
    return [{ queue: id, attribute }];
  }
  const functionName = scope.functionNames.get(id);
  if (functionName !== undefined && attribute === 'Arn') {
    return ['arn:', { pseudo: 'AWS::Partition' }, ':lambda:', { pseudo: 'AWS::Region' }, ':', { pseudo: 'AWS::AccountId' }, `:function:${functionName}`];
  }
  const logGroup = scope.logGroupNames.get(id);
  if (logGroup !== undefined && attribute === 'Arn') {
    return ['arn:', { pseudo: 'AWS::Partition' }, ':logs:', { pseudo: 'AWS::Region' }, ':', { pseudo: 'AWS::AccountId' }, `:log-group:${logGroup}:*`];
  }
  throw new TemplateError(where, `Fn::GetAtt ${id}.${attribute} is not supported by the local runtime`);
}

/** `Fn::Sub`: `${Name}`, `${Id.Attr}`, `${AWS::Region}`, `${!Literal}`, with an optional variable map. */
function sub(arg: unknown, scope: IntrinsicScope, where: string): PlanValue {
  const [template, variables] = typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) ? arg : [];
  if (typeof template !== 'string' || !isRecord(variables)) throw new TemplateError(where, 'Fn::Sub takes a string or [string, {variables}]');
  const pieces: PlanValue[] = [];
  let rest = template;
  for (let start = rest.indexOf('${'); start >= 0; start = rest.indexOf('${')) {
    const end = rest.indexOf('}', start);
    if (end < 0) break;
    pieces.push(rest.slice(0, start));
    const name = rest.slice(start + 2, end);
    rest = rest.slice(end + 1);
    if (name.startsWith('!')) {
      pieces.push(`\${${name.slice(1)}}`);
    } else if (name in variables) {
      pieces.push(evaluateRequired(variables[name], scope, where));
    } else if (name.includes('.') && !name.startsWith('AWS::')) {
      const [id, attribute] = splitOnce(name, '.');
      pieces.push(getAtt(id, attribute, scope, where));
    } else {
      const value = ref(name, scope, where);
      if (value === NO_VALUE) throw new TemplateError(where, 'AWS::NoValue in Fn::Sub');
      pieces.push(value);
    }
  }
  pieces.push(rest);
  return concatParts(pieces);
}
