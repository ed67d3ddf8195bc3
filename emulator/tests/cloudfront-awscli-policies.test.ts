import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsCliPath } from '../test-support/aws-cli';
import { awsCliSuite, type Json } from '../test-support/aws-cli-suite';

// Policies, Functions and ListDistributionsBy* through Debian's awscli, which
// parses every response against its own copy of the service model.

const cli = awsCliSuite({ args: ['--quiet', '--deploy-delay-ms', '60000'], scratch: 'berth-cf-cli-policies-' });
const { aws, run } = cli;

function file(name: string, content: string): string {
  const p = path.join(cli.dir, name);
  fs.writeFileSync(p, content);
  return p;
}

const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';

// The CLI takes a few seconds a call on a busy machine.
const SLOW = 180_000;

describe(`CloudFront policies, Functions and ListDistributionsBy* with the AWS CLI (${awsCliPath()})`, () => {
  it(
    'list-cache-policies, get-cache-policy, create- and delete-cache-policy, list-distributions-by-cache-policy-id',
    async () => {
      const managed = await aws(['cloudfront', 'list-cache-policies', '--type', 'managed']);
      const optimized = managed.CachePolicyList.Items.find((i: Json) => i.CachePolicy.Id === CACHING_OPTIMIZED);
      expect(optimized.Type).toBe('managed');
      expect(optimized.CachePolicy.CachePolicyConfig.Name).toBe('Managed-CachingOptimized');
      const got = await aws(['cloudfront', 'get-cache-policy', '--id', CACHING_OPTIMIZED]);
      expect(got.CachePolicy.CachePolicyConfig).toMatchObject({ MinTTL: 1, DefaultTTL: 86400, MaxTTL: 31536000 });
      expect(got.ETag).toBeTruthy();

      const config = {
        Name: 'cli-policy',
        MinTTL: 0,
        DefaultTTL: 300,
        MaxTTL: 3600,
        ParametersInCacheKeyAndForwardedToOrigin: {
          EnableAcceptEncodingGzip: true,
          HeadersConfig: { HeaderBehavior: 'none' },
          CookiesConfig: { CookieBehavior: 'none' },
          QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: { Quantity: 1, Items: ['v'] } },
        },
      };
      const created = await aws(['cloudfront', 'create-cache-policy', '--cache-policy-config', `file://${file('cache-policy.json', JSON.stringify(config))}`]);
      const id = created.CachePolicy.Id as string;
      expect(created.CachePolicy.CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin.QueryStringsConfig.QueryStrings.Items).toEqual(['v']);
      expect(created.Location).toContain(`/cache-policy/${id}`);
      const custom = await aws(['cloudfront', 'list-cache-policies', '--type', 'custom']);
      expect(custom.CachePolicyList.Items.map((i: Json) => i.CachePolicy.Id)).toEqual([id]);
      await aws(['cloudfront', 'delete-cache-policy', '--id', id, '--if-match', created.ETag]);

      // The seeded demo distribution uses CachingOptimized.
      const users = await aws(['cloudfront', 'list-distributions-by-cache-policy-id', '--cache-policy-id', CACHING_OPTIMIZED]);
      expect(users.DistributionIdList.Quantity).toBeGreaterThanOrEqual(1);
      expect(users.DistributionIdList.IsTruncated).toBe(false);
    },
    SLOW,
  );

  it(
    'list-origin-request-policies, create-response-headers-policy, list-distributions-by-web-acl-id null',
    async () => {
      const orp = await aws(['cloudfront', 'list-origin-request-policies', '--type', 'managed']);
      expect(orp.OriginRequestPolicyList.Items.map((i: Json) => i.OriginRequestPolicy.OriginRequestPolicyConfig.Name)).toContain('Managed-CORS-S3Origin');

      const rhp = {
        Name: 'cli-headers',
        SecurityHeadersConfig: {
          FrameOptions: { Override: true, FrameOption: 'DENY' },
          ContentTypeOptions: { Override: true },
        },
      };
      const created = await aws(['cloudfront', 'create-response-headers-policy', '--response-headers-policy-config', `file://${file('rhp.json', JSON.stringify(rhp))}`]);
      expect(created.ResponseHeadersPolicy.ResponseHeadersPolicyConfig.SecurityHeadersConfig.FrameOptions).toEqual({ Override: true, FrameOption: 'DENY' });
      const got = await aws(['cloudfront', 'get-response-headers-policy', '--id', created.ResponseHeadersPolicy.Id]);
      expect(got.ETag).toBe(created.ETag);

      const none = await aws(['cloudfront', 'list-distributions-by-web-acl-id', '--web-acl-id', 'null']);
      expect(none.DistributionList.Items.map((i: Json) => i.Comment)).toContain('Berth demo site');
    },
    SLOW,
  );

  it(
    'create-function, test-function, publish-function, describe-function, list-functions, delete-function',
    async () => {
      const code = file(
        'fn.js',
        `function handler(event) {
  var request = event.request;
  console.log('uri ' + request.uri);
  if (request.uri.endsWith('/')) request.uri += 'index.html';
  return request;
}`,
      );
      const created = await aws([
        'cloudfront',
        'create-function',
        '--name',
        'cli-index',
        '--function-config',
        'Comment=add index.html,Runtime=cloudfront-js-1.0',
        '--function-code',
        `fileb://${code}`,
      ]);
      expect(created.FunctionSummary.Status).toBe('UNPUBLISHED');
      expect(created.FunctionSummary.FunctionMetadata.Stage).toBe('DEVELOPMENT');

      // The developer guide's own example event object.
      const event = file(
        'event.json',
        JSON.stringify({ version: '1.0', context: { eventType: 'viewer-request' }, viewer: { ip: '198.51.100.11' }, request: { method: 'GET', uri: '/docs/', headers: { host: { value: 'example.org' } } } }),
      );
      const tested = await aws(['cloudfront', 'test-function', '--name', 'cli-index', '--if-match', created.ETag, '--event-object', `fileb://${event}`, '--stage', 'DEVELOPMENT']);
      expect(tested.TestResult.FunctionErrorMessage).toBe('');
      expect(tested.TestResult.FunctionExecutionLogs).toEqual(['uri /docs/']);
      expect(JSON.parse(tested.TestResult.FunctionOutput).request.uri).toBe('/docs/index.html');
      expect(Number(tested.TestResult.ComputeUtilization)).toBeLessThanOrEqual(100);

      const published = await aws(['cloudfront', 'publish-function', '--name', 'cli-index', '--if-match', created.ETag]);
      expect(published.FunctionSummary.FunctionMetadata.Stage).toBe('LIVE');
      const live = await aws(['cloudfront', 'describe-function', '--name', 'cli-index', '--stage', 'LIVE']);
      expect(live.FunctionSummary.Status).toBe('UNASSOCIATED');
      const listed = await aws(['cloudfront', 'list-functions', '--stage', 'LIVE']);
      expect(listed.FunctionList.Items.map((i: Json) => i.Name)).toEqual(['cli-index']);

      const wrong = await run(['cloudfront', 'delete-function', '--name', 'cli-index', '--if-match', 'E0000000000000']);
      expect(wrong.code).not.toBe(0);
      expect(wrong.stderr).toContain('PreconditionFailed');
      await aws(['cloudfront', 'delete-function', '--name', 'cli-index', '--if-match', created.ETag]);
      const gone = await run(['cloudfront', 'describe-function', '--name', 'cli-index']);
      expect(gone.stderr).toContain('NoSuchFunctionExists');
    },
    SLOW,
  );
});
