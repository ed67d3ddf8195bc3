#!/usr/bin/env node
// Writes models/aws-constraints.json: the lengths, patterns, ranges, enums and
// required members of the AWS services Berth talks to, read from AWS's own
// Smithy JSON models. The console (lib/validation/) and the emulator each read
// that one file, so neither copies the other's guess of AWS's rules.
//
// Plain Node, no dependencies. Usage (see models/README.md):
//
//   node scripts/generate-aws-constraints.mjs --git-dir <repo.git> --rev <commit> \
//        --repository aws/api-models-aws [--fetched-from owner/fork]
//   node scripts/generate-aws-constraints.mjs --dir <checkout> --commit <sha> --repository <owner/name>
//
// Options: --out <file> (default models/aws-constraints.json), --services a,b
// (default: every service below), --date YYYY-MM-DD (default: today, UTC),
// --check (write nothing; exit 1 when the file differs from what would be
// written, the date aside).
//
// Both layouts AWS publishes are understood: aws/api-models-aws
// (models/<service>/service/<version>/<service>-<version>.json) and the SDKs'
// codegen folders (codegen/sdk-codegen/aws-models/<service>.json).
//
// The Smithy JSON AST and its constraint traits:
// https://smithy.io/2.0/spec/json-ast.html
// https://smithy.io/2.0/spec/constraint-traits.html

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVICES = ['ecr', 'ecr-public', 's3', 'cloudfront', 'wafv2', 'sts', 'iam'];
const NUMBER_TYPES = new Set(['byte', 'short', 'integer', 'long', 'float', 'double', 'bigInteger', 'bigDecimal']);
const LENGTH = 'smithy.api#length';
const PATTERN = 'smithy.api#pattern';
const RANGE = 'smithy.api#range';
const ENUM_TRAIT = 'smithy.api#enum';
const REQUIRED = 'smithy.api#required';

function parseArgs(argv) {
  const args = { out: 'models/aws-constraints.json', services: SERVICES, check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--git-dir') args.gitDir = value();
    else if (a === '--rev') args.rev = value();
    else if (a === '--dir') args.dir = value();
    else if (a === '--commit') args.commit = value();
    else if (a === '--repository') args.repository = value();
    else if (a === '--fetched-from') args.fetchedFrom = value();
    else if (a === '--out') args.out = value();
    else if (a === '--services') args.services = value().split(',').filter(Boolean);
    else if (a === '--date') args.date = value();
    else if (a === '--check') args.check = true;
    else throw new Error(`unknown option ${a}`);
  }
  if (!args.gitDir === !args.dir) throw new Error('give exactly one of --git-dir (with --rev) or --dir (with --commit)');
  if (args.gitDir && !args.rev) throw new Error('--git-dir needs --rev');
  if (args.dir && !args.commit) throw new Error('--dir needs --commit');
  if (!args.repository) throw new Error('--repository names where the models come from, e.g. aws/api-models-aws');
  return args;
}

/** Reads model files from a bare git directory at one commit, or from a plain folder. */
function modelSource(args) {
  if (args.gitDir) {
    const git = (...a) => execFileSync('git', ['--git-dir', args.gitDir, ...a], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const commit = git('rev-parse', `${args.rev}^{commit}`).trim();
    const committedAt = git('show', '-s', '--format=%cI', commit).trim();
    const files = git('ls-tree', '-r', '--name-only', commit).split('\n').filter(Boolean);
    return { commit, committedAt, files, read: (p) => git('show', `${commit}:${p}`) };
  }
  const files = [];
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(args.dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.json')) files.push(p);
    }
  };
  walk('');
  return { commit: args.commit, files, read: (p) => fs.readFileSync(path.join(args.dir, p), 'utf8') };
}

/** The model file of one service in either published layout. */
function modelPath(files, service) {
  const sdk = `codegen/sdk-codegen/aws-models/${service}.json`;
  if (files.includes(sdk)) return sdk;
  const esc = service.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const published = new RegExp(`^(?:models/)?${esc}/service/[^/]+/${esc}-[^/]+\\.json$`);
  const found = files.filter((f) => published.test(f)).sort();
  if (found.length === 0) throw new Error(`no model for ${service}`);
  return found[found.length - 1]; // the newest API version when several are published
}

const short = (id) => id.slice(id.indexOf('#') + 1);

