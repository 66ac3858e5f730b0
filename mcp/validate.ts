// Checks tool arguments against the tools' own JSON Schemas (mcp/schemas.ts), so the schemas the caller sees
// are exactly what the server enforces. Covers the subset those schemas use; messages name the argument.
import type { JsonSchema } from './schemas';

export class ArgumentError extends Error {}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function matchesType(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  if (t === 'number') return actual === 'number' || actual === 'integer';
  return actual === t;
}

function check(value: unknown, schema: JsonSchema, path: string, extraKeyHint: string): void {
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => matchesType(value, t))) {
      throw new ArgumentError(`${path} must be ${types.join(' or ')} (got ${typeOf(value)})`);
    }
  }
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new ArgumentError(`${path} must be a finite number`);
  if (schema.enum && !schema.enum.includes(value as string | number)) {
    throw new ArgumentError(`${path} must be one of ${schema.enum.join(', ')}`);
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      throw new ArgumentError(`${path} must not be shorter than ${schema.minLength} characters`);
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      throw new ArgumentError(`${path} is longer than the maximum of ${schema.maxLength} characters`);
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum)
      throw new ArgumentError(`${path} must be at least ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum)
      throw new ArgumentError(`${path} must be at most ${schema.maximum}`);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) {
      throw new ArgumentError(`${path} must be greater than ${schema.exclusiveMinimum}`);
    }
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      throw new ArgumentError(`${path} has more than the maximum of ${schema.maxItems} items`);
    }
    if (schema.items)
      value.forEach((item, i) => check(item, schema.items as JsonSchema, `${path}[${i}]`, extraKeyHint));
  }
  if (typeOf(value) === 'object' && (schema.properties || schema.additionalProperties !== undefined)) {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (obj[key] === undefined)
        throw new ArgumentError(`${path === 'arguments' ? '' : `${path}.`}${key} is required`);
    }
    const props = schema.properties ?? {};
    for (const [key, v] of Object.entries(obj)) {
      const sub = Object.hasOwn(props, key) ? props[key] : undefined;
      const name = `${path === 'arguments' ? '' : `${path}.`}${key}`;
      if (sub) {
        // JSON has no undefined; a null for an optional argument is treated as absent, as most clients mean it.
        if (v === null && !(schema.required ?? []).includes(key) && !acceptsNull(sub)) continue;
        check(v, sub, name, extraKeyHint);
      } else if (schema.additionalProperties === false) {
        const accepted = Object.keys(props);
        throw new ArgumentError(
          `unknown argument "${key}" (accepted: ${accepted.length ? accepted.join(', ') : 'none'}). ${extraKeyHint}`.trim(),
        );
      } else if (typeof schema.additionalProperties === 'object') {
        check(v, schema.additionalProperties, name, extraKeyHint);
      }
    }
  }
}

function acceptsNull(schema: JsonSchema): boolean {
  return Array.isArray(schema.type) ? schema.type.includes('null') : schema.type === 'null';
}

/**
 * Validates a tool's arguments and returns them with null optionals dropped; throws ArgumentError with one
 * sentence naming the first problem.
 */
export function validateArguments(
  args: unknown,
  schema: JsonSchema,
  extraKeyHint = '',
): Record<string, unknown> {
  const value = args ?? {};
  check(value, schema, 'arguments', extraKeyHint);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== null) out[k] = v;
  return out;
}
