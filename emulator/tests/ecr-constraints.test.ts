import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  PutImageTagMutabilityCommand,
  SetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import constraints from '../../models/aws-constraints.json';
import { ecrClient, failure } from '../test-support/clients';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

// The emulator's ECR rules are the current model's (models/aws-constraints.json),
// checked here through the unmodified SDK. The 2022 copy the emulator had
// refused team__api, which ECR's model has accepted since February 2026.

let emu: SpawnedEmulator;
const ecr = () => ecrClient(emu.url);
const MODEL = constraints.services.ecr;

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--no-seed', '--quiet'] });
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

describe('ECR names as the current model has them', () => {
  it.each(['team__api', 'team--api', 'org/team__api/v2', 'team.api-1', 'a/b'])('CreateRepository takes %s', async (name) => {
    const created = await ecr().send(new CreateRepositoryCommand({ repositoryName: name }));
    expect(created.repository?.repositoryName).toBe(name);
    const described = await ecr().send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    expect(described.repositories?.map((r) => r.repositoryName)).toEqual([name]);
    expect((await ecr().send(new DescribeImagesCommand({ repositoryName: name }))).imageDetails).toEqual([]);
  });

  it.each(['team___api', 'team_-api', 'team._api', 'Team', '-a', 'a', 'x'.repeat(257), 'a//b'])(
    'CreateRepository refuses %s with InvalidParameterException',
    async (name) => {
      const err = await failure(ecr().send(new CreateRepositoryCommand({ repositoryName: name })));
      expect(err.name).toBe('InvalidParameterException');
      expect(err.message).toMatch(/^Invalid parameter at 'repositoryName' failed to satisfy constraint: /);
    },
  );

  it('quotes the model’s own pattern when a name breaks it', async () => {
    const err = await failure(ecr().send(new CreateRepositoryCommand({ repositoryName: 'team___api' })));
    expect(err.message).toContain(MODEL.shapes.RepositoryName.pattern);
  });

  it('applies the model to every operation that names a repository', async () => {
    const err = await failure(ecr().send(new DescribeRepositoriesCommand({ repositoryNames: ['ok', 'bad___name'] })));
    expect(err.name).toBe('InvalidParameterException');
    expect((await failure(ecr().send(new DescribeImagesCommand({ repositoryName: 'Bad' })))).name).toBe('InvalidParameterException');
  });
});

describe('ECR enums and lengths as the current model has them', () => {
  it('takes every ImageTagMutability the model lists, and nothing else', async () => {
    await ecr().send(new CreateRepositoryCommand({ repositoryName: 'enum/mutability' }));
    for (const value of MODEL.shapes.ImageTagMutability.values) {
      const filters = value.endsWith('_WITH_EXCLUSION') ? [{ filterType: 'WILDCARD' as const, filter: 'latest*' }] : undefined;
      await ecr().send(
        new PutImageTagMutabilityCommand({
          repositoryName: 'enum/mutability',
          imageTagMutability: value as 'MUTABLE',
          imageTagMutabilityExclusionFilters: filters,
        }),
      );
    }
    const err = await failure(
      ecr().send(new PutImageTagMutabilityCommand({ repositoryName: 'enum/mutability', imageTagMutability: 'SOMETIMES' as 'MUTABLE' })),
    );
    expect(err.name).toBe('InvalidParameterException');
    expect(err.message).toContain(MODEL.shapes.ImageTagMutability.values.join(', '));
  });

  it('refuses a repository policy longer than RepositoryPolicyText allows', async () => {
    await ecr().send(new CreateRepositoryCommand({ repositoryName: 'len/policy' }));
    const text = JSON.stringify({ Version: '2012-10-17', Statement: [], pad: 'x'.repeat(MODEL.shapes.RepositoryPolicyText.max) });
    const err = await failure(ecr().send(new SetRepositoryPolicyCommand({ repositoryName: 'len/policy', policyText: text })));
    expect(err.name).toBe('InvalidParameterException');
    expect(err.message).toContain(`less than or equal to ${MODEL.shapes.RepositoryPolicyText.max}`);
  });
});
