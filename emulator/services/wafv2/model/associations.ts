import { ARN_NOT_VALID, invalidParameter, nonexistent, parseEntityArn, type Caller } from './common';
import { regionalWebAclByArn } from './webacls';

/**
 * Associating web ACLs with the resources they protect.
 *
 * AssociateWebACL, DisassociateWebACL, GetWebACLForResource and
 * ListResourcesForWebACL are for regional resources (load balancers, API
 * Gateway stages, AppSync APIs, Cognito user pools, App Runner services,
 * Verified Access instances, Amplify apps, AgentCore gateways). CloudFront is
 * the exception: a distribution names its web ACL in its own configuration
 * (WebACLId, through UpdateDistribution), and WAF refuses a CloudFront ARN
 * or a global web ACL here.
 * https://docs.aws.amazon.com/waf/latest/APIReference/API_AssociateWebACL.html
 * https://docs.aws.amazon.com/waf/latest/APIReference/API_ListResourcesForWebACL.html
 *
 * The emulator runs none of those regional resources, so a well-formed ARN
 * of one names nothing that exists (WAFNonexistentItemException), and a
 * regional web ACL protects nothing.
 */

/** The ARN shapes AssociateWebACLRequest.ResourceArn documents, one per regional resource type. */
const REGIONAL_RESOURCE_ARNS: readonly RegExp[] = [
  /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/app\/[^/]+\/[^/]+$/,
  /^arn:aws[a-z-]*:apigateway:[a-z0-9-]+::\/restapis\/[^/]+\/stages\/[^/]+$/,
  /^arn:aws[a-z-]*:appsync:[a-z0-9-]+:\d{12}:apis\/[^/]+$/,
  /^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[^/]+$/,
  /^arn:aws[a-z-]*:apprunner:[a-z0-9-]+:\d{12}:service\/[^/]+\/[^/]+$/,
  /^arn:aws[a-z-]*:ec2:[a-z0-9-]+:\d{12}:verified-access-instance\/[^/]+$/,
  /^arn:aws[a-z-]*:amplify:[a-z0-9-]+:\d{12}:apps\/[^/]+$/,
  /^arn:aws[a-z-]*:bedrock-agentcore:[a-z0-9-]+:\d{12}:gateway\/[^/]+$/,
];

/**
 * A resource ARN WAF can look up regionally. A CloudFront distribution, an
 * S3 bucket or an ECR repository is refused as not valid here.
 */
function requireRegionalResource(arn: string): void {
  if (!REGIONAL_RESOURCE_ARNS.some((re) => re.test(arn))) throw invalidParameter('RESOURCE_ARN', arn, ARN_NOT_VALID);
}

/** A regional web ACL of the caller's region; a global (CLOUDFRONT) one is not valid for these calls. */
function requireRegionalWebAcl(caller: Caller, arn: string): void {
  const parsed = parseEntityArn(arn);
  if (!parsed || parsed.kind !== 'webacl' || parsed.scope !== 'REGIONAL') throw invalidParameter('RESOURCE_ARN', arn, ARN_NOT_VALID);
  if (!regionalWebAclByArn(caller, arn)) throw nonexistent();
}

export function associateWebAcl(caller: Caller, webAclArn: string, resourceArn: string): void {
  requireRegionalWebAcl(caller, webAclArn);
  requireRegionalResource(resourceArn);
  throw nonexistent();
}

export function disassociateWebAcl(_caller: Caller, resourceArn: string): void {
  requireRegionalResource(resourceArn);
  throw nonexistent();
}

export function webAclForResource(_caller: Caller, resourceArn: string): never {
  requireRegionalResource(resourceArn);
  throw nonexistent();
}

/** The resources a regional web ACL protects: none can exist here, whatever ResourceType asks for. */
export function resourcesForWebAcl(caller: Caller, webAclArn: string): string[] {
  requireRegionalWebAcl(caller, webAclArn);
  return [];
}
