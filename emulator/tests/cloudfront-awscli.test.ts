import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsCliPath } from '../test-support/aws-cli';
import { awsCliSuite, type Json } from '../test-support/aws-cli-suite';
import { edgeGet } from '../test-support/cloudfront';
import { setClock } from '../test-support/ecr';

// CloudFront and WAFv2 through Debian's awscli, which parses every response
// against its own copy of the service model.

const cli = awsCliSuite({ args: ['--quiet', '--deploy-delay-ms', '60000'], scratch: 'berth-cf-cli-' });
const { aws, run } = cli;

function writeJson(name: string, value: unknown): string {
  const file = path.join(cli.dir, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return `file://${file}`;
}

describe(`CloudFront and WAFv2 with the AWS CLI (${awsCliPath()})`, () => {
  it('create-cloud-front-origin-access-identity with the shorthand config', async () => {
    const out = await aws([
      'cloudfront',
      'create-cloud-front-origin-access-identity',
      '--cloud-front-origin-access-identity-config',
      'CallerReference=ref,Comment=c',
    ]);
    const oai = out.CloudFrontOriginAccessIdentity;
    expect(oai.Id).toMatch(/^E[A-Z0-9]{13}$/);
    expect(oai.S3CanonicalUserId).toMatch(/^[0-9a-f]{96}$/);
    expect(oai.CloudFrontOriginAccessIdentityConfig).toEqual({ CallerReference: 'ref', Comment: 'c' });
    expect(out.ETag).toBeTruthy();
    const listed = await aws(['cloudfront', 'list-cloud-front-origin-access-identities']);
    expect(listed.CloudFrontOriginAccessIdentityList.Items.map((i: Json) => i.Id)).toContain(oai.Id);
  });

  it('create-distribution from --origin-domain-name, then get-distribution and list-distributions', async () => {
    const out = await aws(['cloudfront', 'create-distribution', '--origin-domain-name', 'berth-demo-site.s3.amazonaws.com', '--default-root-object', 'index.html']);
    const d = out.Distribution;
    expect(d.Status).toBe('InProgress');
    expect(d.DomainName).toMatch(/^d[a-z0-9]{13}\.cloudfront\.net$/);
    expect(d.DistributionConfig.DefaultRootObject).toBe('index.html');
    expect(d.DistributionConfig.Origins.Items[0].DomainName).toBe('berth-demo-site.s3.amazonaws.com');
    expect(out.Location).toBe(`https://cloudfront.amazonaws.com/2020-05-31/distribution/${d.Id}`);

    const got = await aws(['cloudfront', 'get-distribution', '--id', d.Id]);
    expect(got.Distribution.Id).toBe(d.Id);
    expect(got.ETag).toBe(out.ETag);
    const list = await aws(['cloudfront', 'list-distributions']);
    expect(list.DistributionList.Items.map((i: Json) => i.Id)).toContain(d.Id);

    // The seeded site bucket is public, so this distribution serves it as is.
    const page = await edgeGet(cli.emu.url, d.DomainName, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Berth demo site');
  });

  it('create-distribution --distribution-config file://, create-invalidation --paths, update-distribution (disable) and delete-distribution', async () => {
    const oac = await aws([
      'cloudfront',
      'create-origin-access-control',
      '--origin-access-control-config',
      'Name=cli-oac,SigningProtocol=sigv4,SigningBehavior=always,OriginAccessControlOriginType=s3',
    ]);
    const config = {
      CallerReference: 'cli-file-config',
      Comment: 'from a file',
      Enabled: true,
      DefaultRootObject: 'index.html',
      Origins: {
        Quantity: 1,
        Items: [
          {
            Id: 'site',
            DomainName: 'berth-demo-site.s3.us-east-1.amazonaws.com',
            S3OriginConfig: { OriginAccessIdentity: '' },
            OriginAccessControlId: oac.OriginAccessControl.Id,
          },
        ],
      },
      DefaultCacheBehavior: {
        TargetOriginId: 'site',
        ViewerProtocolPolicy: 'redirect-to-https',
        CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
      },
    };
    const created = await aws(['cloudfront', 'create-distribution', '--distribution-config', writeJson('config.json', config)]);
    const id = created.Distribution.Id as string;
    expect(created.Distribution.DistributionConfig.Comment).toBe('from a file');

    const again = await run(['cloudfront', 'create-distribution', '--distribution-config', writeJson('config.json', config)]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('DistributionAlreadyExists');
    expect(again.stderr).toContain(id);

    const inv = await aws(['cloudfront', 'create-invalidation', '--distribution-id', id, '--paths', '/index.html']);
    expect(inv.Invalidation.Status).toBe('InProgress');
    expect(inv.Invalidation.InvalidationBatch.Paths).toEqual({ Quantity: 1, Items: ['/index.html'] });
    expect(inv.Location).toContain(`/distribution/${id}/invalidation/${inv.Invalidation.Id}`);
    const invs = await aws(['cloudfront', 'list-invalidations', '--distribution-id', id]);
    expect(invs.InvalidationList.Items[0].Id).toBe(inv.Invalidation.Id);

    const current = await aws(['cloudfront', 'get-distribution-config', '--id', id]);
    const disabled = { ...current.DistributionConfig, Enabled: false };
    const updated = await aws(['cloudfront', 'update-distribution', '--id', id, '--if-match', current.ETag, '--distribution-config', writeJson('disabled.json', disabled)]);
    expect(updated.Distribution.DistributionConfig.Enabled).toBe(false);
    expect(updated.Distribution.Status).toBe('InProgress');

    const early = await run(['cloudfront', 'delete-distribution', '--id', id, '--if-match', updated.ETag]);
    expect(early.code).not.toBe(0);
    expect(early.stderr).toContain('DistributionNotDisabled');

    // After the deploy delay (moved past on the emulator's clock) the delete goes through.
    await setClock(cli.emu.url, 120_000);
    const deployed = await aws(['cloudfront', 'get-distribution', '--id', id]);
    expect(deployed.Distribution.Status).toBe('Deployed');
    await aws(['cloudfront', 'delete-distribution', '--id', id, '--if-match', deployed.ETag]);
    const gone = await run(['cloudfront', 'get-distribution', '--id', id]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('NoSuchDistribution');
    // Eleven CLI runs: each takes seconds on a busy machine, more than the default 30 s in all.
  }, 180_000);

  it('wafv2 list-web-acls --scope CLOUDFRONT, create-web-acl and list-available-managed-rule-groups', async () => {
    const empty = await aws(['wafv2', 'list-web-acls', '--scope', 'CLOUDFRONT', '--region', 'us-east-1']);
    expect(empty.WebACLs).toEqual([]);
    const groups = await aws(['wafv2', 'list-available-managed-rule-groups', '--scope', 'CLOUDFRONT']);
    expect(groups.ManagedRuleGroups.map((g: Json) => g.Name)).toContain('AWSManagedRulesCommonRuleSet');
    const rules = [
      {
        Name: 'common',
        Priority: 0,
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } },
        OverrideAction: { None: {} },
        VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'common' },
      },
    ];
    const created = await aws([
      'wafv2',
      'create-web-acl',
      '--name',
      'cli-acl',
      '--scope',
      'CLOUDFRONT',
      '--default-action',
      'Allow={}',
      '--visibility-config',
      'SampledRequestsEnabled=true,CloudWatchMetricsEnabled=true,MetricName=cliacl',
      '--rules',
      writeJson('rules.json', rules),
    ]);
    expect(created.Summary.ARN).toMatch(/^arn:aws:wafv2:us-east-1:123456789012:global\/webacl\/cli-acl\//);
    const listed = await aws(['wafv2', 'list-web-acls', '--scope', 'CLOUDFRONT', '--region', 'us-east-1']);
    expect(listed.WebACLs.map((a: Json) => a.Name)).toEqual(['cli-acl']);

    const west = await run(['wafv2', 'list-web-acls', '--scope', 'CLOUDFRONT'], { region: 'eu-west-1' });
    expect(west.code).not.toBe(0);
    expect(west.stderr).toContain('WAFInvalidParameterException');
  });
});
