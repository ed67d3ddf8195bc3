// The console's reader of models/aws-constraints.json: lengths, patterns,
// ranges and enums generated from AWS's own service models
// (scripts/generate-aws-constraints.mjs; models/README.md says how). The
// emulator reads the same file with its own reader; the two share no code.
//
// Every look-up happens when a schema module is first imported, so a shape
// that AWS renamed or dropped, or a file regenerated without it, stops the
// console at start (and fails the tests) instead of quietly validating nothing.

// The console reads models/console-constraints/<service>.json, the part of
// models/aws-constraints.json its look-ups name (scripts/console-constraints.mjs
// writes them): forms validate in the browser, and the whole file would weigh
// on every page with a form. One file per service, registered by
// lib/validation/constraints/<service>.ts, which a module imports before its
// look-ups: a form's chunk then carries its own service's rules, not every
// service's.

export type Service = 'ecr' | 'ecr-public' | 's3' | 'cloudfront' | 'wafv2' | 'sts' | 'iam';

type Bounds = { min?: number; max?: number };
type Shape =
  | ({ type: 'string' | 'blob'; pattern?: string; patternFlags?: string } & Bounds)
  | { type: 'enum'; values: string[] }
  | { type: 'intEnum'; values: number[] }
  | ({ type: 'list'; member?: string } & Bounds)
  | ({ type: 'map'; key?: string; value?: string } & Bounds)
  | { type: 'structure' | 'union' }
  | ({ type: 'byte' | 'short' | 'integer' | 'long' | 'float' | 'double' | 'bigInteger' | 'bigDecimal' } & Bounds);

interface ServiceConstraints {
  model: string;
  apiVersion: string;
  shapes: Record<string, Shape>;
  members: Record<string, Record<string, string | string[]>>;
}

const loaded: Partial<Record<Service, ServiceConstraints>> = {};

/** Registers a service's constraints (lib/validation/constraints/<service>.ts). */
export function provideConstraints(service: Service, data: unknown): void {
  loaded[service] = data as ServiceConstraints;
}

function constraintsOf(service: Service): ServiceConstraints {
  const c = loaded[service];
  if (!c) throw new Error(`${service}'s model constraints are not loaded: import '@/lib/validation/constraints/${service}' before looking them up`);
  return c;
}

function shape(service: Service, name: string): Shape {
  const s = constraintsOf(service).shapes[name];
  if (!s) throw new Error(`models/console-constraints/${service}.json has no ${service} shape ${name}: run node scripts/console-constraints.mjs (or AWS's model changed, see models/README.md)`);
  return s;
}

/** A string shape's rule: its length in characters (Unicode code points) and its pattern. */
export interface StringRule {
  min?: number;
  max?: number;
  /** The model's pattern, compiled as the model writes it: not implicitly anchored. */
  pattern?: RegExp;
}

export function stringRule(service: Service, name: string): StringRule {
  const s = shape(service, name);
  if (s.type !== 'string') throw new Error(`${service} shape ${name} is a ${s.type}, not a string`);
  return {
    ...(s.min !== undefined ? { min: s.min } : {}),
    ...(s.max !== undefined ? { max: s.max } : {}),
    ...(s.pattern !== undefined ? { pattern: new RegExp(s.pattern, s.patternFlags ?? 'u') } : {}),
  };
}

/** The shape a structure's member points at (`CreateRepositoryRequest.repositoryName` → `RepositoryName`). */
export function memberShape(service: Service, structure: string, member: string): string {
  const target = constraintsOf(service).members[structure]?.[member];
  if (typeof target !== 'string') throw new Error(`models/console-constraints/${service}.json has no ${service} member ${structure}.${member}`);
  return target;
}

/**
 * Smithy counts a string's length in Unicode scalar values, not UTF-16 units:
 * https://smithy.io/2.0/spec/constraint-traits.html#length-trait
 */
export function codePoints(value: string): number {
  let n = value.length;
  // Each surrogate pair is one code point in two UTF-16 units.
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Whether a value satisfies a string rule: the same test AWS applies before it looks at anything else. */
export function satisfies(rule: StringRule, value: string): boolean {
  const n = codePoints(value);
  if (rule.min !== undefined && n < rule.min) return false;
  if (rule.max !== undefined && n > rule.max) return false;
  return rule.pattern === undefined || rule.pattern.test(value);
}

/** Min and max of a number (range) or of a list or map (entries). */
export function boundsOf(service: Service, name: string): Bounds {
  const s = shape(service, name);
  if (!('min' in s || 'max' in s)) throw new Error(`${service} shape ${name} has no bounds`);
  const b = s as Bounds;
  return { ...(b.min !== undefined ? { min: b.min } : {}), ...(b.max !== undefined ? { max: b.max } : {}) };
}

export function enumValues(service: Service, name: string): readonly string[] {
  const s = shape(service, name);
  if (s.type !== 'enum') throw new Error(`${service} shape ${name} is a ${s.type}, not an enum`);
  return s.values;
}

/**
 * The values a form offers, checked against the model's enum: a form may offer
 * fewer (say, not the settings that need fields it does not have), but never
 * one AWS no longer takes.
 */
export function enumSubset<const T extends readonly [string, ...string[]]>(service: Service, name: string, offered: T): T {
  const values = enumValues(service, name);
  const gone = offered.filter((v) => !values.includes(v));
  if (gone.length) throw new Error(`${service} enum ${name} no longer has ${gone.join(', ')} (it has ${values.join(', ')})`);
  return offered;
}
