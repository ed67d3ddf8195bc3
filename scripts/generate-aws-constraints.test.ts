import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import constraints from '../models/aws-constraints.json';

// models/aws-constraints.json is generated; these tests hold the generator to
// the format both readers expect, and the committed file to its own promises.

const SCRIPT = path.join(__dirname, 'generate-aws-constraints.mjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-constraints-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(args: string[]) {
  return spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
}

// A tiny Smithy model with one of everything the generator must handle.
const FIXTURE = {
  smithy: '2.0',
  shapes: {
    'com.example#Svc': { type: 'service', version: '2020-01-01' },
    'com.example#Name': { type: 'string', traits: { 'smithy.api#length': { min: 2, max: 8 }, 'smithy.api#pattern': '^[a-z]+$' } },
    'com.example#Free': { type: 'string', traits: { 'smithy.api#documentation': 'no constraint' } },
    'com.example#OldEnum': { type: 'string', traits: { 'smithy.api#enum': [{ value: 'a' }, { value: 'b' }] } },
    'com.example#Mode': { type: 'enum', members: { ON: { target: 'smithy.api#Unit', traits: { 'smithy.api#enumValue': 'on' } }, OFF: { target: 'smithy.api#Unit' } } },
    'com.example#Level': { type: 'intEnum', members: { LOW: { target: 'smithy.api#Unit', traits: { 'smithy.api#enumValue': 1 } } } },
    'com.example#Count': { type: 'integer', traits: { 'smithy.api#range': { min: 1, max: 10 } } },
    'com.example#Escaped': { type: 'string', traits: { 'smithy.api#pattern': '^[\\w\\:]*$' } },
    'com.example#Names': { type: 'list', member: { target: 'com.example#Name' }, traits: { 'smithy.api#length': { max: 3 } } },
    'com.example#FreeList': { type: 'list', member: { target: 'com.example#Free' } },
    'com.example#Labels': { type: 'map', key: { target: 'com.example#Name' }, value: { target: 'com.example#Free' } },
    'com.example#Node': { type: 'structure', members: { child: { target: 'com.example#Node' }, name: { target: 'com.example#Name' } } },
    'com.example#Loose': { type: 'structure', members: { note: { target: 'com.example#Free' } } },
    'com.example#Input': {
      type: 'structure',
      members: {
        name: { target: 'com.example#Name', traits: { 'smithy.api#required': {} } },
        short: { target: 'com.example#Name', traits: { 'smithy.api#length': { max: 4 } } },
        raw: { target: 'smithy.api#String', traits: { 'smithy.api#length': { min: 1 } } },
        note: { target: 'com.example#Free' },
        loose: { target: 'com.example#Loose' },
        node: { target: 'com.example#Node' },
        free: { target: 'com.example#FreeList' },
      },
    },
  },
};

const EXPECTED = {
  model: 'codegen/sdk-codegen/aws-models/ecr.json',
  apiVersion: '2020-01-01',
  shapes: {
    Count: { type: 'integer', min: 1, max: 10 },
    Escaped: { type: 'string', pattern: '^[\\w\\:]*$', patternFlags: '' },
    Input: { type: 'structure' },
    'Input$raw': { type: 'string', min: 1 },
    'Input$short': { type: 'string', min: 2, max: 4, pattern: '^[a-z]+$' },
    Labels: { type: 'map', key: 'Name' },
    Level: { type: 'intEnum', values: [1] },
    Mode: { type: 'enum', values: ['on', 'OFF'] },
    Name: { type: 'string', min: 2, max: 8, pattern: '^[a-z]+$' },
    Names: { type: 'list', member: 'Name', max: 3 },
    Node: { type: 'structure' },
    OldEnum: { type: 'enum', values: ['a', 'b'] },
  },
  members: {
    Input: { name: 'Name', short: 'Input$short', raw: 'Input$raw', node: 'Node', $required: ['name'] },
    Node: { child: 'Node', name: 'Name' },
  },
};

