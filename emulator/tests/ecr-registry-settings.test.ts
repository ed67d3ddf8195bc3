import {
  BatchGetImageCommand,
  BatchGetRepositoryScanningConfigurationCommand,
  CreatePullThroughCacheRuleCommand,
  CreateRepositoryCommand,
  CreateRepositoryCreationTemplateCommand,
  DeletePullThroughCacheRuleCommand,
  DeleteRegistryPolicyCommand,
  DeleteRepositoryCreationTemplateCommand,
  DescribeImageReplicationStatusCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  DescribePullThroughCacheRulesCommand,
  DescribeRegistryCommand,
  DescribeRepositoryCreationTemplatesCommand,
  GetDownloadUrlForLayerCommand,
  GetLifecyclePolicyCommand,
  GetRegistryPolicyCommand,
  GetRegistryScanningConfigurationCommand,
  ListTagsForResourceCommand,
  PutRegistryPolicyCommand,
  PutRegistryScanningConfigurationCommand,
  PutReplicationConfigurationCommand,
  UpdatePullThroughCacheRuleCommand,
  UpdateRepositoryCreationTemplateCommand,
  ValidatePullThroughCacheRuleCommand,
} from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecrClient, failure } from '../test-support/clients';
import { digestOf, makeImage, pushImage } from '../test-support/ecr';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

// The private registry's settings through the unmodified SDK: DescribeRegistry and replication,
// registry scanning, the registry policy, pull through cache rules and repository creation templates.

let emu: SpawnedEmulator;
const ecr = () => ecrClient(emu.url);
const ACCOUNT = '123456789012';
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf';

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--no-seed', '--quiet', '--scan-delay-ms', '0'] });
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

describe('DescribeRegistry and PutReplicationConfiguration', () => {
  it('stores the replication rules per region and refuses destinations ECR refuses', async () => {
    const empty = await ecr().send(new DescribeRegistryCommand({}));
    expect(empty.registryId).toBe(ACCOUNT);
    expect(empty.replicationConfiguration).toEqual({ rules: [] });

    const cfg = {
      rules: [
        { destinations: [{ region: 'us-west-2', registryId: ACCOUNT }] },
        {
          destinations: [{ region: 'eu-west-1', registryId: '444455556666' }],
          repositoryFilters: [{ filter: 'prod', filterType: 'PREFIX_MATCH' as const }],
        },
      ],
    };
    const put = await ecr().send(new PutReplicationConfigurationCommand({ replicationConfiguration: cfg }));
    expect(put.replicationConfiguration).toEqual(cfg);
    expect((await ecr().send(new DescribeRegistryCommand({}))).replicationConfiguration).toEqual(cfg);
    // Registry settings are regional.
    const west = await ecrClient(emu.url, { region: 'eu-west-1' }).send(new DescribeRegistryCommand({}));
    expect(west.replicationConfiguration).toEqual({ rules: [] });

    // Replicating a registry into itself is refused; so are more than 25 destinations in all.
    const self = await failure(
      ecr().send(new PutReplicationConfigurationCommand({ replicationConfiguration: { rules: [{ destinations: [{ region: 'us-east-1', registryId: ACCOUNT }] }] } })),
    );
    expect(self.name).toBe('InvalidParameterException');
    const many = Array.from({ length: 26 }, (_, i) => ({ region: 'us-west-2', registryId: String(100000000000 + i) }));
    const tooMany = await failure(ecr().send(new PutReplicationConfigurationCommand({ replicationConfiguration: { rules: [{ destinations: many }] } })));
    expect(tooMany.name).toBe('InvalidParameterException');
    expect(tooMany.message).toContain('25');
    expect((await ecr().send(new DescribeRegistryCommand({}))).replicationConfiguration).toEqual(cfg);

    // An empty rule list switches replication off.
    await ecr().send(new PutReplicationConfigurationCommand({ replicationConfiguration: { rules: [] } }));
    expect((await ecr().send(new DescribeRegistryCommand({}))).replicationConfiguration).toEqual({ rules: [] });
  });
});

