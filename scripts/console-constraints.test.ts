import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without typings
import { consoleSubset } from './console-constraints.mjs';

const root = path.join(__dirname, '..');
const full = JSON.parse(fs.readFileSync(path.join(root, 'models', 'aws-constraints.json'), 'utf8'));
const subset = JSON.parse(fs.readFileSync(path.join(root, 'models', 'console-constraints.json'), 'utf8'));

describe('models/console-constraints.json', () => {
  it('is what scripts/console-constraints.mjs makes from the full file and lib/validation', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'console-constraints.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('copies every entry exactly from models/aws-constraints.json', () => {
    for (const [svc, s] of Object.entries(subset.services as Record<string, { shapes: Record<string, unknown>; members: Record<string, Record<string, string>> }>)) {
      for (const [name, entry] of Object.entries(s.shapes)) expect(entry, `${svc} ${name}`).toEqual(full.services[svc].shapes[name]);
      for (const [struct, members] of Object.entries(s.members)) {
        for (const [m, target] of Object.entries(members)) expect(target, `${svc} ${struct}.${m}`).toBe(full.services[svc].members[struct][m]);
      }
    }
    expect(subset.source.commit).toBe(full.source.commit);
  });

  it('finds literal look-ups and refuses ones the full file lacks', () => {
    const out = consoleSubset(full, ["stringRule('ecr', memberShape('ecr', 'CreateRepositoryRequest', 'repositoryName'))", "enumValues('ecr', 'ImageActionType')"]);
    expect(out.services.ecr.members.CreateRepositoryRequest.repositoryName).toBe('RepositoryName');
    expect(Object.keys(out.services.ecr.shapes).sort()).toEqual(['ImageActionType', 'RepositoryName']);
    expect(() => consoleSubset(full, ["enumValues('ecr', 'NoSuchShape')"])).toThrow(/no ecr shape NoSuchShape/);
  });
});
