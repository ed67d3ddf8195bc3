import { describe, expect, it } from 'vitest';
import { awsCliPath } from '../test-support/aws-cli';
import { awsCliSuite } from '../test-support/aws-cli-suite';

// Conformance with Debian's awscli (botocore parses every response strictly).
// If the CLI is missing these tests fail: they are the check that the wire
// format is right, not an optional extra.

const { run } = awsCliSuite({ args: [] });

function json(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe(`AWS CLI (${awsCliPath()})`, () => {
  it('is the real AWS CLI', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/^aws-cli\/\d/);
  });

  it('sts get-caller-identity for test, readonly and an unknown key', async () => {
    const test = await run(['sts', 'get-caller-identity']);
    expect(test.code, test.stderr).toBe(0);
    expect(json(test.stdout)).toMatchObject({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/test' });

    const ro = await run(['sts', 'get-caller-identity'], { key: 'readonly' });
    expect(ro.code, ro.stderr).toBe(0);
    expect(json(ro.stdout)).toMatchObject({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/readonly' });

    const bad = await run(['sts', 'get-caller-identity'], { key: 'ghost' });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('InvalidClientTokenId');
  });

  it('ecr create-repository, describe-repositories and delete-repository --force', async () => {
    // The seed already has demo-app-repo; remove it first so the documented command works as written.
    const pre = await run(['ecr', 'delete-repository', '--repository-name', 'demo-app-repo', '--force']);
    expect(pre.code, pre.stderr).toBe(0);

    const created = await run(['ecr', 'create-repository', '--repository-name', 'demo-app-repo']);
    expect(created.code, created.stderr).toBe(0);
    const repo = json(created.stdout).repository as Record<string, unknown>;
    expect(repo.repositoryUri).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/demo-app-repo');
    expect(repo.imageTagMutability).toBe('MUTABLE');

    const described = await run(['ecr', 'describe-repositories']);
    expect(described.code, described.stderr).toBe(0);
    const names = (json(described.stdout).repositories as { repositoryName: string }[]).map((r) => r.repositoryName);
    expect(names).toContain('demo-app-repo');
    expect(names).toContain('team/api');

    // The CLI pages on its own; a tiny page size exercises nextToken.
    const paged = await run(['ecr', 'describe-repositories', '--page-size', '1']);
    expect(paged.code, paged.stderr).toBe(0);
    expect((json(paged.stdout).repositories as unknown[]).length).toBe(names.length);

    const dup = await run(['ecr', 'create-repository', '--repository-name', 'demo-app-repo']);
    expect(dup.code).not.toBe(0);
    expect(dup.stderr).toContain('RepositoryAlreadyExistsException');

    const deleted = await run(['ecr', 'delete-repository', '--repository-name', 'demo-app-repo', '--force']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((json(deleted.stdout).repository as Record<string, unknown>).repositoryName).toBe('demo-app-repo');
  });

  it('ecr create-repository is denied to readonly', async () => {
    const r = await run(['ecr', 'create-repository', '--repository-name', 'ro-cli'], { key: 'readonly' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('AccessDeniedException');
    expect(r.stderr).toContain('ecr:CreateRepository');
  });

  it('s3api create-bucket, s3 ls, head-bucket, delete-bucket', async () => {
    const created = await run(['s3api', 'create-bucket', '--bucket', 'cli-bucket-1']);
    expect(created.code, created.stderr).toBe(0);
    expect(json(created.stdout).Location).toBe('/cli-bucket-1');

    const west = await run(
      ['s3api', 'create-bucket', '--bucket', 'cli-bucket-west', '--create-bucket-configuration', 'LocationConstraint=eu-west-1'],
      { region: 'eu-west-1' },
    );
    expect(west.code, west.stderr).toBe(0);

    const ls = await run(['s3', 'ls']);
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} cli-bucket-1$/m);
    expect(ls.stdout).toContain('berth-demo-assets');

    const head = await run(['s3api', 'head-bucket', '--bucket', 'cli-bucket-west'], { region: 'eu-west-1' });
    expect(head.code, head.stderr).toBe(0);

    const loc = await run(['s3api', 'get-bucket-location', '--bucket', 'cli-bucket-west'], { region: 'eu-west-1' });
    expect(json(loc.stdout).LocationConstraint).toBe('eu-west-1');

    const ro = await run(['s3api', 'create-bucket', '--bucket', 'cli-ro'], { key: 'readonly' });
    expect(ro.code).not.toBe(0);
    expect(ro.stderr).toContain('AccessDenied');

    const del = await run(['s3api', 'delete-bucket', '--bucket', 'cli-bucket-1']);
    expect(del.code, del.stderr).toBe(0);
    const missing = await run(['s3api', 'delete-bucket', '--bucket', 'cli-bucket-1']);
    expect(missing.stderr).toContain('NoSuchBucket');
  });

  it('cloudfront list-distributions', async () => {
    const r = await run(['cloudfront', 'list-distributions', '--no-paginate']);
    expect(r.code, r.stderr).toBe(0);
    // The seed's one distribution, in front of berth-demo-site.
    expect(json(r.stdout)).toMatchObject({ DistributionList: { Quantity: 1, IsTruncated: false, Items: [{ Comment: 'Berth demo site', Status: 'Deployed' }] } });
  });
});