describe('replication at push time', () => {
  it('copies pushes to the destination regions of this account, creating repositories from REPLICATION templates', async () => {
    const lifecycle = JSON.stringify({
      rules: [{ rulePriority: 1, description: 'keep the last ten images of every replica', selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 }, action: { type: 'expire' } }],
    });
    // Templates are per region: the one that shapes a replica lives in the destination region.
    const west = ecrClient(emu.url, { region: 'us-west-2' });
    await west.send(
      new CreateRepositoryCreationTemplateCommand({
        prefix: 'repl',
        appliedFor: ['REPLICATION'],
        imageTagMutability: 'IMMUTABLE',
        resourceTags: [{ Key: 'team', Value: 'replicas' }],
        lifecyclePolicy: lifecycle,
      }),
    );
    await ecr().send(
      new PutReplicationConfigurationCommand({
        replicationConfiguration: {
          rules: [
            {
              destinations: [
                { region: 'us-west-2', registryId: ACCOUNT },
                { region: 'eu-west-1', registryId: '444455556666' },
              ],
              repositoryFilters: [{ filter: 'repl', filterType: 'PREFIX_MATCH' }],
            },
          ],
        },
      }),
    );
    try {
      await ecr().send(new CreateRepositoryCommand({ repositoryName: 'repl/app' }));
      await ecr().send(new CreateRepositoryCommand({ repositoryName: 'unrepl/app' }));
      const img = makeImage([400, 500]);
      await pushImage(ecr(), 'repl/app', img, 'v1');
      await pushImage(ecr(), 'unrepl/app', img, 'v1');

      const copied = await west.send(new DescribeImagesCommand({ repositoryName: 'repl/app' }));
      expect(copied.imageDetails).toHaveLength(1);
      expect(copied.imageDetails?.[0]).toMatchObject({ imageDigest: img.digest, imageTags: ['v1'], imageSizeInBytes: img.size });
      const pulled = await west.send(new BatchGetImageCommand({ repositoryName: 'repl/app', imageIds: [{ imageTag: 'v1' }] }));
      expect(pulled.images?.[0]?.imageManifest).toBe(img.manifest);
      // The replica repository took the template's settings.
      const repo = (await west.send(new DescribeRepositoriesCommand({ repositoryNames: ['repl/app'] }))).repositories?.[0];
      expect(repo?.imageTagMutability).toBe('IMMUTABLE');
      expect((await west.send(new ListTagsForResourceCommand({ resourceArn: repo!.repositoryArn! }))).tags).toEqual([{ Key: 'team', Value: 'replicas' }]);
      expect((await west.send(new GetLifecyclePolicyCommand({ repositoryName: 'repl/app' }))).lifecyclePolicyText).toBe(lifecycle);
      // Outside the rule's prefix nothing is copied.
      expect((await failure(west.send(new DescribeRepositoriesCommand({ repositoryNames: ['unrepl/app'] })))).name).toBe('RepositoryNotFoundException');

      const status = await ecr().send(new DescribeImageReplicationStatusCommand({ repositoryName: 'repl/app', imageId: { imageTag: 'v1' } }));
      expect(status.imageId).toEqual({ imageDigest: img.digest, imageTag: 'v1' });
      expect(status.replicationStatuses).toEqual([
        { region: 'us-west-2', registryId: ACCOUNT, status: 'COMPLETE' },
        expect.objectContaining({ region: 'eu-west-1', registryId: '444455556666', status: 'FAILED' }),
      ]);
    } finally {
      await ecr().send(new PutReplicationConfigurationCommand({ replicationConfiguration: { rules: [] } }));
      await west.send(new DeleteRepositoryCreationTemplateCommand({ prefix: 'repl' }));
    }
  });
});

