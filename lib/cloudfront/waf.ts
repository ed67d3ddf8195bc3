import 'server-only';
import { CreateWebACLCommand, DeleteWebACLCommand, GetWebACLCommand, ListWebACLsCommand, type Rule } from '@aws-sdk/client-wafv2';
import { wafClient } from '@/lib/aws/clients';
import './errors';

// Web ACLs that can protect a distribution: scope CLOUDFRONT, in us-east-1.
// https://docs.aws.amazon.com/waf/latest/developerguide/cloudfront-features.html

export interface WebAcl {
  name: string;
  id: string;
  arn: string;
  description: string;
}

export async function listWebAcls(): Promise<WebAcl[]> {
  const out: WebAcl[] = [];
  let marker: string | undefined;
  do {
    const page = await wafClient().send(new ListWebACLsCommand({ Scope: 'CLOUDFRONT', Limit: 100, NextMarker: marker }));
    for (const a of page.WebACLs ?? []) out.push({ name: a.Name ?? '', id: a.Id ?? '', arn: a.ARN ?? '', description: a.Description ?? '' });
    marker = page.WebACLs?.length ? page.NextMarker : undefined;
  } while (marker);
  return out;
}

/** The AWS managed rule groups Berth's "core protections" web ACL turns on. */
export const CORE_RULE_GROUPS = [
  { name: 'AWSManagedRulesCommonRuleSet', about: 'common exploits from the OWASP Top 10' },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', about: 'request patterns known to be malicious' },
  { name: 'AWSManagedRulesAmazonIpReputationList', about: 'addresses Amazon threat intelligence flags' },
] as const;

export function webAclNameFor(bucket: string): string {
  return `berth-${bucket}-core`.replace(/[^\w-]/g, '-').slice(0, 128);
}

/** Creates (or, when a retry already made it, finds) a web ACL with the core managed rule groups. */
export async function ensureCoreWebAcl(bucket: string): Promise<{ arn: string; created: boolean }> {
  const name = webAclNameFor(bucket);
  const rules: Rule[] = CORE_RULE_GROUPS.map((g, i) => ({
    Name: g.name,
    Priority: i,
    Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: g.name } },
    OverrideAction: { None: {} },
    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: g.name },
  }));
  try {
    const out = await wafClient().send(
      new CreateWebACLCommand({
        Name: name,
        Scope: 'CLOUDFRONT',
        DefaultAction: { Allow: {} },
        Description: `Core protections for ${bucket}, made by Berth`,
        Rules: rules,
        VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: name.replace(/-/g, '') },
      }),
    );
    return { arn: out.Summary!.ARN!, created: true };
  } catch (error) {
    if ((error as Error).name !== 'WAFDuplicateItemException') throw error;
    const existing = (await listWebAcls()).find((a) => a.name === name);
    if (!existing) throw error;
    return { arn: existing.arn, created: false };
  }
}

/** Deletes the web ACL Berth made for a bucket, if it exists; AWS refuses while a distribution still uses it. */
export async function deleteCoreWebAcl(bucket: string): Promise<boolean> {
  const name = webAclNameFor(bucket);
  const acl = (await listWebAcls()).find((a) => a.name === name);
  if (!acl) return false;
  const got = await wafClient().send(new GetWebACLCommand({ Name: acl.name, Id: acl.id, Scope: 'CLOUDFRONT' }));
  await wafClient().send(new DeleteWebACLCommand({ Name: acl.name, Id: acl.id, Scope: 'CLOUDFRONT', LockToken: got.LockToken }));
  return true;
}

/** Name and id out of a CloudFront-scope web ACL's ARN (…:global/webacl/<name>/<id>), or null. */
export function parseWebAclArn(arn: string): { name: string; id: string } | null {
  const m = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/([\w-]{1,128})\/([a-f0-9-]{1,36})$/.exec(arn);
  return m ? { name: m[1]!, id: m[2]! } : null;
}

/** A web ACL by ARN, or null when it no longer exists. */
export async function describeWebAcl(arn: string): Promise<WebAcl | null> {
  const parsed = parseWebAclArn(arn);
  if (!parsed) return null;
  try {
    const out = await wafClient().send(new GetWebACLCommand({ Name: parsed.name, Id: parsed.id, Scope: 'CLOUDFRONT' }));
    return { name: out.WebACL?.Name ?? parsed.name, id: parsed.id, arn, description: out.WebACL?.Description ?? '' };
  } catch (error) {
    if ((error as Error).name === 'WAFNonexistentItemException') return null;
    throw error;
  }
}

/** Deletes a web ACL by ARN with its current lock token; WAF refuses while a resource uses it. */
export async function deleteWebAcl(arn: string): Promise<void> {
  const parsed = parseWebAclArn(arn);
  if (!parsed) throw new Error(`Not a CloudFront web ACL ARN: ${arn}`);
  const got = await wafClient().send(new GetWebACLCommand({ Name: parsed.name, Id: parsed.id, Scope: 'CLOUDFRONT' }));
  await wafClient().send(new DeleteWebACLCommand({ Name: parsed.name, Id: parsed.id, Scope: 'CLOUDFRONT', LockToken: got.LockToken }));
}
