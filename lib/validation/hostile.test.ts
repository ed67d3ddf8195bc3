import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';

// Every server action is a public POST endpoint, so its schema meets whatever a
// hostile client sends. Property: for every action's schema and any value at
// all, safeParse returns (never throws), and a refusal is a list of sentences
// tied to the fields that were wrong. A throw here is a 500 in production.

const ROOT = path.resolve(__dirname, '..', '..');

/** Every actions.ts under app/, as text. */
function actionFiles(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name === 'actions.ts') out.push({ file: path.relative(ROOT, p), text: fs.readFileSync(p, 'utf8') });
    }
  };
  walk(path.join(ROOT, 'app'));
  return out;
}

/** The schema each defineAction names, and the lib/validation module it is imported from. */
function actionSchemas(): { file: string; schema: string; module: string }[] {
  const found: { file: string; schema: string; module: string }[] = [];
  for (const { file, text } of actionFiles()) {
    const imports = new Map<string, string>();
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@\/lib\/validation\/([\w-]+)'/g)) {
      for (const name of m[1]!.split(',').map((s) => s.trim()).filter(Boolean)) imports.set(name.replace(/^type\s+/, ''), m[2]!);
    }
    for (const m of text.matchAll(/defineAction\(\s*\{[^]*?\bschema:\s*([^,}\s]+)/g)) {
      found.push({ file, schema: m[1]!, module: imports.get(m[1]!) ?? '' });
    }
  }
  return found;
}

// ---- hostile values -------------------------------------------------------

function nested(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

const HOSTILE_STRINGS: string[] = [
  '',
  ' ',
  '\t\r\n',
  'a'.repeat(1_000_001), // over the whole 1 MB body limit on its own
  'x'.repeat(70_000),
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2f',
  '/..',
  'a\u0000b',
  '\u0000',
  'ü',
  '😀'.repeat(400),
  '\u202eevil.txt',
  'e\u0301'.repeat(300),
  '\ud800',
  '\uFEFF',
  'İ',
  'ﬃ'.repeat(200),
  '{',
  '[',
  '{"key":',
  'null',
  '[null]',
  '[[[[[[[[[[]]]]]]]]]]',
  '['.repeat(100_000) + ']'.repeat(100_000),
  '{"__proto__":{"polluted":true}}',
  '[{"__proto__":{"polluted":true},"key":"a","value":"b"}]',
  '[{"key":{"toString":1},"value":[]}]',
  '{"key":"../../x","versionId":{"$ne":null}}',
  '1e999',
  '"string"',
  JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ key: `k${i}`, value: 'v' }))),
  '<script>alert(1)</script>',
  "'; DROP TABLE users; --",
  '${jndi:ldap://example.invalid/a}',
  'a-'.repeat(400) + '!',
  'a.'.repeat(5000),
  '/'.repeat(5000),
  'a/'.repeat(200) + '-',
  'a*'.repeat(2000),
  '\n/index.html\n' + '/x*\n'.repeat(3000),
  'sha256:' + 'g'.repeat(64),
  'arn:aws:cloudfront::123456789012:distribution/E../../',
];

const HOSTILE_OTHER: unknown[] = [
  undefined,
  null,
  true,
  false,
  0,
  -1,
  NaN,
  Infinity,
  1e308,
  2 ** 53 + 1,
  BigInt(1),
  [],
  [''],
  ['a', 'b'],
  Array.from({ length: 20_000 }, () => 'a'),
  {},
  { key: 'a' },
  Object.create(null),
  new Date(NaN),
  new Map([['a', 'b']]),
  new Set(['a']),
  nested(1000),
  new File(['x'], 'a.txt', { type: 'text/plain' }),
];

const HOSTILE: unknown[] = [...HOSTILE_STRINGS, ...HOSTILE_OTHER];