describe('registry scanning configuration', () => {
  it('reads BASIC by default, stores rules, and BatchGetRepositoryScanningConfiguration applies them', async () => {
    const def = await ecr().send(new GetRegistryScanningConfigurationCommand({}));
    expect(def.registryId).toBe(ACCOUNT);
    expect(def.scanningConfiguration).toEqual({ scanType: 'BASIC', rules: [] });

    await ecr().send(new CreateRepositoryCommand({ repositoryName: 'scanreg/prod-api' }));
    await ecr().send(new CreateRepositoryCommand({ repositoryName: 'scanreg/dev-tool' }));
    await ecr().send(new CreateRepositoryCommand({ repositoryName: 'other/own-setting', imageScanningConfiguration: { scanOnPush: true } }));
    await ecr().send(new CreateRepositoryCommand({ repositoryName: 'other/plain' }));

    const rules = [
      { scanFrequency: 'CONTINUOUS_SCAN' as const, repositoryFilters: [{ filter: 'scanreg/prod-*', filterType: 'WILDCARD' as const }] },
      { scanFrequency: 'SCAN_ON_PUSH' as const, repositoryFilters: [{ filter: 'scanreg/*', filterType: 'WILDCARD' as const }] },
    ];
    const put = await ecr().send(new PutRegistryScanningConfigurationCommand({ scanType: 'ENHANCED', rules }));
    expect(put.registryScanningConfiguration).toEqual({ scanType: 'ENHANCED', rules });
    expect((await ecr().send(new GetRegistryScanningConfigurationCommand({}))).scanningConfiguration).toEqual({ scanType: 'ENHANCED', rules });

    const batch = await ecr().send(
      new BatchGetRepositoryScanningConfigurationCommand({ repositoryNames: ['scanreg/prod-api', 'scanreg/dev-tool', 'other/own-setting', 'other/plain', 'other/ghost'] }),
    );
    expect(batch.scanningConfigurations).toEqual([
      {
        repositoryArn: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/scanreg/prod-api`,
        repositoryName: 'scanreg/prod-api',
        scanOnPush: true,
        scanFrequency: 'CONTINUOUS_SCAN',
        appliedScanFilters: [{ filter: 'scanreg/prod-*', filterType: 'WILDCARD' }],
      },
      {
        repositoryArn: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/scanreg/dev-tool`,
        repositoryName: 'scanreg/dev-tool',
        scanOnPush: true,
        scanFrequency: 'SCAN_ON_PUSH',
        appliedScanFilters: [{ filter: 'scanreg/*', filterType: 'WILDCARD' }],
      },
      expect.objectContaining({ repositoryName: 'other/own-setting', scanOnPush: true, scanFrequency: 'SCAN_ON_PUSH' }),
      expect.objectContaining({ repositoryName: 'other/plain', scanOnPush: false, scanFrequency: 'MANUAL', appliedScanFilters: [] }),
    ]);
    expect(batch.failures).toEqual([{ repositoryName: 'other/ghost', failureCode: 'REPOSITORY_NOT_FOUND', failureReason: 'REPOSITORY_NOT_FOUND' }]);

    // BASIC scanning supports only scan on push.
    const basicContinuous = await failure(ecr().send(new PutRegistryScanningConfigurationCommand({ scanType: 'BASIC', rules: [rules[0]!] })));
    expect(basicContinuous.name).toBe('InvalidParameterException');

    // A push to a repository a registry rule matches is scanned, though the repository itself says no.
    await ecr().send(new PutRegistryScanningConfigurationCommand({ scanType: 'BASIC', rules: [rules[1]!] }));
    const img = makeImage([300]);
    await pushImage(ecr(), 'scanreg/dev-tool', img, 'v1');
    await pushImage(ecr(), 'other/plain', img, 'v1');
    const scanned = await ecr().send(new DescribeImagesCommand({ repositoryName: 'scanreg/dev-tool' }));
    expect(scanned.imageDetails?.[0]?.imageScanStatus?.status).toBe('COMPLETE');
    const unscanned = await ecr().send(new DescribeImagesCommand({ repositoryName: 'other/plain' }));
    expect(unscanned.imageDetails?.[0]?.imageScanStatus).toBeUndefined();

    await ecr().send(new PutRegistryScanningConfigurationCommand({ scanType: 'BASIC', rules: [] }));
  });
});

