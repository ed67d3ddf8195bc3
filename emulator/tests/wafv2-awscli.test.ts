import { describe, expect, it } from 'vitest';
import { awsCliPath } from '../test-support/aws-cli';
import { awsCliSuite, type Json } from '../test-support/aws-cli-suite';

// WAFv2's IP sets, tags and association calls through Debian's awscli, which
// parses every response against its own copy of the service model.

const { aws, refused } = awsCliSuite({ args: ['--quiet'] });

const visibility = (name: string) => `SampledRequestsEnabled=true,CloudWatchMetricsEnabled=true,MetricName=${name}`;

// Each CLI run starts a Python process: generous time on a busy machine.
describe(`WAFv2 with the AWS CLI (${awsCliPath()})`, { timeout: 180_000 }, () => {
  it('create-ip-set, get-ip-set, update-ip-set, list-ip-sets and delete-ip-set', async () => {
    const created = await aws([
      'wafv2', 'create-ip-set', '--name', 'cli-set', '--scope', 'CLOUDFRONT', '--ip-address-version', 'IPV4',
      '--addresses', '192.0.2.0/24', '198.51.100.7/32', '--description', 'From the CLI', '--tags', 'Key=team,Value=web',
    ]);
    const { Id: id, ARN: arn, LockToken: token } = created.Summary;
    expect(arn).toBe(`arn:aws:wafv2:us-east-1:123456789012:global/ipset/cli-set/${id}`);

    const got = await aws(['wafv2', 'get-ip-set', '--name', 'cli-set', '--scope', 'CLOUDFRONT', '--id', id]);
    expect(got.IPSet).toMatchObject({ Name: 'cli-set', IPAddressVersion: 'IPV4', Addresses: ['192.0.2.0/24', '198.51.100.7/32'], Description: 'From the CLI' });
    expect(got.LockToken).toBe(token);

    const bad = await refused(['wafv2', 'update-ip-set', '--name', 'cli-set', '--scope', 'CLOUDFRONT', '--id', id, '--lock-token', token, '--addresses', '0.0.0.0/0']);
    expect(bad).toContain('WAFInvalidParameterException');
    expect(bad).toContain('field: IP_ADDRESS, parameter: 0.0.0.0/0');

    const up = await aws(['wafv2', 'update-ip-set', '--name', 'cli-set', '--scope', 'CLOUDFRONT', '--id', id, '--lock-token', token, '--addresses', '203.0.113.0/24']);
    expect(up.NextLockToken).not.toBe(token);
    const listed = await aws(['wafv2', 'list-ip-sets', '--scope', 'CLOUDFRONT']);
    expect(listed.IPSets.map((s: Json) => s.Name)).toEqual(['cli-set']);

    const stale = await refused(['wafv2', 'delete-ip-set', '--name', 'cli-set', '--scope', 'CLOUDFRONT', '--id', id, '--lock-token', token]);
    expect(stale).toContain('WAFOptimisticLockException');
    await aws(['wafv2', 'delete-ip-set', '--name', 'cli-set', '--scope', 'CLOUDFRONT', '--id', id, '--lock-token', up.NextLockToken]);
    expect((await aws(['wafv2', 'list-ip-sets', '--scope', 'CLOUDFRONT'])).IPSets).toEqual([]);
  });

  it('tag-resource, list-tags-for-resource and untag-resource', async () => {
    const acl = await aws([
      'wafv2', 'create-web-acl', '--name', 'cli-tagged', '--scope', 'REGIONAL', '--default-action', 'Block={}',
      '--visibility-config', visibility('clitagged'), '--tags', 'Key=env,Value=prod',
    ], { region: 'eu-west-1' });
    const arn = acl.Summary.ARN;
    expect(arn).toMatch(/^arn:aws:wafv2:eu-west-1:123456789012:regional\/webacl\/cli-tagged\//);
    await aws(['wafv2', 'tag-resource', '--resource-arn', arn, '--tags', 'Key=owner,Value=platform', 'Key=env,Value=staging'], { region: 'eu-west-1' });
    const tags = await aws(['wafv2', 'list-tags-for-resource', '--resource-arn', arn], { region: 'eu-west-1' });
    expect(tags.TagInfoForResource).toEqual({
      ResourceARN: arn,
      TagList: [
        { Key: 'env', Value: 'staging' },
        { Key: 'owner', Value: 'platform' },
      ],
    });
    await aws(['wafv2', 'untag-resource', '--resource-arn', arn, '--tag-keys', 'env'], { region: 'eu-west-1' });
    const after = await aws(['wafv2', 'list-tags-for-resource', '--resource-arn', arn], { region: 'eu-west-1' });
    expect(after.TagInfoForResource.TagList).toEqual([{ Key: 'owner', Value: 'platform' }]);
    expect(await refused(['wafv2', 'list-tags-for-resource', '--resource-arn', 'arn:aws:s3:::a-bucket'])).toContain('WAFInvalidParameterException');
  });

  it('associate-web-acl, disassociate-web-acl, get-web-acl-for-resource and list-resources-for-web-acl', async () => {
    const west = { region: 'eu-west-1' };
    const acl = await aws(['wafv2', 'create-web-acl', '--name', 'cli-assoc', '--scope', 'REGIONAL', '--default-action', 'Allow={}', '--visibility-config', visibility('cliassoc')], west);
    const arn = acl.Summary.ARN;
    expect(await aws(['wafv2', 'list-resources-for-web-acl', '--web-acl-arn', arn], west)).toEqual({ ResourceArns: [] });

    // CloudFront takes its web ACL in the distribution's config, not here.
    const cloudfront = 'arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE0001';
    const viaWaf = await refused(['wafv2', 'associate-web-acl', '--web-acl-arn', arn, '--resource-arn', cloudfront], west);
    expect(viaWaf).toContain('WAFInvalidParameterException');
    expect(viaWaf).toContain('field: RESOURCE_ARN');

    const alb = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188';
    expect(await refused(['wafv2', 'associate-web-acl', '--web-acl-arn', arn, '--resource-arn', alb], west)).toContain('WAFNonexistentItemException');
    expect(await refused(['wafv2', 'get-web-acl-for-resource', '--resource-arn', alb], west)).toContain('WAFNonexistentItemException');
    expect(await refused(['wafv2', 'disassociate-web-acl', '--resource-arn', cloudfront], west)).toContain('WAFInvalidParameterException');
  });
});