// Plausible values, so hostile ones also reach the checks behind the first field.
const GOOD: Record<string, unknown[]> = {
  bucket: ['site-bucket'],
  name: ['team-web'],
  existing: ['site-bucket'],
  region: ['us-east-1'],
  id: ['E2ABCDEFGHIJKL'],
  etag: ['E2QWRUHAPOMQZL'],
  confirm: ['site-bucket', 'team-web', 'E2ABCDEFGHIJKL'],
  digest: [`sha256:${'a'.repeat(64)}`],
  digests: [`sha256:${'a'.repeat(64)}`],
  key: ['index.html'],
  versionId: ['3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY'],
  items: ['{"key":"a.txt"}', ['{"key":"a.txt","versionId":"v1"}']],
  tags: ['[{"key":"team","value":"web"}]', ''],
  policy: [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site-bucket/*' }] })],
  status: ['Enabled'],
  enabled: ['true', 'on'],
  fix: ['use-oac'],
  paths: ['/index.html'],
  callerReference: ['0f0e8a52-6f6b-4b8e-9d4e-1234567890ab'],
  waf: ['off', 'existing', 'create'],
  webAclArn: ['arn:aws:wafv2:us-east-1:123456789012:global/webacl/core/0f0e8a52-6f6b-4b8e-9d4e-1234567890ab'],
  source: ['new', 'existing'],
  email: ['someone@example.com'],
  role: ['viewer'],
  password: ['a-long-enough-password'],
  oacId: ['E2ABCDEFGHIJKL'],
  oaiId: ['E2ABCDEFGHIJKL'],
  distributionArn: ['arn:aws:cloudfront::123456789012:distribution/E2ABCDEFGHIJKL'],
  originAccess: ['oac'],
  defaultRootObject: ['index.html'],
  viewerProtocolPolicy: ['redirect-to-https'],
  priceClass: ['PriceClass_100'],
  tagMutability: ['MUTABLE'],
  encryption: ['AES256'],
  indexDocument: ['index.html'],
};

/** A small seeded generator, so a failure names a seed that reproduces it. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The field names a schema reads, found by walking zod's definition. */
function fieldNames(schema: z.ZodType, seen = new Set<unknown>()): Set<string> {
  const names = new Set<string>();
  if (seen.has(schema)) return names;
  seen.add(schema);
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  const visit = (s: unknown) => {
    if (s && typeof s === 'object' && '_zod' in s) for (const n of fieldNames(s as z.ZodType, seen)) names.add(n);
  };
  if (def.type === 'object') for (const k of Object.keys(def.shape as object)) names.add(k);
  for (const k of ['in', 'out', 'left', 'right', 'innerType', 'schema']) visit(def[k]);
  for (const o of (def.options as unknown[] | undefined) ?? []) visit(o);
  return names;
}

function issuesAreSentences(result: ReturnType<z.ZodType['safeParse']>, input: unknown, names: Set<string>) {
  if (result.success) return;
  expect(result.error.issues.length).toBeGreaterThan(0);
  for (const issue of result.error.issues) {
    expect(typeof issue.message).toBe('string');
    expect(issue.message.length).toBeGreaterThan(0);
    // Never the input echoed back whole, never a stack.
    expect(issue.message.length).toBeLessThan(400);
    expect(issue.message).not.toMatch(/\n\s+at /);
    // An object input is refused field by field: each issue names a field the schema has.
    if (input && typeof input === 'object' && !Array.isArray(input)) {
      expect(issue.path.length, issue.message).toBeGreaterThan(0);
      expect(names.has(String(issue.path[0])), `${String(issue.path[0])}: ${issue.message}`).toBe(true);
    }
  }
}

const SCHEMAS = actionSchemas();
const MODULES = {
  ci: await import('./ci'),
  cloudfront: await import('./cloudfront'),
  ecr: await import('./ecr'),
  'ecr-public': await import('./ecr-public'),
  explain: await import('./explain'),
  refresh: await import('./refresh'),
  s3: await import('./s3'),
  user: await import('./user'),
} as Record<string, Record<string, unknown>>;

describe('every action takes its schema from lib/validation', () => {
  it('finds the actions', () => {
    expect(SCHEMAS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(actionFiles().map((f) => [f.file, f.text]))('%s defines no schema of its own', (_file, text) => {
    expect(text).not.toMatch(/from 'zod'/);
  });

  it.each(SCHEMAS.map((s) => [`${s.file} ${s.schema}`, s]))('%s is a lib/validation export', (_label, s) => {
    expect(s.module, `${s.schema} is not imported from lib/validation`).not.toBe('');
    expect(MODULES[s.module]?.[s.schema], `${s.schema} in lib/validation/${s.module}`).toBeDefined();
  });
});

describe('hostile values never make a schema throw', () => {
  const schemas = [...new Map(SCHEMAS.map((s) => [`${s.module}.${s.schema}`, s])).values()].map(
    (s) => [`${s.module}.${s.schema}`, MODULES[s.module]![s.schema] as z.ZodType] as const,
  );
  // Auth.js parses the sign-in form with this one: it is a public endpoint too.
  schemas.push(['user.signInSchema', MODULES.user!.signInSchema as z.ZodType]);

  it.each(schemas)('%s: the whole input is hostile', (_name, schema) => {
    const names = fieldNames(schema);
    for (const input of HOSTILE) issuesAreSentences(schema.safeParse(input), input, names);
  });

  it.each(schemas)('%s: each field alone is hostile, the others plausible', (_name, schema) => {
    const names = fieldNames(schema);
    const plausible = Object.fromEntries([...names].map((n) => [n, GOOD[n]?.[0] ?? 'x']));
    for (const field of names) {
      for (const value of HOSTILE) {
        const input = { ...plausible, [field]: value };
        issuesAreSentences(schema.safeParse(input), input, names);
      }
    }
  });

  it.each(schemas)('%s: random mixes of hostile and plausible fields, and unknown ones', (name, schema) => {
    const names = [...fieldNames(schema)];
    const seed = [...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261);
    const rand = prng(seed);
    const pick = <T,>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
    for (let round = 0; round < 300; round++) {
      const input: Record<string, unknown> = {};
      for (const n of names) {
        const r = rand();
        if (r < 0.15) continue;
        input[n] = r < 0.6 && GOOD[n] ? pick(GOOD[n]!) : pick(HOSTILE);
      }
      if (rand() < 0.3) input[pick(['$ACTION_ID_x', '__proto__', 'constructor', 'extra'])] = pick(HOSTILE);
      try {
        issuesAreSentences(schema.safeParse(input), input, new Set(names));
      } catch (error) {
        throw new Error(`${name}, seed ${seed}, round ${round}: ${(error as Error).message}`);
      }
    }
  });
});
