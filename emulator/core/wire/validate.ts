import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { NormalizedSchema } from '@smithy/core/schema';

/**
 * Checks an operation's input against its model before any provider runs:
 * required members from the SDK schema, and lengths, patterns, enums and
 * ranges from `models/aws-constraints.json`, which is generated from AWS's
 * current Smithy models (see models/README.md). The console reads the same
 * generated file for its own validation; the two never share code.
 */

interface ShapeConstraint {
  type: string;
  min?: number;
  max?: number;
  pattern?: string;
  patternFlags?: string;
  values?: (string | number)[];
  member?: string;
  key?: string;
  value?: string;
}

interface ServiceConstraints {
  shapes: Record<string, ShapeConstraint>;
  members: Record<string, Record<string, string | string[]>>;
}

interface ConstraintsFile {
  services: Record<string, ServiceConstraints>;
}

export interface Violation {
  /** Where, as AWS's validators write it: `repositoryName`, `tags.1.member.key`. */
  path: string;
  value: unknown;
  /** The failed constraint, in AWS's words: `Member must not be null`. */
  constraint: string;
}

const CONSTRAINTS_FILE = path.resolve(__dirname, '..', '..', '..', 'models', 'aws-constraints.json');

let loaded: ConstraintsFile | null | undefined;
function constraintsFile(): ConstraintsFile | null {
  if (loaded === undefined) {
    loaded = existsSync(CONSTRAINTS_FILE) ? (JSON.parse(readFileSync(CONSTRAINTS_FILE, 'utf8')) as ConstraintsFile) : null;
  }
  return loaded;
}

export function serviceConstraints(service: string): ServiceConstraints | undefined {
  return constraintsFile()?.services[service];
}

const patternCache = new Map<string, RegExp | null>();
function compiled(c: ShapeConstraint): RegExp | null {
  const key = `${c.patternFlags ?? 'u'}/${c.pattern}`;
  let re = patternCache.get(key);
  if (re === undefined) {
    try {
      re = new RegExp(c.pattern!, c.patternFlags ?? 'u');
    } catch {
      re = null;
    }
    patternCache.set(key, re);
  }
  return re;
}

function lengthOf(value: unknown): number | undefined {
  if (typeof value === 'string') return [...value].length;
  if (Array.isArray(value)) return value.length;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value && typeof value === 'object') return Object.keys(value).length;
  return undefined;
}

function checkShape(c: ShapeConstraint | undefined, value: unknown, where: string, out: Violation[]): void {
  if (!c || value === undefined || value === null) return;
  if (c.type === 'enum' || c.type === 'intEnum') {
    if (c.values && !c.values.includes(value as string | number)) {
      out.push({ path: where, value, constraint: `Member must satisfy enum value set: [${c.values.join(', ')}]` });
    }
    return;
  }
  if (typeof value === 'number' && (c.min !== undefined || c.max !== undefined) && !['string', 'list', 'map', 'blob'].includes(c.type)) {
    if (c.min !== undefined && value < c.min) out.push({ path: where, value, constraint: `Member must have value greater than or equal to ${c.min}` });
    if (c.max !== undefined && value > c.max) out.push({ path: where, value, constraint: `Member must have value less than or equal to ${c.max}` });
    return;
  }
  const len = lengthOf(value);
  if (len !== undefined) {
    if (c.min !== undefined && len < c.min) out.push({ path: where, value, constraint: `Member must have length greater than or equal to ${c.min}` });
    if (c.max !== undefined && len > c.max) out.push({ path: where, value, constraint: `Member must have length less than or equal to ${c.max}` });
  }
  if (typeof value === 'string' && c.pattern) {
    const re = compiled(c);
    if (re && !re.test(value)) out.push({ path: where, value, constraint: `Member must satisfy regular expression pattern: ${c.pattern}` });
  }
}

function requiredOf(schema: NormalizedSchema): string[] {
  const raw = schema.getSchema() as unknown;
  if (!Array.isArray(raw) || raw[0] !== 3) return [];
  const names = (raw[4] ?? []) as string[];
  return names.slice(0, typeof raw[6] === 'number' ? raw[6] : 0);
}

function walk(schema: NormalizedSchema, shapeName: string | undefined, value: unknown, where: string, sc: ServiceConstraints | undefined, out: Violation[]): void {
  if (value === undefined || value === null) return;
  const c = shapeName ? sc?.shapes[shapeName] : undefined;
  checkShape(c, value, where, out);
  // AWS's front ends name a member by its wire name with a lower-case first
  // letter ("Value null at 'rules.1.member.name'", "at 'roleSessionName'"),
  // whatever case the model spells it in.
  const join = (k: string) => {
    const seg = k.charAt(0).toLowerCase() + k.slice(1);
    return where === '' ? seg : `${where}.${seg}`;
  };
  if (schema.isStructSchema() && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const structName = schema.getName() ?? '';
    const memberShapes = sc?.members[structName] ?? {};
    for (const name of requiredOf(schema)) {
      if (obj[name] === undefined || obj[name] === null) out.push({ path: join(name), value: null, constraint: 'Member must not be null' });
    }
    for (const [name, member] of schema.structIterator()) {
      const target = memberShapes[name];
      walk(member, typeof target === 'string' ? target : undefined, obj[name], join(name), sc, out);
    }
  } else if (schema.isListSchema() && Array.isArray(value)) {
    const itemShape = c?.member;
    value.forEach((item, i) => walk(schema.getValueSchema(), itemShape, item, `${where}.${i + 1}.member`, sc, out));
  } else if (schema.isMapSchema() && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      checkShape(c?.key ? sc?.shapes[c.key] : undefined, k, `${where}.${k}.key`, out);
      walk(schema.getValueSchema(), c?.value, v, `${where}.${k}.value`, sc, out);
    }
  }
}

/** Every way `input` breaks the operation's model, in document order. */
export function validateInput(schema: NormalizedSchema, input: Record<string, unknown>, service: string): Violation[] {
  const out: Violation[] = [];
  walk(schema, undefined, input, '', serviceConstraints(service), out);
  return out;
}

function shown(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `'${JSON.stringify(value)}'`;
}

/** AWS's standard validation message: "2 validation errors detected: Value 'x' at 'a' failed to satisfy constraint: …; …". */
export function validationMessage(violations: readonly Violation[]): string {
  const n = violations.length;
  const parts = violations.map((v) => `Value ${shown(v.value)} at '${v.path}' failed to satisfy constraint: ${v.constraint}`);
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${parts.join('; ')}`;
}
