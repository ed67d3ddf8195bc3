import fs from 'node:fs';
import path from 'node:path';
import { CreateRepositoryCommand, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { describe, expect, it } from 'vitest';
import { awsCliPath } from '../test-support/aws-cli';
import { awsCliSuite } from '../test-support/aws-cli-suite';
import { ecrClient } from '../test-support/clients';
import { basicAuth, makeImage, pushImage } from '../test-support/ecr';
import { rawRequest } from '../test-support/raw-http';

// ECR images, the registry login and lifecycle previews through Debian's AWS CLI,
// which parses every response against the botocore model.

const cli = awsCliSuite({ args: ['--no-seed', '--quiet', '--scan-delay-ms', '0'], scratch: 'berth-cli-' });
const { aws, run } = cli;

// The tests use separate repositories and run concurrently: each CLI call is a Python start-up.
describe.concurrent(`AWS CLI for ECR images (${awsCliPath()})`, () => {
  it('create-repository, get-login-password, describe-images, batch-delete-image, delete-repository --force', async () => {
    const created = await aws(['ecr', 'create-repository', '--repository-name', 'demo-app-repo']);
    expect((created.repository as Record<string, unknown>).repositoryName).toBe('demo-app-repo');

    const pw = await run(['ecr', 'get-login-password']);
    expect(pw.code, pw.stderr).toBe(0);
    const password = pw.stdout.trim();
    const ping = await rawRequest(cli.emu.url, { path: '/v2/', headers: { Authorization: basicAuth(password) } });
    expect(ping.status).toBe(200);
    // get-login-password prints the part after "AWS:" of the decoded authorizationToken.
    expect(password).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const token = await ecrClient(cli.emu.url).send(new GetAuthorizationTokenCommand({}));
    const decoded = Buffer.from(token.authorizationData![0]!.authorizationToken!, 'base64').toString('utf8');
    expect(decoded.startsWith('AWS:')).toBe(true);
    const viaToken = await rawRequest(cli.emu.url, { path: '/v2/', headers: { Authorization: basicAuth(decoded.slice(4)) } });
    expect(viaToken.status).toBe(200);
    expect(token.authorizationData?.[0]?.proxyEndpoint).toBe(cli.emu.url);

    const sdk = ecrClient(cli.emu.url);
    const a = makeImage([1000, 2000]);
    const b = makeImage([3000]);
    await pushImage(sdk, 'demo-app-repo', a, 'v1.4.1');
    await pushImage(sdk, 'demo-app-repo', b, 'v1.4.2');
    await pushImage(sdk, 'demo-app-repo', b, 'latest');

    const described = await aws(['ecr', 'describe-images', '--repository-name', 'demo-app-repo']);
    const details = described.imageDetails as Record<string, unknown>[];
    expect(details).toHaveLength(2);
    const bDetail = details.find((d) => d.imageDigest === b.digest)!;
    expect(bDetail.imageTags).toEqual(['latest', 'v1.4.2']);
    expect(bDetail.imageSizeInBytes).toBe(b.size);
    expect(bDetail.registryId).toBe('123456789012');
    expect(typeof bDetail.imagePushedAt).toBe('string');

    const repos = await aws(['ecr', 'describe-repositories']);
    expect((repos.repositories as Record<string, unknown>[]).map((r) => r.repositoryName)).toContain('demo-app-repo');

    const del = await aws(['ecr', 'batch-delete-image', '--repository-name', 'demo-app-repo', '--image-ids', 'imageTag=latest', 'imageTag=ghost']);
    expect(del.imageIds).toEqual([{ imageDigest: b.digest, imageTag: 'latest' }]);
    expect(del.failures).toEqual([{ imageId: { imageTag: 'ghost' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }]);

    const forced = await aws(['ecr', 'delete-repository', '--repository-name', 'demo-app-repo', '--force']);
    expect((forced.repository as Record<string, unknown>).repositoryName).toBe('demo-app-repo');
  });

  it('put/get lifecycle policy and start/get a lifecycle policy preview', async () => {
    const sdk = ecrClient(cli.emu.url);
    await sdk.send(new CreateRepositoryCommand({ repositoryName: 'cli/life', imageScanningConfiguration: { scanOnPush: true } }));
    const imgs = [makeImage([10]), makeImage([11]), makeImage([12])];
    for (const [i, img] of imgs.entries()) await pushImage(sdk, 'cli/life', img, `v${i}`);
    await pushImage(sdk, 'cli/life', makeImage([13]));

    const policy = {
      rules: [
        { rulePriority: 1, description: 'keep two releases', selection: { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 2 }, action: { type: 'expire' } },
      ],
    };
    const file = path.join(cli.dir, 'policy.json');
    fs.writeFileSync(file, JSON.stringify(policy));
    const put = await aws(['ecr', 'put-lifecycle-policy', '--repository-name', 'cli/life', '--lifecycle-policy-text', `file://${file}`]);
    expect(put).toMatchObject({ registryId: '123456789012', repositoryName: 'cli/life' });
    const got = await aws(['ecr', 'get-lifecycle-policy', '--repository-name', 'cli/life']);
    expect(JSON.parse(got.lifecyclePolicyText as string)).toEqual(policy);

    const start = await aws(['ecr', 'start-lifecycle-policy-preview', '--repository-name', 'cli/life']);
    expect(start).toMatchObject({ repositoryName: 'cli/life', status: 'IN_PROGRESS' });
    const preview = await aws(['ecr', 'get-lifecycle-policy-preview', '--repository-name', 'cli/life']);
    expect(preview.status).toBe('COMPLETE');
    expect(preview.summary).toEqual({ expiringImageTotalCount: 1 });
    const results = preview.previewResults as Record<string, unknown>[];
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ imageDigest: imgs[0]!.digest, imageTags: ['v0'], action: { type: 'EXPIRE' }, appliedRulePriority: 1 });

    // Scan on push completed at once (--scan-delay-ms 0); botocore parses the findings shape.
    const findings = await aws(['ecr', 'describe-image-scan-findings', '--repository-name', 'cli/life', '--image-id', 'imageTag=v1']);
    expect((findings.imageScanStatus as Record<string, unknown>).status).toBe('COMPLETE');
    expect(findings.imageScanFindings).toHaveProperty('findingSeverityCounts');
  });

});
