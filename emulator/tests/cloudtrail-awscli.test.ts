import { describe, expect, it } from 'vitest';
import { awsCliSuite, type Json } from '../test-support/aws-cli-suite';

// CloudTrail through Debian's awscli, which sends botocore's fully qualified
// X-Amz-Target (com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.…):
// lookup-events by attribute and time, its automatic paging, a role session's
// SourceIdentity, a refused call's errorCode, and the CLI's view of errors.

const ACCOUNT = '123456789012';
const { aws, run, withSession } = awsCliSuite({ args: ['--quiet', '--no-seed'] });

const lookupByResource = (name: string, extra: string[] = []) =>
  aws(['cloudtrail', 'lookup-events', '--lookup-attributes', `AttributeKey=ResourceName,AttributeValue=${name}`, ...extra]);

describe('aws cloudtrail lookup-events', () => {
  it("names an assumed role's session and its SourceIdentity", async () => {
    await aws([
      'iam',
      'create-role',
      '--role-name',
      'cli-deployer',
      '--assume-role-policy-document',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/test` }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'] }],
      }),
    ]);
    await aws(['iam', 'attach-role-policy', '--role-name', 'cli-deployer', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess']);
    const assumed = await aws([
      'sts',
      'assume-role',
      '--role-arn',
      `arn:aws:iam::${ACCOUNT}:role/cli-deployer`,
      '--role-session-name',
      'berth-bob',
      '--source-identity',
      'bob@example.com',
    ]);
    const made = await withSession(['ecr', 'create-repository', '--repository-name', 'cli/by-role'], assumed.Credentials);
    expect(made.code, made.stderr).toBe(0);

    const out = await lookupByResource('cli/by-role');
    expect(out.Events).toHaveLength(1);
    const e = out.Events[0];
    expect(e).toMatchObject({
      EventName: 'CreateRepository',
      EventSource: 'ecr.amazonaws.com',
      Username: 'berth-bob',
      ReadOnly: 'false',
      Resources: [{ ResourceType: 'AWS::ECR::Repository', ResourceName: 'cli/by-role' }],
    });
    const record = JSON.parse(e.CloudTrailEvent) as Json;
    expect(record.userIdentity.type).toBe('AssumedRole');
    expect(record.userIdentity.arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/cli-deployer/berth-bob`);
    expect(record.userIdentity.sessionContext.sourceIdentity).toBe('bob@example.com');
    expect(record.userIdentity.sessionContext.sessionIssuer.userName).toBe('cli-deployer');
    expect(record.userAgent).toMatch(/^aws-cli\/2/);

    // The AssumeRole itself is an STS event, found by the role.
    const sts = await aws(['cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=AssumeRole']);
    const assumeRecord = JSON.parse(sts.Events[0].CloudTrailEvent) as Json;
    expect(assumeRecord).toMatchObject({
      eventSource: 'sts.amazonaws.com',
      requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/cli-deployer`, roleSessionName: 'berth-bob', sourceIdentity: 'bob@example.com' },
    });
  });

  it("records a refused call's errorCode", async () => {
    const denied = await run(['ecr', 'delete-repository', '--repository-name', 'cli/by-role'], { key: 'readonly' });
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('AccessDeniedException');
    const out = await aws(['cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=DeleteRepository']);
    expect(out.Events).toHaveLength(1);
    expect(out.Events[0].Username).toBe('readonly');
    const record = JSON.parse(out.Events[0].CloudTrailEvent) as Json;
    expect(record.errorCode).toBe('AccessDeniedException');
    expect(record.errorMessage).toContain('ecr:DeleteRepository');
  });

  it('pages through every event and honours the time range', async () => {
    for (let i = 0; i < 3; i++) await aws(['ecr', 'describe-repositories', '--repository-names', 'cli/by-role']);
    // The CLI follows NextToken itself; --page-size makes it take several pages.
    const all = await lookupByResource('cli/by-role', ['--page-size', '1']);
    expect(all.Events.map((e: Json) => e.EventName)).toEqual([
      'DescribeRepositories',
      'DescribeRepositories',
      'DescribeRepositories',
      'DeleteRepository',
      'CreateRepository',
    ]);
    const firstTwo = await lookupByResource('cli/by-role', ['--max-items', '2']);
    expect(firstTwo.Events).toHaveLength(2);
    expect(firstTwo.NextToken).toEqual(expect.any(String));
    const rest = await lookupByResource('cli/by-role', ['--starting-token', firstTwo.NextToken]);
    expect(rest.Events.map((e: Json) => e.EventId)).toEqual(all.Events.slice(2).map((e: Json) => e.EventId));

    const old = await lookupByResource('cli/by-role', ['--start-time', '2020-01-01T00:00:00Z', '--end-time', '2020-01-02T00:00:00Z']);
    expect(old.Events).toEqual([]);
  });

  it("shows CloudTrail's errors", async () => {
    const two = await run([
      'cloudtrail',
      'lookup-events',
      '--lookup-attributes',
      'AttributeKey=EventName,AttributeValue=PutImage',
      'AttributeKey=Username,AttributeValue=test',
    ]);
    expect(two.code).not.toBe(0);
    expect(two.stderr).toContain('InvalidLookupAttributesException');
    const range = await run(['cloudtrail', 'lookup-events', '--start-time', '2024-01-02T00:00:00Z', '--end-time', '2024-01-01T00:00:00Z']);
    expect(range.stderr).toContain('InvalidTimeRangeException');
  });

  it('describes trails and their status', async () => {
    await aws(['s3api', 'create-bucket', '--bucket', 'cli-trail-logs']);
    const created = await aws(['cloudtrail', 'create-trail', '--name', 'cli-trail', '--s3-bucket-name', 'cli-trail-logs']);
    expect(created.TrailARN).toBe(`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/cli-trail`);
    await aws(['cloudtrail', 'start-logging', '--name', 'cli-trail']);
    expect((await aws(['cloudtrail', 'get-trail-status', '--name', created.TrailARN])).IsLogging).toBe(true);
    const described = await aws(['cloudtrail', 'describe-trails']);
    expect(described.trailList.map((t: Json) => t.Name)).toEqual(['cli-trail']);
    await aws([
      'cloudtrail',
      'put-event-selectors',
      '--trail-name',
      'cli-trail',
      '--event-selectors',
      JSON.stringify([{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }]),
    ]);
    const sel = await aws(['cloudtrail', 'get-event-selectors', '--trail-name', 'cli-trail']);
    expect(sel.EventSelectors[0].DataResources).toEqual([{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }]);
  });
});