const REGISTRY_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'ReplicationAccess',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::444455556666:root' },
      Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'],
      Resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/*`,
    },
  ],
});

describe('registry policy', () => {
  it('puts, gets and deletes the registry policy; RegistryPolicyNotFoundException without one', async () => {
    const none = await failure(ecr().send(new GetRegistryPolicyCommand({})));
    expect(none.name).toBe('RegistryPolicyNotFoundException');
    expect((await failure(ecr().send(new DeleteRegistryPolicyCommand({})))).name).toBe('RegistryPolicyNotFoundException');

    for (const policyText of ['{', JSON.stringify({ Version: '2012-10-17', Statement: [] }), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }] })]) {
      const bad = await failure(ecr().send(new PutRegistryPolicyCommand({ policyText })));
      expect(bad.name, policyText).toBe('InvalidParameterException');
    }

    const put = await ecr().send(new PutRegistryPolicyCommand({ policyText: REGISTRY_POLICY }));
    expect(put).toMatchObject({ registryId: ACCOUNT, policyText: REGISTRY_POLICY });
    expect((await ecr().send(new GetRegistryPolicyCommand({}))).policyText).toBe(REGISTRY_POLICY);

    const denied = await failure(ecrClient(emu.url, { key: 'readonly' }).send(new PutRegistryPolicyCommand({ policyText: REGISTRY_POLICY })));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain(`ecr:PutRegistryPolicy on resource: arn:aws:ecr:us-east-1:${ACCOUNT}:registry/${ACCOUNT}`);
    // The readonly key may read it.
    expect((await ecrClient(emu.url, { key: 'readonly' }).send(new GetRegistryPolicyCommand({}))).policyText).toBe(REGISTRY_POLICY);

    expect((await ecr().send(new DeleteRegistryPolicyCommand({}))).policyText).toBe(REGISTRY_POLICY);
    expect((await failure(ecr().send(new GetRegistryPolicyCommand({})))).name).toBe('RegistryPolicyNotFoundException');
  });
});

describe('pull through cache rules', () => {
  it('creates, describes, updates, validates and deletes rules, checking upstream URLs', async () => {
    const created = await ecr().send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws' }));
    expect(created).toMatchObject({ ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws', upstreamRegistry: 'ecr-public', registryId: ACCOUNT });
    expect(created.createdAt).toBeInstanceOf(Date);

    const dup = await failure(ecr().send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'ecr-public/', upstreamRegistryUrl: 'quay.io' })));
    expect(dup.name).toBe('PullThroughCacheRuleAlreadyExistsException');
    const unsupported = await failure(ecr().send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'mine', upstreamRegistryUrl: 'registry.example.com' })));
    expect(unsupported.name).toBe('UnsupportedUpstreamRegistryException');
    // Docker Hub needs a Secrets Manager secret with the credentials.
    const noSecret = await failure(ecr().send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'docker-hub', upstreamRegistryUrl: 'registry-1.docker.io' })));
    expect(noSecret.name).toBe('InvalidParameterException');
    const mismatch = await failure(
      ecr().send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'k8s', upstreamRegistryUrl: 'registry.k8s.io', upstreamRegistry: 'quay' })),
    );
    expect(mismatch.name).toBe('InvalidParameterException');

    const hub = await ecr().send(
      new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'docker-hub', upstreamRegistryUrl: 'registry-1.docker.io', credentialArn: SECRET }),
    );
    expect(hub).toMatchObject({ upstreamRegistry: 'docker-hub', credentialArn: SECRET });

    const all = await ecr().send(new DescribePullThroughCacheRulesCommand({}));
    expect(all.pullThroughCacheRules?.map((r) => r.ecrRepositoryPrefix)).toEqual(['docker-hub', 'ecr-public']);
    const paged = await ecr().send(new DescribePullThroughCacheRulesCommand({ maxResults: 1 }));
    expect(paged.pullThroughCacheRules).toHaveLength(1);
    const rest = await ecr().send(new DescribePullThroughCacheRulesCommand({ maxResults: 1, nextToken: paged.nextToken }));
    expect(rest.pullThroughCacheRules?.[0]?.ecrRepositoryPrefix).toBe('ecr-public');
    expect(rest.nextToken).toBeUndefined();
    const one = await ecr().send(new DescribePullThroughCacheRulesCommand({ ecrRepositoryPrefixes: ['ecr-public'] }));
    expect(one.pullThroughCacheRules?.[0]).toMatchObject({ upstreamRegistryUrl: 'public.ecr.aws', upstreamRegistry: 'ecr-public' });
    const missing = await failure(ecr().send(new DescribePullThroughCacheRulesCommand({ ecrRepositoryPrefixes: ['nope'] })));
    expect(missing.name).toBe('PullThroughCacheRuleNotFoundException');

    const secret2 = SECRET.replace('AbCdEf', 'GhIjKl');
    const updated = await ecr().send(new UpdatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'docker-hub', credentialArn: secret2 }));
    expect(updated).toMatchObject({ ecrRepositoryPrefix: 'docker-hub', credentialArn: secret2, registryId: ACCOUNT });
    expect(updated.updatedAt).toBeInstanceOf(Date);

    // The emulator cannot reach upstream registries; it says so instead of pretending.
    const valid = await ecr().send(new ValidatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'docker-hub' }));
    expect(valid).toMatchObject({ ecrRepositoryPrefix: 'docker-hub', upstreamRegistryUrl: 'registry-1.docker.io', credentialArn: secret2, isValid: false });
    expect(valid.failure).toContain('upstream');
    const pull = await failure(ecr().send(new BatchGetImageCommand({ repositoryName: 'ecr-public/library/nginx', imageIds: [{ imageTag: 'latest' }] })));
    expect(pull.name).toBe('UnableToGetUpstreamImageException');
    const layer = await failure(ecr().send(new GetDownloadUrlForLayerCommand({ repositoryName: 'ecr-public/library/nginx', layerDigest: digestOf('x') })));
    expect(layer.name).toBe('UnableToGetUpstreamLayerException');
    // Outside every prefix, a missing repository is just missing.
    const plain = await failure(ecr().send(new BatchGetImageCommand({ repositoryName: 'library/nginx', imageIds: [{ imageTag: 'latest' }] })));
    expect(plain.name).toBe('RepositoryNotFoundException');

    const deleted = await ecr().send(new DeletePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'ecr-public' }));
    expect(deleted).toMatchObject({ ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws', registryId: ACCOUNT });
    expect((await failure(ecr().send(new DeletePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'ecr-public' })))).name).toBe(
      'PullThroughCacheRuleNotFoundException',
    );
    expect((await failure(ecr().send(new ValidatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'ecr-public' })))).name).toBe(
      'PullThroughCacheRuleNotFoundException',
    );
  });
});

const LIFECYCLE = JSON.stringify({
  rules: [{ rulePriority: 1, description: 'expire untagged images after a fortnight', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } }],
});

describe('repository creation templates', () => {
  it('creates, describes, updates and deletes templates, checking their settings', async () => {
    const created = await ecr().send(
      new CreateRepositoryCreationTemplateCommand({
        prefix: 'prod',
        description: 'production caches',
        appliedFor: ['PULL_THROUGH_CACHE', 'REPLICATION'],
        imageTagMutability: 'IMMUTABLE',
        resourceTags: [{ Key: 'env', Value: 'prod' }],
        lifecyclePolicy: LIFECYCLE,
        encryptionConfiguration: { encryptionType: 'KMS' },
      }),
    );
    expect(created.registryId).toBe(ACCOUNT);
    expect(created.repositoryCreationTemplate).toMatchObject({
      prefix: 'prod',
      description: 'production caches',
      appliedFor: ['PULL_THROUGH_CACHE', 'REPLICATION'],
      imageTagMutability: 'IMMUTABLE',
      resourceTags: [{ Key: 'env', Value: 'prod' }],
      lifecyclePolicy: LIFECYCLE,
    });
    expect(created.repositoryCreationTemplate?.createdAt).toBeInstanceOf(Date);
    await ecr().send(new CreateRepositoryCreationTemplateCommand({ prefix: 'ROOT', appliedFor: ['CREATE_ON_PUSH'] }));

    const dup = await failure(ecr().send(new CreateRepositoryCreationTemplateCommand({ prefix: 'prod/', appliedFor: ['REPLICATION'] })));
    expect(dup.name).toBe('TemplateAlreadyExistsException');
    for (const bad of [
      { prefix: 'bad-life', appliedFor: ['REPLICATION' as const], lifecyclePolicy: '{"rules": "not a list, and long enough to pass the length check of the text......"}' },
      { prefix: 'bad-policy', appliedFor: ['REPLICATION' as const], repositoryPolicy: '{' },
      { prefix: 'bad-applied', appliedFor: [] },
      { prefix: 'bad-excl', appliedFor: ['REPLICATION' as const], imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' as const },
    ]) {
      const err = await failure(ecr().send(new CreateRepositoryCreationTemplateCommand(bad)));
      expect(err.name, bad.prefix).toBe('InvalidParameterException');
    }

    const all = await ecr().send(new DescribeRepositoryCreationTemplatesCommand({}));
    expect(all.registryId).toBe(ACCOUNT);
    expect(all.repositoryCreationTemplates?.map((t) => t.prefix)).toEqual(['ROOT', 'prod']);
    const root = await ecr().send(new DescribeRepositoryCreationTemplatesCommand({ prefixes: ['ROOT'] }));
    expect(root.repositoryCreationTemplates?.[0]).toMatchObject({ prefix: 'ROOT', appliedFor: ['CREATE_ON_PUSH'], imageTagMutability: 'MUTABLE' });

    const updated = await ecr().send(
      new UpdateRepositoryCreationTemplateCommand({ prefix: 'prod', description: 'production', imageTagMutability: 'MUTABLE' }),
    );
    expect(updated.repositoryCreationTemplate).toMatchObject({
      prefix: 'prod',
      description: 'production',
      imageTagMutability: 'MUTABLE',
      appliedFor: ['PULL_THROUGH_CACHE', 'REPLICATION'],
      lifecyclePolicy: LIFECYCLE,
    });

    const gone = await failure(ecr().send(new UpdateRepositoryCreationTemplateCommand({ prefix: 'nope', description: 'x' })));
    expect(gone.name).toBe('TemplateNotFoundException');
    const deleted = await ecr().send(new DeleteRepositoryCreationTemplateCommand({ prefix: 'prod' }));
    expect(deleted.repositoryCreationTemplate?.prefix).toBe('prod');
    expect((await failure(ecr().send(new DeleteRepositoryCreationTemplateCommand({ prefix: 'prod' })))).name).toBe('TemplateNotFoundException');
    expect((await failure(ecr().send(new DescribeRepositoryCreationTemplatesCommand({ prefixes: ['prod'] })))).name).toBe('TemplateNotFoundException');
  });
});