describe('the generator', () => {
  const dir = path.join(tmp, 'checkout');
  fs.mkdirSync(path.join(dir, 'codegen/sdk-codegen/aws-models'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'codegen/sdk-codegen/aws-models/ecr.json'), JSON.stringify(FIXTURE));
  const out = path.join(tmp, 'out.json');
  const args = ['--dir', dir, '--commit', 'f'.repeat(40), '--repository', 'example/models', '--services', 'ecr', '--out', out];

  it('writes the constraints of a Smithy model in the agreed format', () => {
    const r = run([...args, '--date', '2026-01-02']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('note: Escaped: pattern compiles only without the u flag');
    const doc = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(doc.source).toEqual({
      repository: 'example/models',
      commit: 'f'.repeat(40),
      generatedAt: '2026-01-02',
      generator: 'scripts/generate-aws-constraints.mjs',
    });
    expect(doc.services).toEqual({ ecr: EXPECTED });
  });

  it('--check passes on its own output whatever the date, and fails on an edited file', () => {
    expect(run([...args, '--check']).status).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    fs.writeFileSync(out, text.replace('"max":8', '"max":9'));
    const r = run([...args, '--check']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is not what the generator makes');
    fs.writeFileSync(out, text);
  });

  it('refuses to run without naming where the models come from', () => {
    const r = run(['--dir', dir, '--commit', 'x', '--services', 'ecr', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--repository');
  });
});

type Entry = { type: string; min?: number; max?: number; pattern?: string; patternFlags?: string; values?: unknown[]; member?: string; key?: string; value?: string };

describe('models/aws-constraints.json', () => {
  const services = constraints.services as unknown as Record<string, { model: string; apiVersion: string; shapes: Record<string, Entry>; members: Record<string, Record<string, string | string[]>> }>;

  it('names its source and covers the services Berth talks to', () => {
    expect(constraints.source.repository).toMatch(/^[\w.-]+\/[\w.-]+$/);
    expect(constraints.source.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(constraints.source.generatedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(constraints.source.generator).toBe('scripts/generate-aws-constraints.mjs');
    expect(Object.keys(services).sort()).toEqual(['cloudfront', 'ecr', 'ecr-public', 'iam', 's3', 'sts', 'wafv2']);
    for (const [name, svc] of Object.entries(services)) {
      expect(svc.model, name).toMatch(new RegExp(`${name}[^/]*\\.json$`));
      expect(svc.apiVersion, name).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('holds patterns that compile, with the flags it records', () => {
    for (const [service, svc] of Object.entries(services)) {
      for (const [name, shape] of Object.entries(svc.shapes)) {
        if (shape.pattern === undefined) continue;
        expect(() => new RegExp(shape.pattern!, shape.patternFlags ?? 'u'), `${service} ${name}`).not.toThrow();
      }
    }
  });

  it('points every member, list member, map key and value at a shape it holds', () => {
    const dangling: string[] = [];
    for (const [service, svc] of Object.entries(services)) {
      const has = (n: string | undefined) => n === undefined || n in svc.shapes;
      for (const [name, shape] of Object.entries(svc.shapes)) {
        for (const ref of [shape.member, shape.key, shape.value]) if (!has(ref)) dangling.push(`${service} ${name} → ${ref}`);
        if ((shape.type === 'structure' || shape.type === 'union') !== name in svc.members) dangling.push(`${service} ${name}: structure without members entry, or the reverse`);
      }
      for (const [structure, members] of Object.entries(svc.members)) {
        for (const [member, target] of Object.entries(members)) {
          if (member === '$required') {
            if (!Array.isArray(target) || target.some((t) => typeof t !== 'string')) dangling.push(`${service} ${structure}.$required`);
          } else if (typeof target !== 'string' || !has(target)) dangling.push(`${service} ${structure}.${member} → ${String(target)}`);
        }
      }
    }
    expect(dangling).toEqual([]);
  });

  it('holds the ECR rule the issue was about: team__api is a repository name', () => {
    const rule = services.ecr!.shapes.RepositoryName!;
    const re = new RegExp(rule.pattern!, rule.patternFlags ?? 'u');
    expect(re.test('team__api')).toBe(true);
    expect(re.test('team___api')).toBe(false);
  });
});

describe('the shapes the console and the emulator rely on', () => {
  // Each side looks its shapes up when its module loads and throws if one is missing.
  it('are all in the file (each side loads)', async () => {
    await expect(import('../lib/validation/ecr')).resolves.toBeDefined();
    await expect(import('../lib/validation/s3')).resolves.toBeDefined();
    await expect(import('../lib/validation/cloudfront')).resolves.toBeDefined();
    await expect(import('../emulator/services/ecr/repositories')).resolves.toBeDefined();
    await expect(import('../emulator/services/ecr/lifecycle')).resolves.toBeDefined();
    await expect(import('../emulator/services/s3/names')).resolves.toBeDefined();
  });

  it('a missing one is refused by name on either side', async () => {
    const console_ = await import('../lib/validation/aws-model');
    expect(() => console_.stringRule('ecr', 'RepositoryNameOfTheFuture')).toThrow(/no ecr shape RepositoryNameOfTheFuture/);
    expect(() => console_.enumSubset('ecr', 'ImageTagMutability', ['MUTABLE', 'SOMETIMES'])).toThrow(/no longer has SOMETIMES/);
    const emulator = await import('../emulator/services/ecr/validation');
    expect(() => emulator.modelShape('RepositoryNameOfTheFuture')).toThrow(/no ECR shape RepositoryNameOfTheFuture/);
  });
});
