import { CreateDistributionCommand, GetDistributionConfigCommand, UpdateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateBucketCommand, PutBucketPolicyCommand, PutObjectCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import {
  CreateWebACLCommand,
  DeleteWebACLCommand,
  GetWebACLCommand,
  ListAvailableManagedRuleGroupsCommand,
  ListWebACLsCommand,
  UpdateWebACLCommand,
  type Rule,
  type WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeGet, s3Config } from '../test-support/cloudfront';
import { cloudfrontClient, fakeSigV4, failure, s3Client, wafClient } from '../test-support/clients';
import { rawRequest } from '../test-support/raw-http';
import { spawnEmulator, type SpawnedEmulator } from '../test-support/spawn';

let emu: SpawnedEmulator;
let waf: WAFV2Client;

beforeAll(async () => {
  emu = await spawnEmulator({ args: ['--quiet'] });
  waf = wafClient(emu.url);
});

afterAll(async () => {
  expect(await emu.stop()).toBe(0);
});

const UUID = /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/;
const visibility = (MetricName: string) => ({ SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName });

function managedRules(names: string[]): Rule[] {
  return names.map((Name, Priority) => ({
    Name,
    Priority,
    Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name } },
    OverrideAction: { None: {} },
    VisibilityConfig: visibility(Name),
  }));
}

async function createAcl(Name: string, o: { block?: boolean; rules?: Rule[] } = {}) {
  const out = await waf.send(
    new CreateWebACLCommand({
      Name,
      Scope: 'CLOUDFRONT',
      DefaultAction: o.block ? { Block: {} } : { Allow: {} },
      Description: `Test ACL ${Name}`,
      Rules: o.rules ?? [],
      VisibilityConfig: visibility(Name),
    }),
  );
  return out.Summary!;
}

