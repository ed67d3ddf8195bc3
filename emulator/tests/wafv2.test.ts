import { CreateDistributionCommand, GetDistributionConfigCommand, UpdateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateBucketCommand, PutBucketPolicyCommand, PutObjectCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import {
  AssociateWebACLCommand,
  CreateIPSetCommand,
  CreateRuleGroupCommand,
  CreateWebACLCommand,
  DeleteIPSetCommand,
  DeleteWebACLCommand,
  DisassociateWebACLCommand,
  GetIPSetCommand,
  GetWebACLCommand,
  GetWebACLForResourceCommand,
  ListAvailableManagedRuleGroupsCommand,
  ListIPSetsCommand,
  ListResourcesForWebACLCommand,
  ListTagsForResourceCommand,
  ListWebACLsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateIPSetCommand,
  UpdateWebACLCommand,
  type Rule,
  type Tag,
  type WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeGet, s3Config } from '../test-support/cloudfront';
import { cloudfrontClient, sigV4For, failure, s3Client, wafClient } from '../test-support/clients';
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

  it('keeps a byte-match statement’s SearchString as the bytes sent', async () => {
    const search = new Uint8Array([0x62, 0x61, 0x64, 0x00, 0xff]);
    const rule: Rule = {
      Name: 'bad-agent',
      Priority: 0,
      Statement: {
        ByteMatchStatement: {
          SearchString: search,
          FieldToMatch: { SingleHeader: { Name: 'user-agent' } },
          TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }],
          PositionalConstraint: 'CONTAINS',
        },
      },
      Action: { Block: {} },
      VisibilityConfig: visibility('badagent'),
    };
    const s = await createAcl('byte-match', { rules: [rule] });
    const got = await waf.send(new GetWebACLCommand({ Name: 'byte-match', Scope: 'CLOUDFRONT', Id: s.Id }));
    const stored = got.WebACL?.Rules?.[0]?.Statement?.ByteMatchStatement;
    expect(Buffer.from(stored!.SearchString!)).toEqual(Buffer.from(search));
    expect(stored?.FieldToMatch).toEqual({ SingleHeader: { Name: 'user-agent' } });
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
      { Authorization: sigV4For('wafv2'), 'X-Amz-Target': 'AWSWAF_20190729.ListWebACLs' },
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

/** A rule that blocks what an IP set matches, optionally nested in a NotStatement. */
function ipSetRule(Name: string, arn: string, Priority = 0, negate = false): Rule {
  const ref = { IPSetReferenceStatement: { ARN: arn } };
  return {
    Name,
    Priority,
    Statement: negate ? { NotStatement: { Statement: ref } } : ref,
    Action: { Block: {} },
    VisibilityConfig: visibility(Name),
  };
}

type WafError = Error & { Field?: string; Parameter?: string };

describe('WAFv2 IP sets', () => {
  it('creates, reads, lists and pages IP sets in both scopes', async () => {
    const created = await waf.send(
      new CreateIPSetCommand({
        Name: 'office',
        Scope: 'CLOUDFRONT',
        IPAddressVersion: 'IPV4',
        Addresses: ['192.0.2.0/24', '198.51.100.7/32'],
        Description: 'Office egress',
        Tags: [{ Key: 'team', Value: 'web' }],
      }),
    );
    const s = created.Summary!;
    expect(s.Id).toMatch(UUID);
    expect(s.LockToken).toMatch(UUID);
    expect(s.ARN).toBe(`arn:aws:wafv2:us-east-1:123456789012:global/ipset/office/${s.Id}`);

    const got = await waf.send(new GetIPSetCommand({ Name: 'office', Scope: 'CLOUDFRONT', Id: s.Id }));
    expect(got.LockToken).toBe(s.LockToken);
    expect(got.IPSet).toEqual({
      Name: 'office',
      Id: s.Id,
      ARN: s.ARN,
      Description: 'Office egress',
      IPAddressVersion: 'IPV4',
      Addresses: ['192.0.2.0/24', '198.51.100.7/32'],
    });
    const tags = await waf.send(new ListTagsForResourceCommand({ ResourceARN: s.ARN }));
    expect(tags.TagInfoForResource).toEqual({ ResourceARN: s.ARN, TagList: [{ Key: 'team', Value: 'web' }] });

    const dup = await failure(waf.send(new CreateIPSetCommand({ Name: 'office', Scope: 'CLOUDFRONT', IPAddressVersion: 'IPV4', Addresses: [] })));
    expect(dup.name).toBe('WAFDuplicateItemException');
    // The wrong id for a name, or the wrong name for an id, is no IP set.
    const wrongName = await failure(waf.send(new GetIPSetCommand({ Name: 'other', Scope: 'CLOUDFRONT', Id: s.Id })));
    expect(wrongName.name).toBe('WAFNonexistentItemException');

    // A REGIONAL set lives in the caller's region; an IPv6 one keeps its version.
    const west = wafClient(emu.url, { region: 'eu-west-1' });
    const v6 = await west.send(new CreateIPSetCommand({ Name: 'office', Scope: 'REGIONAL', IPAddressVersion: 'IPV6', Addresses: ['2001:db8::/32', '2001:db8:1::1/128'] }));
    expect(v6.Summary?.ARN).toMatch(/^arn:aws:wafv2:eu-west-1:123456789012:regional\/ipset\/office\//);
    expect((await west.send(new GetIPSetCommand({ Name: 'office', Scope: 'REGIONAL', Id: v6.Summary!.Id }))).IPSet?.IPAddressVersion).toBe('IPV6');
    expect((await waf.send(new ListIPSetsCommand({ Scope: 'REGIONAL' }))).IPSets).toEqual([]);
    const cfWest = await failure(west.send(new ListIPSetsCommand({ Scope: 'CLOUDFRONT' })));
    expect((cfWest as WafError).Field).toBe('SCOPE_VALUE');

    for (const n of ['page-1', 'page-2', 'page-3']) {
      await waf.send(new CreateIPSetCommand({ Name: n, Scope: 'CLOUDFRONT', IPAddressVersion: 'IPV4', Addresses: ['203.0.113.0/24'] }));
    }
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const out = await waf.send(new ListIPSetsCommand({ Scope: 'CLOUDFRONT', Limit: 2, NextMarker: marker }));
      seen.push(...(out.IPSets ?? []).map((x) => x.Name!));
      marker = out.NextMarker;
      pages++;
    } while (marker);
    expect(seen).toEqual(['office', 'page-1', 'page-2', 'page-3']);
    expect(pages).toBe(2);
  });

  it('takes only CIDR blocks of the set’s IP version, never /0, as WAF does', async () => {
    const refused: [string, 'IPV4' | 'IPV6'][] = [
      ['203.0.113.10', 'IPV4'], // a bare address is not CIDR notation
      ['0.0.0.0/0', 'IPV4'], // every range except /0
      ['195.178.188.66/29', 'IPV4'], // bits set past the prefix
      ['10.0.0.0/33', 'IPV4'],
      ['256.0.0.0/8', 'IPV4'],
      ['2001:db8::/32', 'IPV4'], // the other version
      ['10.0.0.0/8', 'IPV6'],
      ['::/0', 'IPV6'],
      ['2001:db8::1/32', 'IPV6'],
      ['2001:db8::/129', 'IPV6'],
    ];
    for (const [address, version] of refused) {
      const err = (await failure(
        waf.send(new CreateIPSetCommand({ Name: 'bad-cidr', Scope: 'CLOUDFRONT', IPAddressVersion: version, Addresses: [version === 'IPV4' ? '192.0.2.0/24' : '2001:db8::/32', address] })),
      )) as WafError;
      expect(err.name, address).toBe('WAFInvalidParameterException');
      expect(err.Field, address).toBe('IP_ADDRESS');
      expect(err.Parameter, address).toBe(address);
      expect(err.message).toBe(`Error reason: The parameter contains formatting that is not valid., field: IP_ADDRESS, parameter: ${address}`);
    }
    expect((await waf.send(new ListIPSetsCommand({ Scope: 'CLOUDFRONT' }))).IPSets?.some((x) => x.Name === 'bad-cidr')).toBe(false);

    const ok = await waf.send(
      new CreateIPSetCommand({ Name: 'v6-ok', Scope: 'CLOUDFRONT', IPAddressVersion: 'IPV6', Addresses: ['::ffff:192.0.2.0/120', '2001:DB8:0:0:8:800:200C:417A/128', 'fe80::/10'] }),
    );
    expect(ok.Summary?.Id).toMatch(UUID);

    // AWS WAF quotas: 10,000 CIDR blocks per IP set.
    const many = Array.from({ length: 10_001 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.0/24`);
    const tooMany = await failure(waf.send(new CreateIPSetCommand({ Name: 'too-many', Scope: 'CLOUDFRONT', IPAddressVersion: 'IPV4', Addresses: many })));
    expect(tooMany.name).toBe('WAFLimitsExceededException');

    // Required members are the front end's to refuse.
    const missing = await failure(waf.send(new CreateIPSetCommand({ Name: 'no-addresses', Scope: 'CLOUDFRONT', IPAddressVersion: 'IPV4' } as never)));
    expect(missing.name).toBe('ValidationException');
    expect(missing.message).toBe("1 validation error detected: Value null at 'addresses' failed to satisfy constraint: Member must not be null");
  });

  it('updates with the lock token, replacing the addresses and description', async () => {
    const s = (await waf.send(new CreateIPSetCommand({ Name: 'rotating', Scope: 'CLOUDFRONT', IPAddressVersion: 'IPV4', Addresses: ['192.0.2.0/24'], Description: 'first' })))
      .Summary!;
    const base = { Name: 'rotating', Scope: 'CLOUDFRONT' as const, Id: s.Id };
    const stale = await failure(waf.send(new UpdateIPSetCommand({ ...base, Addresses: [], LockToken: '00000000-0000-0000-0000-000000000000' })));
    expect(stale.name).toBe('WAFOptimisticLockException');
    const badAddress = await failure(waf.send(new UpdateIPSetCommand({ ...base, Addresses: ['192.0.2.1/24'], LockToken: s.LockToken })));
    expect(badAddress.name).toBe('WAFInvalidParameterException');

    const up = await waf.send(new UpdateIPSetCommand({ ...base, Addresses: ['198.51.100.0/24', '203.0.113.0/24'], LockToken: s.LockToken }));
    expect(up.NextLockToken).toMatch(UUID);
    expect(up.NextLockToken).not.toBe(s.LockToken);
    const got = await waf.send(new GetIPSetCommand(base));
    expect(got.LockToken).toBe(up.NextLockToken);
    expect(got.IPSet?.Addresses).toEqual(['198.51.100.0/24', '203.0.113.0/24']);
    expect(got.IPSet?.Description).toBeUndefined();
    expect(got.IPSet?.IPAddressVersion).toBe('IPV4');

    const oldToken = await failure(waf.send(new DeleteIPSetCommand({ ...base, LockToken: s.LockToken })));
    expect(oldToken.name).toBe('WAFOptimisticLockException');
    await waf.send(new DeleteIPSetCommand({ ...base, LockToken: up.NextLockToken }));
    expect((await failure(waf.send(new GetIPSetCommand(base)))).name).toBe('WAFNonexistentItemException');
  });

  it('lets web ACL rules reference IP sets, and refuses to delete a set a rule uses', async () => {
    const set = (await waf.send(new CreateIPSetCommand({ Name: 'blocked', Scope: 'CLOUDFRONT', IPAddressVersion: 'IPV4', Addresses: ['203.0.113.0/24'] }))).Summary!;
    const acl = (
      await waf.send(
        new CreateWebACLCommand({
          Name: 'uses-ipset',
          Scope: 'CLOUDFRONT',
          DefaultAction: { Allow: {} },
          VisibilityConfig: visibility('usesipset'),
          Rules: [ipSetRule('block-listed', set.ARN!), ipSetRule('allow-listed-only', set.ARN!, 1, true)],
        }),
      )
    ).Summary!;
    const got = await waf.send(new GetWebACLCommand({ ARN: acl.ARN }));
    expect(got.WebACL?.Name).toBe('uses-ipset');
    expect(got.WebACL?.Rules?.[0]?.Statement).toEqual({ IPSetReferenceStatement: { ARN: set.ARN } });
    expect(got.WebACL?.Capacity).toBe(2);

    const inUse = await failure(waf.send(new DeleteIPSetCommand({ Name: 'blocked', Scope: 'CLOUDFRONT', Id: set.Id, LockToken: set.LockToken })));
    expect(inUse.name).toBe('WAFAssociatedItemException');
    expect(inUse.message).toContain('uses-ipset');

    // An ARN that names no IP set, or a set of another scope, is refused.
    const unknown = `arn:aws:wafv2:us-east-1:123456789012:global/ipset/ghost/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`;
    const west = wafClient(emu.url, { region: 'eu-west-1' });
    const regional = (await west.send(new CreateIPSetCommand({ Name: 'regional-set', Scope: 'REGIONAL', IPAddressVersion: 'IPV4', Addresses: [] }))).Summary!;
    for (const arn of [unknown, regional.ARN!]) {
      const err = await failure(
        waf.send(new CreateWebACLCommand({ Name: 'ghost-ref', Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} }, VisibilityConfig: visibility('g'), Rules: [ipSetRule('r', arn)] })),
      );
      expect(err.name, arn).toBe('WAFNonexistentItemException');
    }
    const regionalAcl = await west.send(
      new CreateWebACLCommand({ Name: 'regional-ref', Scope: 'REGIONAL', DefaultAction: { Block: {} }, VisibilityConfig: visibility('r'), Rules: [ipSetRule('r', regional.ARN!)] }),
    );
    expect(regionalAcl.Summary?.Id).toMatch(UUID);

    // Once no rule uses it, the set can go.
    await waf.send(
      new UpdateWebACLCommand({ Name: 'uses-ipset', Scope: 'CLOUDFRONT', Id: acl.Id, LockToken: got.LockToken, DefaultAction: { Allow: {} }, VisibilityConfig: visibility('usesipset') }),
    );
    await waf.send(new DeleteIPSetCommand({ Name: 'blocked', Scope: 'CLOUDFRONT', Id: set.Id, LockToken: set.LockToken }));
  });
});

describe('WAFv2 associations', () => {
  const alb = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188';

  it('refuses CloudFront, which takes its web ACL through UpdateDistribution, and resources WAF cannot protect', async () => {
    const global = await createAcl('assoc-global');
    const distribution = 'arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE0001';
    const viaWaf = (await failure(waf.send(new AssociateWebACLCommand({ WebACLArn: global.ARN, ResourceArn: distribution })))) as WafError;
    expect(viaWaf.name).toBe('WAFInvalidParameterException');
    expect(viaWaf.Field).toBe('RESOURCE_ARN');
    expect(viaWaf.Parameter).toBe(global.ARN);

    const west = wafClient(emu.url, { region: 'eu-west-1' });
    const regional = (await west.send(new CreateWebACLCommand({ Name: 'assoc-regional', Scope: 'REGIONAL', DefaultAction: { Allow: {} }, VisibilityConfig: visibility('a') })))
      .Summary!;
    for (const resource of [distribution, 'arn:aws:s3:::some-bucket', 'arn:aws:ecr:eu-west-1:123456789012:repository/app']) {
      const err = (await failure(west.send(new AssociateWebACLCommand({ WebACLArn: regional.ARN, ResourceArn: resource })))) as WafError;
      expect(err.name, resource).toBe('WAFInvalidParameterException');
      expect(err.Parameter, resource).toBe(resource);
      for (const call of [
        west.send(new GetWebACLForResourceCommand({ ResourceArn: resource })),
        west.send(new DisassociateWebACLCommand({ ResourceArn: resource })),
      ]) {
        expect(((await failure(call)) as WafError).Field, resource).toBe('RESOURCE_ARN');
      }
    }

    // A well-formed ARN of a type WAF protects names nothing the emulator runs.
    expect((await failure(west.send(new AssociateWebACLCommand({ WebACLArn: regional.ARN, ResourceArn: alb })))).name).toBe('WAFNonexistentItemException');
    expect((await failure(west.send(new GetWebACLForResourceCommand({ ResourceArn: alb })))).name).toBe('WAFNonexistentItemException');
    expect((await failure(west.send(new DisassociateWebACLCommand({ ResourceArn: alb })))).name).toBe('WAFNonexistentItemException');
    const noAcl = regional.ARN!.replace(regional.Id!, '11111111-1111-1111-1111-111111111111');
    expect((await failure(west.send(new AssociateWebACLCommand({ WebACLArn: noAcl, ResourceArn: alb })))).name).toBe('WAFNonexistentItemException');
  });

  it('lists no resources for a regional web ACL, and refuses a global one (CloudFront lists its own)', async () => {
    const west = wafClient(emu.url, { region: 'eu-west-1' });
    const regional = (await west.send(new CreateWebACLCommand({ Name: 'list-regional', Scope: 'REGIONAL', DefaultAction: { Allow: {} }, VisibilityConfig: visibility('l') })))
      .Summary!;
    expect((await west.send(new ListResourcesForWebACLCommand({ WebACLArn: regional.ARN }))).ResourceArns).toEqual([]);
    expect((await west.send(new ListResourcesForWebACLCommand({ WebACLArn: regional.ARN, ResourceType: 'API_GATEWAY' }))).ResourceArns).toEqual([]);
    // From another region the web ACL is not there.
    expect((await failure(waf.send(new ListResourcesForWebACLCommand({ WebACLArn: regional.ARN })))).name).toBe('WAFNonexistentItemException');

    const global = await createAcl('list-global');
    const err = (await failure(waf.send(new ListResourcesForWebACLCommand({ WebACLArn: global.ARN })))) as WafError;
    expect(err.name).toBe('WAFInvalidParameterException');
    expect(err.Field).toBe('RESOURCE_ARN');
  });
});

describe('WAFv2 tags', () => {
  const tagsOf = async (arn: string) => (await waf.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).TagInfoForResource?.TagList ?? [];

  it('tags web ACLs at creation and later, replaces values, untags, and drops tags with the resource', async () => {
    const s = (
      await waf.send(
        new CreateWebACLCommand({
          Name: 'tagged',
          Scope: 'CLOUDFRONT',
          DefaultAction: { Allow: {} },
          VisibilityConfig: visibility('tagged'),
          Tags: [
            { Key: 'env', Value: 'prod' },
            { Key: 'owner', Value: 'web' },
          ],
        }),
      )
    ).Summary!;
    expect(await tagsOf(s.ARN!)).toEqual([
      { Key: 'env', Value: 'prod' },
      { Key: 'owner', Value: 'web' },
    ]);
    await waf.send(new TagResourceCommand({ ResourceARN: s.ARN, Tags: [{ Key: 'env', Value: 'staging' }, { Key: 'Cost-Center', Value: '' }] }));
    expect(await tagsOf(s.ARN!)).toEqual([
      { Key: 'Cost-Center', Value: '' },
      { Key: 'env', Value: 'staging' },
      { Key: 'owner', Value: 'web' },
    ]);
    // Keys are case-sensitive; a key the resource lacks is no error.
    await waf.send(new UntagResourceCommand({ ResourceARN: s.ARN, TagKeys: ['owner', 'ENV', 'absent'] }));
    expect(await tagsOf(s.ARN!)).toEqual([
      { Key: 'Cost-Center', Value: '' },
      { Key: 'env', Value: 'staging' },
    ]);

    const page1 = await waf.send(new ListTagsForResourceCommand({ ResourceARN: s.ARN, Limit: 1 }));
    expect(page1.TagInfoForResource?.TagList).toEqual([{ Key: 'Cost-Center', Value: '' }]);
    const page2 = await waf.send(new ListTagsForResourceCommand({ ResourceARN: s.ARN, Limit: 1, NextMarker: page1.NextMarker }));
    expect(page2.TagInfoForResource?.TagList).toEqual([{ Key: 'env', Value: 'staging' }]);
    expect(page2.NextMarker).toBeUndefined();

    const lock = (await waf.send(new GetWebACLCommand({ Name: 'tagged', Scope: 'CLOUDFRONT', Id: s.Id }))).LockToken;
    await waf.send(new DeleteWebACLCommand({ Name: 'tagged', Scope: 'CLOUDFRONT', Id: s.Id, LockToken: lock }));
    expect((await failure(waf.send(new ListTagsForResourceCommand({ ResourceARN: s.ARN })))).name).toBe('WAFNonexistentItemException');
  });

  it('holds at most 50 tags per resource, and refuses ARNs it cannot use', async () => {
    const set = (await waf.send(new CreateIPSetCommand({ Name: 'tag-limit', Scope: 'CLOUDFRONT', IPAddressVersion: 'IPV4', Addresses: [] }))).Summary!;
    const fifty: Tag[] = Array.from({ length: 50 }, (_, i) => ({ Key: `k${String(i).padStart(2, '0')}`, Value: String(i) }));
    await waf.send(new TagResourceCommand({ ResourceARN: set.ARN, Tags: fifty }));
    // Replacing a value keeps the count at 50; one more key is over the limit, and nothing of that request is kept.
    await waf.send(new TagResourceCommand({ ResourceARN: set.ARN, Tags: [{ Key: 'k00', Value: 'again' }] }));
    const over = await failure(waf.send(new TagResourceCommand({ ResourceARN: set.ARN, Tags: [{ Key: 'k01', Value: 'changed' }, { Key: 'one-more', Value: 'x' }] })));
    expect(over.name).toBe('WAFLimitsExceededException');
    const now = await tagsOf(set.ARN!);
    expect(now).toHaveLength(50);
    expect(now.find((t) => t.Key === 'k01')?.Value).toBe('1');
    expect(now.find((t) => t.Key === 'k00')?.Value).toBe('again');
    const atCreate = await failure(
      waf.send(new CreateIPSetCommand({ Name: 'born-over', Scope: 'CLOUDFRONT', IPAddressVersion: 'IPV4', Addresses: [], Tags: [...fifty, { Key: 'x', Value: 'y' }] })),
    );
    expect(atCreate.name).toBe('WAFLimitsExceededException');
    expect((await waf.send(new ListIPSetsCommand({ Scope: 'CLOUDFRONT' }))).IPSets?.some((x) => x.Name === 'born-over')).toBe(false);

    const malformed = (await failure(waf.send(new TagResourceCommand({ ResourceARN: 'arn:aws:s3:::not-a-waf-thing', Tags: [{ Key: 'a', Value: 'b' }] })))) as WafError;
    expect(malformed.name).toBe('WAFInvalidParameterException');
    expect(malformed.Field).toBe('RESOURCE_ARN');
    const gone = set.ARN!.replace(set.Id!, '22222222-2222-2222-2222-222222222222');
    expect((await failure(waf.send(new TagResourceCommand({ ResourceARN: gone, Tags: [{ Key: 'a', Value: 'b' }] })))).name).toBe('WAFNonexistentItemException');
    // A global entity is reached through us-east-1 only.
    const west = wafClient(emu.url, { region: 'eu-west-1' });
    expect((await failure(west.send(new ListTagsForResourceCommand({ ResourceARN: set.ARN })))).name).toBe('WAFNonexistentItemException');

    const badKey = await failure(waf.send(new TagResourceCommand({ ResourceARN: set.ARN, Tags: [{ Key: 'no*stars', Value: 'b' }] })));
    expect(badKey.name).toBe('ValidationException');
    expect(badKey.message).toContain("at 'tags.1.member.key'");

    const ro = wafClient(emu.url, { key: 'readonly' });
    const denied = await failure(ro.send(new TagResourceCommand({ ResourceARN: set.ARN, Tags: [{ Key: 'a', Value: 'b' }] })));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain('wafv2:TagResource');
    expect(denied.message).toContain(set.ARN);
    expect((await ro.send(new ListTagsForResourceCommand({ ResourceARN: set.ARN }))).TagInfoForResource?.TagList).toHaveLength(50);
  });
});

describe('WAFv2 operations the emulator does not implement', () => {
  it('answer NotImplemented, naming the operation', async () => {
    const err = await failure(
      waf.send(new CreateRuleGroupCommand({ Name: 'rg', Scope: 'CLOUDFRONT', Capacity: 10, VisibilityConfig: visibility('rg') })),
    );
    expect(err.name).toBe('NotImplemented');
    expect(err.message).toContain('CreateRuleGroup');
    expect(err.$metadata?.httpStatusCode).toBe(501);
  });
});