/** The constraint fields a shape's (or a member's) own traits give. */
function ownConstraints(traits = {}) {
  const c = {};
  const length = traits[LENGTH];
  if (length) {
    if (length.min !== undefined) c.min = length.min;
    if (length.max !== undefined) c.max = length.max;
  }
  const range = traits[RANGE];
  if (range) {
    if (range.min !== undefined) c.min = range.min;
    if (range.max !== undefined) c.max = range.max;
  }
  if (traits[PATTERN] !== undefined) c.pattern = traits[PATTERN];
  return c;
}

/** ECMAScript is what the Smithy spec asks patterns to be; note those that need the non-Unicode mode. */
function withPatternFlags(entry, where, notes) {
  if (entry.pattern === undefined) return entry;
  try {
    new RegExp(entry.pattern, 'u');
    return entry;
  } catch {
    new RegExp(entry.pattern); // throws, and stops the run, if it compiles in neither mode
    notes.push(`${where}: pattern compiles only without the u flag`);
    return { ...entry, patternFlags: '' };
  }
}

/** The compact constraints of one service model. */
export function constraintsOf(model, notes = [], service = '') {
  const shapes = model.shapes ?? {};
  const serviceShape = Object.values(shapes).find((s) => s.type === 'service');
  const names = new Map();
  for (const id of Object.keys(shapes)) {
    const s = short(id);
    if (names.has(s)) throw new Error(`${service}: two shapes are called ${s} (${names.get(s)}, ${id})`);
    names.set(s, id);
  }
  const shapeOf = (id) => shapes[id];
  const hasOwn = (traits) => Object.keys(ownConstraints(traits)).length > 0;

  // Which shapes carry a constraint, directly or through what they contain. A
  // fixpoint, because structures may contain themselves (WAFv2's Statement).
  const carries = new Map();
  const direct = (s) =>
    (s.type === 'string' || s.type === 'blob' || NUMBER_TYPES.has(s.type) || s.type === 'list' || s.type === 'map') && hasOwn(s.traits)
      ? true
      : s.type === 'enum' || s.type === 'intEnum' || Boolean(s.traits?.[ENUM_TRAIT]);
  for (const [id, s] of Object.entries(shapes)) carries.set(id, direct(s));
  const targetCarries = (ref) => Boolean(ref) && (carries.get(ref.target) === true || hasOwn(ref.traits));
  for (let changed = true; changed; ) {
    changed = false;
    for (const [id, s] of Object.entries(shapes)) {
      if (carries.get(id)) continue;
      let c = false;
      if (s.type === 'list' || s.type === 'set') c = targetCarries(s.member);
      else if (s.type === 'map') c = targetCarries(s.key) || targetCarries(s.value);
      else if (s.type === 'structure' || s.type === 'union') {
        c = Object.values(s.members ?? {}).some((m) => (s.type === 'structure' && m.traits?.[REQUIRED]) || targetCarries(m));
      }
      if (c) {
        carries.set(id, true);
        changed = true;
      }
    }
  }

  const out = { shapes: {}, members: {} };
  const entryOf = (s, extraTraits, where) => {
    if (s.type === 'enum' || s.type === 'intEnum') {
      return { type: s.type, values: Object.entries(s.members ?? {}).map(([n, m]) => m.traits?.['smithy.api#enumValue'] ?? n) };
    }
    if (s.traits?.[ENUM_TRAIT]) return { type: 'enum', values: s.traits[ENUM_TRAIT].map((e) => e.value) };
    const c = { ...ownConstraints(s.traits), ...ownConstraints(extraTraits) };
    return withPatternFlags({ type: s.type, ...c }, where, notes);
  };
  // A member (or list/map member) with constraints of its own gets a synthetic
  // shape `<Container>$<member>`: the target's constraints, overridden by the member's.
  const refName = (container, memberName, ref) => {
    if (!hasOwn(ref.traits)) return carries.get(ref.target) ? short(ref.target) : undefined;
    const name = `${short(container)}$${memberName}`;
    // A prelude target (smithy.api#String, smithy.api#PrimitiveInteger…) is not in the model's shapes.
    const prelude = short(ref.target).replace(/^Primitive/, '');
    const target = shapeOf(ref.target) ?? { type: prelude.charAt(0).toLowerCase() + prelude.slice(1) };
    const entry = entryOf(target, ref.traits, name);
    if (target.type === 'list' && carries.get(target.member?.target)) entry.member = refName(ref.target, 'member', target.member);
    out.shapes[name] = entry;
    return name;
  };

  for (const id of Object.keys(shapes).sort()) {
    const s = shapes[id];
    if (!carries.get(id)) continue;
    const name = short(id);
    if (s.type === 'structure' || s.type === 'union') {
      out.shapes[name] = { type: s.type };
      const members = {};
      const required = [];
      for (const [m, ref] of Object.entries(s.members ?? {})) {
        const target = refName(id, m, ref);
        if (target) members[m] = target;
        if (s.type === 'structure' && ref.traits?.[REQUIRED]) required.push(m);
      }
      if (required.length) members.$required = required;
      out.members[name] = members;
    } else if (s.type === 'list' || s.type === 'set') {
      const member = refName(id, 'member', s.member);
      out.shapes[name] = { type: 'list', ...(member ? { member } : {}), ...ownConstraints(s.traits) };
    } else if (s.type === 'map') {
      const key = refName(id, 'key', s.key);
      const value = refName(id, 'value', s.value);
      out.shapes[name] = { type: 'map', ...(key ? { key } : {}), ...(value ? { value } : {}), ...ownConstraints(s.traits) };
    } else {
      out.shapes[name] = entryOf(s, undefined, name);
    }
  }
  out.shapes = Object.fromEntries(Object.entries(out.shapes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { apiVersion: serviceShape?.version, ...out };
}

/**
 * JSON with one shape or one structure's members per line: small enough to
 * read, and a change in AWS's model shows as a one-line diff.
 */
function format(doc) {
  const lines = ['{', `  "source": ${JSON.stringify(doc.source)},`, '  "services": {'];
  const services = Object.entries(doc.services);
  services.forEach(([name, svc], si) => {
    lines.push(`    ${JSON.stringify(name)}: {`);
    lines.push(`      "model": ${JSON.stringify(svc.model)}, "apiVersion": ${JSON.stringify(svc.apiVersion)},`);
    for (const part of ['shapes', 'members']) {
      const entries = Object.entries(svc[part]);
      lines.push(`      ${JSON.stringify(part)}: {`);
      entries.forEach(([k, v], i) => lines.push(`        ${JSON.stringify(k)}: ${JSON.stringify(v)}${i < entries.length - 1 ? ',' : ''}`));
      lines.push(`      }${part === 'shapes' ? ',' : ''}`);
    }
    lines.push(`    }${si < services.length - 1 ? ',' : ''}`);
  });
  lines.push('  }', '}', '');
  return lines.join('\n');
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const src = modelSource(args);
  const notes = [];
  const services = {};
  for (const service of args.services) {
    const model = modelPath(src.files, service);
    const c = constraintsOf(JSON.parse(src.read(model)), notes, service);
    services[service] = { model, apiVersion: c.apiVersion, shapes: c.shapes, members: c.members };
  }
  const source = {
    repository: args.repository,
    ...(args.fetchedFrom ? { fetchedFrom: args.fetchedFrom } : {}),
    commit: src.commit,
    ...(src.committedAt ? { committedAt: src.committedAt } : {}),
    generatedAt: args.date ?? new Date().toISOString().slice(0, 10),
    generator: 'scripts/generate-aws-constraints.mjs',
  };
  const text = format({ source, services });
  JSON.parse(text); // the hand-made layout must still be JSON

  if (args.check) {
    const strip = (t) => {
      const d = JSON.parse(t);
      delete d.source.generatedAt;
      return JSON.stringify(d);
    };
    let current = '';
    try {
      current = fs.readFileSync(args.out, 'utf8');
    } catch {
      // missing: differs
    }
    if (!current || strip(current) !== strip(text)) {
      console.error(`${args.out} is not what the generator makes from ${args.repository}@${src.commit}; run it without --check`);
      process.exit(1);
    }
    console.log(`${args.out} matches ${args.repository}@${src.commit}`);
    return;
  }
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, text);
  for (const n of notes) console.log(`note: ${n}`);
  console.log(`wrote ${args.out}: ${Object.entries(services).map(([k, v]) => `${k} ${Object.keys(v.shapes).length} shapes`).join(', ')}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    main();
  } catch (e) {
    console.error(`generate-aws-constraints: ${e instanceof Error ? e.message : e}`);
    process.exit(2);
  }
}