describe('WAFv2 with the AWS SDK', () => {
  it('lists the available AWS managed rule groups', async () => {
    const out = await waf.send(new ListAvailableManagedRuleGroupsCommand({ Scope: 'CLOUDFRONT' }));
    const names = out.ManagedRuleGroups?.map((g) => g.Name);
    expect(names).toEqual(
      expect.arrayContaining([
        'AWSManagedRulesCommonRuleSet',
        'AWSManagedRulesKnownBadInputsRuleSet',
        'AWSManagedRulesAmazonIpReputationList',
        'AWSManagedRulesAnonymousIpList',
        'AWSManagedRulesSQLiRuleSet',
      ]),
    );
    expect(out.ManagedRuleGroups?.every((g) => g.VendorName === 'AWS')).toBe(true);
  });

  it('creates a CLOUDFRONT web ACL whose managed rule groups round-trip', async () => {
    const rules = managedRules(['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList']);
    const s = await createAcl('core-protections', { rules });
    expect(s.Id).toMatch(UUID);
    expect(s.LockToken).toMatch(UUID);
    expect(s.ARN).toBe(`arn:aws:wafv2:us-east-1:123456789012:global/webacl/core-protections/${s.Id}`);
    expect(s.Description).toBe('Test ACL core-protections');

    const got = await waf.send(new GetWebACLCommand({ Name: 'core-protections', Scope: 'CLOUDFRONT', Id: s.Id }));
    expect(got.LockToken).toBe(s.LockToken);
    expect(got.WebACL).toMatchObject({ Name: 'core-protections', Id: s.Id, ARN: s.ARN, DefaultAction: { Allow: {} }, Capacity: 925 });
    expect(got.WebACL?.Rules).toEqual(rules);

    const dup = await failure(waf.send(new CreateWebACLCommand({ Name: 'core-protections', Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} }, VisibilityConfig: visibility('x') })));
    expect(dup.name).toBe('WAFDuplicateItemException');
  });

  it('refuses CLOUDFRONT scope outside us-east-1 and bad input, in WAF’s words', async () => {
    const west = wafClient(emu.url, { region: 'eu-west-1' });
    const scope = await failure(west.send(new ListWebACLsCommand({ Scope: 'CLOUDFRONT' })));
    expect(scope.name).toBe('WAFInvalidParameterException');
    expect(scope.message).toBe('Error reason: The scope is not valid., field: SCOPE_VALUE, parameter: CLOUDFRONT');
    expect((scope as unknown as { Field: string }).Field).toBe('SCOPE_VALUE');

    // What the model forbids, WAF's front end refuses before WAF looks: ValidationException, members named in lower camel case.
    const badName = await failure(waf.send(new CreateWebACLCommand({ Name: 'has spaces', Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} }, VisibilityConfig: visibility('x') })));
    expect(badName.name).toBe('ValidationException');
    expect(badName.message).toBe(
      "1 validation error detected: Value 'has spaces' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\w\\-]+$",
    );
    const noGroup = await failure(
      waf.send(new CreateWebACLCommand({ Name: 'no-group', Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} }, VisibilityConfig: visibility('x'), Rules: managedRules(['AWSManagedRulesMadeUp']) })),
    );
    expect(noGroup.name).toBe('WAFNonexistentItemException');
    const twoActions = await failure(
      waf.send(new CreateWebACLCommand({ Name: 'two-actions', Scope: 'CLOUDFRONT', DefaultAction: { Allow: {}, Block: {} }, VisibilityConfig: visibility('x') })),
    );
    expect(twoActions.name).toBe('WAFInvalidParameterException');

    // REGIONAL web ACLs live in the caller's region.
    const regional = await west.send(new CreateWebACLCommand({ Name: 'regional-acl', Scope: 'REGIONAL', DefaultAction: { Allow: {} }, VisibilityConfig: visibility('r') }));
    expect(regional.Summary?.ARN).toMatch(/^arn:aws:wafv2:eu-west-1:123456789012:regional\/webacl\/regional-acl\//);
    expect((await waf.send(new ListWebACLsCommand({ Scope: 'REGIONAL' }))).WebACLs?.some((a) => a.Name === 'regional-acl')).toBe(false);
  });

  it('pages ListWebACLs with Limit and NextMarker', async () => {
    for (const n of ['page-a', 'page-b', 'page-c']) await createAcl(n);
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const out = await waf.send(new ListWebACLsCommand({ Scope: 'CLOUDFRONT', Limit: 2, NextMarker: marker }));
      seen.push(...(out.WebACLs ?? []).map((a) => a.Name!));
      marker = out.NextMarker;
      pages++;
    } while (marker);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining(['page-a', 'page-b', 'page-c']));
    expect(pages).toBeGreaterThan(1);
    const bad = await failure(waf.send(new ListWebACLsCommand({ Scope: 'CLOUDFRONT', Limit: 101 })));
    expect(bad.name).toBe('ValidationException');
    expect(bad.message).toContain("Value 101 at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100");
  });

  it('updates and deletes with the lock token, and refuses to delete a web ACL a distribution uses', async () => {
    const s = await createAcl('locked');
    const base = { Name: 'locked', Scope: 'CLOUDFRONT' as const, Id: s.Id, DefaultAction: { Block: {} }, VisibilityConfig: visibility('locked') };
    const stale = await failure(waf.send(new UpdateWebACLCommand({ ...base, LockToken: '00000000-0000-0000-0000-000000000000' })));
    expect(stale.name).toBe('WAFOptimisticLockException');
    const up = await waf.send(new UpdateWebACLCommand({ ...base, LockToken: s.LockToken, Rules: managedRules(['AWSManagedRulesSQLiRuleSet']) }));
    expect(up.NextLockToken).toMatch(UUID);
    expect(up.NextLockToken).not.toBe(s.LockToken);
    const got = await waf.send(new GetWebACLCommand({ Name: 'locked', Scope: 'CLOUDFRONT', Id: s.Id }));
    expect(got.WebACL?.DefaultAction).toEqual({ Block: {} });
    expect(got.WebACL?.Capacity).toBe(200);

    // A distribution names the web ACL by ARN; a Block default action refuses its viewers.
    const s3 = s3Client(emu.url);
    await s3.send(new CreateBucketCommand({ Bucket: 'waf-site' }));
    await s3.send(new PutObjectCommand({ Bucket: 'waf-site', Key: 'index.html', Body: 'hello' }));
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: 'waf-site',
        PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false },
      }),
    );
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: 'waf-site',
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::waf-site/*' }] }),
      }),
    );
    const cf = cloudfrontClient(emu.url);
    const d = await cf.send(new CreateDistributionCommand({ DistributionConfig: s3Config('waf-site', { webAclArn: s.ARN }) }));
    const blocked = await edgeGet(emu.url, d.Distribution!.DomainName!, '/');
    expect(blocked.status).toBe(403);
    expect(blocked.body).toContain('Request blocked');

    const inUse = await failure(waf.send(new DeleteWebACLCommand({ Name: 'locked', Scope: 'CLOUDFRONT', Id: s.Id, LockToken: up.NextLockToken })));
    expect(inUse.name).toBe('WAFAssociatedItemException');
    expect(inUse.message).toContain(d.Distribution!.Id!);

    // Detach it from the distribution, then the delete goes through.
    const cfg = await cf.send(new GetDistributionConfigCommand({ Id: d.Distribution!.Id }));
    await cf.send(new UpdateDistributionCommand({ Id: d.Distribution!.Id, IfMatch: cfg.ETag, DistributionConfig: { ...cfg.DistributionConfig!, WebACLId: '' } }));
    expect((await edgeGet(emu.url, d.Distribution!.DomainName!, '/')).body).toBe('hello');
    const oldToken = await failure(waf.send(new DeleteWebACLCommand({ Name: 'locked', Scope: 'CLOUDFRONT', Id: s.Id, LockToken: s.LockToken })));
    expect(oldToken.name).toBe('WAFOptimisticLockException');
    await waf.send(new DeleteWebACLCommand({ Name: 'locked', Scope: 'CLOUDFRONT', Id: s.Id, LockToken: up.NextLockToken }));
    const gone = await failure(waf.send(new GetWebACLCommand({ Name: 'locked', Scope: 'CLOUDFRONT', Id: s.Id })));
    expect(gone.name).toBe('WAFNonexistentItemException');
  });

  it('refuses writes to the readonly key', async () => {
    const ro = wafClient(emu.url, { key: 'readonly' });
    const err = await failure(ro.send(new CreateWebACLCommand({ Name: 'ro', Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} }, VisibilityConfig: visibility('ro') })));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toContain('wafv2:CreateWebACL');
    expect((await ro.send(new ListWebACLsCommand({ Scope: 'CLOUDFRONT' }))).WebACLs).toBeDefined();
  });

  it('is routed by the SigV4 scope, or by X-Amz-Target alone', async () => {
    const cases: Record<string, string>[] = [
      { Authorization: fakeSigV4('wafv2'), 'X-Amz-Target': 'AWSWAF_20190729.ListWebACLs' },
      { 'X-Amz-Target': 'AWSWAF_20190729.ListWebACLs' },
    ];
    for (const headers of cases) {
      const res = await rawRequest(emu.url, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/x-amz-json-1.1' },
        body: JSON.stringify({ Scope: 'CLOUDFRONT' }),
      });
      if (headers.Authorization) {
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('application/x-amz-json-1.1');
        expect(Array.isArray((JSON.parse(res.body) as { WebACLs: unknown[] }).WebACLs)).toBe(true);
      } else {
        // Found by its target, then refused for having no signature, as AWS does.
        expect(res.status).toBe(400);
        expect((JSON.parse(res.body) as { __type: string }).__type).toBe('MissingAuthenticationTokenException');
      }
    }
  });
});
