import { describe, expect, it } from 'vitest';
import constraints from '@/models/aws-constraints.json';
import {
  catalogDataSchema,
  createPublicRepositorySchema,
  deletePublicRepositorySchema,
  GALLERY_ARCHITECTURES,
  GALLERY_OPERATING_SYSTEMS,
  publicRepositoryNameProblems,
  updateCatalogDataSchema,
} from './ecr-public';

const model = (constraints as unknown as { services: Record<string, { shapes: Record<string, { min?: number; max?: number; pattern?: string }> }> }).services['ecr-public']!.shapes;

describe('public repository names', () => {
  it.each(['ab', 'berth-demo/hello', 'a.b_c-d/e2', 'x'.repeat(205)])('accepts %s', (name) => {
    expect(publicRepositoryNameProblems(name)).toEqual([]);
  });

  it.each([
    ['a', 'Use at least 2 characters.'],
    ['x'.repeat(206), 'Use at most 205 characters.'],
    ['Team/Tool', 'Use lowercase letters only.'],
    ['team tool', 'Use only letters, digits, and . _ - /'],
    ['/team', 'Start and end with a letter or digit.'],
    ['team//tool', 'Put a letter or digit between the separators in “//”.'],
  ])('refuses %s with a sentence', (name, message) => {
    expect(publicRepositoryNameProblems(name)).toContain(message);
  });

  it('follows ECR Public’s model, not private ECR’s (205 characters, not 256)', () => {
    expect(model.RepositoryName).toMatchObject({ min: 2, max: 205 });
    const pattern = new RegExp(model.RepositoryName!.pattern!, 'u');
    for (const name of ['ab', 'x'.repeat(205), 'team/tool', 'a-b', 'a__b', '-a', 'a/', 'A']) {
      expect(publicRepositoryNameProblems(name).length === 0, name).toBe(pattern.test(name) && name.length >= 2 && name.length <= 205);
    }
  });
});

describe('catalog data', () => {
  it('takes the texts, and checkbox lists as one value or many', () => {
    const parsed = catalogDataSchema.parse({ description: 'Hello', aboutText: '# About', usageText: 'docker run', architectures: ['x86-64', 'ARM 64'], operatingSystems: 'Linux' });
    expect(parsed).toEqual({ description: 'Hello', aboutText: '# About', usageText: 'docker run', architectures: ['x86-64', 'ARM 64'], operatingSystems: ['Linux'] });
  });

  it('reads what is left out as empty, so a cleared field is cleared', () => {
    expect(catalogDataSchema.parse({})).toEqual({ description: '', aboutText: '', usageText: '', architectures: [], operatingSystems: [] });
  });

  it('holds the texts to the model’s lengths, counted in code points', () => {
    const max = model.RepositoryDescription!.max!;
    expect(catalogDataSchema.safeParse({ description: 'x'.repeat(max) }).success).toBe(true);
    expect(catalogDataSchema.safeParse({ description: '😀'.repeat(max) }).success).toBe(true);
    const over = catalogDataSchema.safeParse({ description: 'x'.repeat(max + 1) });
    expect(over.success).toBe(false);
    expect(over.error?.issues[0]?.path).toEqual(['description']);
    expect(catalogDataSchema.safeParse({ aboutText: 'x'.repeat(model.AboutText!.max! + 1) }).success).toBe(false);
    expect(catalogDataSchema.safeParse({ usageText: 'x'.repeat(model.UsageText!.max! + 1) }).success).toBe(false);
  });

  it('keeps values the Gallery does not know, within the model’s 1–50 characters', () => {
    expect(catalogDataSchema.parse({ architectures: ['RISC-V', 'RISC-V'] }).architectures).toEqual(['RISC-V']);
    const long = catalogDataSchema.safeParse({ architectures: ['x'.repeat(51)] });
    expect(long.success).toBe(false);
    expect(long.error?.issues[0]?.path).toEqual(['architectures']);
    const many = catalogDataSchema.safeParse({ operatingSystems: Array.from({ length: 51 }, (_, i) => `os${i}`) });
    expect(many.success).toBe(false);
  });

  it('offers only Gallery values the model’s lengths allow', () => {
    for (const v of [...GALLERY_ARCHITECTURES, ...GALLERY_OPERATING_SYSTEMS]) expect(v.length).toBeLessThanOrEqual(model.Architecture!.max!);
  });

  it('refuses hostile values as issues, never by throwing', () => {
    for (const v of [null, -1, { nested: true }, ['a\u0000b'], 'x'.repeat(40_000)]) {
      const r = updateCatalogDataSchema.safeParse({ name: v, description: v, aboutText: v, architectures: v });
      expect(r.success).toBe(false);
    }
  });
});

describe('create and delete', () => {
  it('creates with a name and catalog data', () => {
    expect(createPublicRepositorySchema.parse({ name: ' team/tool ', description: 'd' })).toMatchObject({ name: 'team/tool', description: 'd' });
  });

  it('deletes only with the name typed exactly, force from a checkbox', () => {
    expect(deletePublicRepositorySchema.safeParse({ name: 'team/tool', confirm: 'team/tool', force: 'on' })).toMatchObject({ success: true, data: { force: true } });
    const wrong = deletePublicRepositorySchema.safeParse({ name: 'team/tool', confirm: 'team' });
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues[0]?.path).toEqual(['confirm']);
  });
});
