import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsCliPath } from '../test-support/aws-cli';
import { awsCliSuite } from '../test-support/aws-cli-suite';

// The private registry's settings through Debian's AWS CLI, which parses every
// response against botocore's model of ECR: a shape the model does not allow fails the command.

const ACCOUNT = '123456789012';
const cli = awsCliSuite({ args: ['--no-seed', '--quiet'], scratch: 'berth-cli-settings-' });
const { aws, run } = cli;

function file(name: string, value: unknown): string {
  const p = path.join(cli.dir, name);
  fs.writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return `file://${p}`;
}

// Each CLI call is a Python start-up: the tests run concurrently, each with room to spare.
describe.concurrent(`AWS CLI for ECR registry settings (${awsCliPath()})`, () => {
  it('describe-registry, put-replication-configuration, registry scanning and registry policy', { timeout: 180_000 }, async () => {
    expect(await aws(['ecr', 'describe-registry'])).toEqual({ registryId: ACCOUNT, replicationConfiguration: { rules: [] } });

    const replication = { rules: [{ destinations: [{ region: 'us-west-2', registryId: ACCOUNT }], repositoryFilters: [{ filter: 'prod', filterType: 'PREFIX_MATCH' }] }] };
    const put = await aws(['ecr', 'put-replication-configuration', '--replication-configuration', file('replication.json', replication)]);
    expect(put.replicationConfiguration).toEqual(replication);
    expect((await aws(['ecr', 'describe-registry'])).replicationConfiguration).toEqual(replication);

    const rules = [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'cli-scan/*', filterType: 'WILDCARD' }] }];
    const scan = await aws(['ecr', 'put-registry-scanning-configuration', '--scan-type', 'BASIC', '--rules', file('rules.json', rules)]);
    expect(scan.registryScanningConfiguration).toEqual({ scanType: 'BASIC', rules });
    expect((await aws(['ecr', 'get-registry-scanning-configuration'])).scanningConfiguration).toEqual({ scanType: 'BASIC', rules });
    await aws(['ecr', 'create-repository', '--repository-name', 'cli-scan/app']);
    const batch = await aws(['ecr', 'batch-get-repository-scanning-configuration', '--repository-names', 'cli-scan/app', 'cli-scan/ghost']);
    expect(batch.scanningConfigurations).toEqual([
      {
        repositoryArn: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/cli-scan/app`,
        repositoryName: 'cli-scan/app',
        scanOnPush: true,
        scanFrequency: 'SCAN_ON_PUSH',
        appliedScanFilters: rules[0]!.repositoryFilters,
      },
    ]);
    expect(batch.failures).toEqual([{ repositoryName: 'cli-scan/ghost', failureCode: 'REPOSITORY_NOT_FOUND', failureReason: 'REPOSITORY_NOT_FOUND' }]);

    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'pull', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: ['ecr:ReplicateImage'], Resource: '*' }],
    });
    expect(await aws(['ecr', 'put-registry-policy', '--policy-text', file('policy.json', policy)])).toEqual({ registryId: ACCOUNT, policyText: policy });
    expect((await aws(['ecr', 'get-registry-policy'])).policyText).toBe(policy);
    expect((await aws(['ecr', 'delete-registry-policy'])).policyText).toBe(policy);
    const gone = await run(['ecr', 'get-registry-policy']);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('RegistryPolicyNotFoundException');
  });

  // Debian's CLI (2.9.x, early 2023) knows Create/Describe/DeletePullThroughCacheRule but not the
  // later Update/ValidatePullThroughCacheRule, the upstreamRegistry member, or repository creation
  // templates at all; those are covered through the SDK in ecr-registry-settings.test.ts.
  it('create-pull-through-cache-rule, describe-pull-through-cache-rules, delete-pull-through-cache-rule', { timeout: 180_000 }, async () => {
    const created = await aws(['ecr', 'create-pull-through-cache-rule', '--ecr-repository-prefix', 'quay', '--upstream-registry-url', 'quay.io']);
    expect(created).toMatchObject({ ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io', registryId: ACCOUNT });
    expect(typeof created.createdAt).toBe('string');
    const described = await aws(['ecr', 'describe-pull-through-cache-rules', '--ecr-repository-prefixes', 'quay']);
    expect(described.pullThroughCacheRules).toEqual([expect.objectContaining({ ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io', registryId: ACCOUNT })]);
    const unsupported = await run(['ecr', 'create-pull-through-cache-rule', '--ecr-repository-prefix', 'mine', '--upstream-registry-url', 'registry.example.com']);
    expect(unsupported.code).not.toBe(0);
    expect(unsupported.stderr).toContain('UnsupportedUpstreamRegistryException');
    expect(await aws(['ecr', 'delete-pull-through-cache-rule', '--ecr-repository-prefix', 'quay'])).toMatchObject({ ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io' });
    expect((await aws(['ecr', 'describe-pull-through-cache-rules'])).pullThroughCacheRules).toEqual([]);
  });
});
