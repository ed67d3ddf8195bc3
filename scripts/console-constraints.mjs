#!/usr/bin/env node
// Writes models/console-constraints.json: the entries of
// models/aws-constraints.json that the console's validation reads, and
// nothing else. The forms validate in the browser, and a bundler cannot
// drop unused parts of an imported JSON file, so importing the whole file
// put ~325 KB (44 KB gzipped) into every page with a form.
//
// The look-ups are found in lib/validation/*.ts by their literal calls:
// memberShape('svc', 'Structure', 'member') and stringRule / enumValues /
// enumSubset / boundsOf('svc', 'Shape'). A look-up written any other way
// is not in the subset, and lib/validation/aws-model.ts throws when the
// module loads, so the tests name it.
//
//   node scripts/console-constraints.mjs          # write
//   node scripts/console-constraints.mjs --check  # fail if the committed file differs

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FULL = path.join(root, 'models', 'aws-constraints.json');
const OUT = path.join(root, 'models', 'console-constraints.json');
const PER_SERVICE = path.join(root, 'models', 'console-constraints');
const SOURCES = path.join(root, 'lib', 'validation');

export function consoleSubset(full, sources) {
  const wantedShapes = new Map(); // service -> Set(shape)
  const wantedMembers = new Map(); // service -> Map(structure -> Set(member))
  const add = (map, svc) => {
    if (!map.has(svc)) map.set(svc, map === wantedShapes ? new Set() : new Map());
    return map.get(svc);
  };
  for (const text of sources) {
    for (const m of text.matchAll(/memberShape\(\s*'([\w-]+)',\s*'([\w$]+)',\s*'([\w$]+)'\s*\)/g)) {
      const [, svc, struct, member] = m;
      const byStruct = add(wantedMembers, svc);
      if (!byStruct.has(struct)) byStruct.set(struct, new Set());
      byStruct.get(struct).add(member);
      const target = full.services[svc]?.members?.[struct]?.[member];
      if (typeof target === 'string') add(wantedShapes, svc).add(target);
    }
    for (const m of text.matchAll(/\b(?:stringRule|enumValues|enumSubset|boundsOf)\(\s*'([\w-]+)',\s*'([\w$]+)'/g)) {
      add(wantedShapes, m[1]).add(m[2]);
    }
  }
  const services = {};
  for (const svc of [...new Set([...wantedShapes.keys(), ...wantedMembers.keys()])].sort()) {
    const src = full.services[svc];
    if (!src) throw new Error(`models/aws-constraints.json has no service ${svc}`);
    const shapes = {};
    for (const name of [...(wantedShapes.get(svc) ?? [])].sort()) {
      if (src.shapes[name] === undefined) throw new Error(`models/aws-constraints.json has no ${svc} shape ${name}`);
      shapes[name] = src.shapes[name];
    }
    const members = {};
    for (const [struct, names] of [...(wantedMembers.get(svc) ?? new Map())].sort(([a], [b]) => a.localeCompare(b))) {
      members[struct] = {};
      for (const member of [...names].sort()) {
        const target = src.members?.[struct]?.[member];
        if (typeof target !== 'string') throw new Error(`models/aws-constraints.json has no ${svc} member ${struct}.${member}`);
        members[struct][member] = target;
      }
    }
    services[svc] = { model: src.model, apiVersion: src.apiVersion, shapes, members };
  }
  return { source: { ...full.source, subsetOf: 'models/aws-constraints.json', subsetBy: 'scripts/console-constraints.mjs' }, services };
}

function render(obj) {
  return `${JSON.stringify(obj, null, 1)}\n`;
}

/** One file per service beside the whole subset: a form's chunk carries only its own service's rules. */
function perService(subset) {
  return Object.entries(subset.services).map(([svc, entry]) => ({ file: path.join(PER_SERVICE, `${svc}.json`), text: render(entry) }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const full = JSON.parse(fs.readFileSync(FULL, 'utf8'));
  const sources = fs
    .readdirSync(SOURCES)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => fs.readFileSync(path.join(SOURCES, f), 'utf8'));
  const subset = consoleSubset(full, sources);
  const outputs = [{ file: OUT, text: render(subset) }, ...perService(subset)];
  const stale = fs.existsSync(PER_SERVICE) ? fs.readdirSync(PER_SERVICE).filter((f) => !outputs.some((o) => path.basename(o.file) === f)) : [];
  if (process.argv.includes('--check')) {
    const wrong = outputs.filter((o) => (fs.existsSync(o.file) ? fs.readFileSync(o.file, 'utf8') : '') !== o.text).map((o) => path.relative(root, o.file));
    wrong.push(...stale.map((f) => `models/console-constraints/${f} (no longer used)`));
    if (wrong.length) {
      console.error(`${wrong.join(', ')}: not what scripts/console-constraints.mjs makes: run it`);
      process.exit(1);
    }
    console.log('models/console-constraints.json and models/console-constraints/ match');
  } else {
    fs.mkdirSync(PER_SERVICE, { recursive: true });
    for (const f of stale) fs.rmSync(path.join(PER_SERVICE, f));
    for (const o of outputs) fs.writeFileSync(o.file, o.text);
    console.log(`wrote models/console-constraints.json (${Buffer.byteLength(outputs[0].text)} bytes) and ${outputs.length - 1} files in models/console-constraints/`);
  }
}
