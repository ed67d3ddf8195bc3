import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { endpointFor } from '@/lib/aws/clients';
import { attempt } from '@/lib/aws/errors';
import { currentPartition } from '@/lib/aws/identity';
import { getAccountPublicAccessBlock, publicAccessInForce } from '@/lib/s3/account-access';
import { getBucketProperties, websiteEndpoint } from '@/lib/s3/properties';
import { plainHttpS3Endpoint } from '@/lib/s3/transport';
import { BucketPolicyEditor, PublicAccessForm, TagsForm, VersioningForm, WebsiteForm } from './bucket-property-forms';
import { PublicAccessInForce } from './public-access-in-force';

/** Properties: admins change them; viewers see the same facts without the controls. */
export async function BucketProperties({ bucket, region, isAdmin }: { bucket: string; region: string; isAdmin: boolean }) {
  // The account's Block Public Access is read beside the bucket's; a refusal of it leaves the rest of the page whole.
  const [r, account] = await Promise.all([
    attempt(() => getBucketProperties(bucket), { service: 'S3', endpoint: endpointFor('S3', region), action: 's3:GetBucketPolicy' }),
    getAccountPublicAccessBlock(),
  ]);
  if (!r.ok) return <AwsProblemAlert problem={r.problem} />;
  const p = r.value;
  const bpaOn = p.publicAccessBlock && Object.values(p.publicAccessBlock).every(Boolean);
  // What S3 applies: the stricter of the two (the bucket's alone when the account's could not be read).
  const inForce = publicAccessInForce(p.publicAccessBlock, account.ok ? account.value : null);
  const allInForce = Object.values(inForce).every(Boolean);
  const site = p.website ? await websiteEndpoint(bucket, region) : null;
  // Templates name the bucket by ARN, in the partition Berth's identity is in; "aws" if STS cannot say.
  const partition = isAdmin ? await currentPartition().catch(() => 'aws') : 'aws';
  return (
    <div className="space-y-5">
      <Card>
        <CardHeader title="Versioning" action={<Badge tone={p.versioning === 'Enabled' ? 'green' : p.versioning === 'Suspended' ? 'amber' : 'neutral'}>{p.versioning}</Badge>} />
        <CardBody>{isAdmin ? <VersioningForm bucket={bucket} status={p.versioning} /> : <p className="text-sm text-zinc-600 dark:text-zinc-400">Versioning is {p.versioning.toLowerCase()}.</p>}</CardBody>
      </Card>
      <Card>
        <CardHeader
          title="Static website hosting"
          description={
            site ? (
              <span className="flex items-center gap-1">
                <a href={site} target="_blank" rel="noreferrer noopener" className="font-mono text-xs text-brand-700 hover:underline dark:text-brand-300" data-testid="website-endpoint">{site}</a>
                <CopyButton value={site} label="Copy website address" />
              </span>
            ) : 'Off'
          }
        />
        <CardBody>
          {isAdmin ? (
            <WebsiteForm bucket={bucket} website={p.website} />
          ) : p.website ? (
            <p className="text-sm">Index document <code>{p.website.indexDocument}</code>{p.website.errorDocument ? <>, error document <code>{p.website.errorDocument}</code></> : null}.</p>
          ) : (
            <p className="text-sm text-zinc-500">Not hosting a website.</p>
          )}
        </CardBody>
      </Card>
      <Card>
        <CardHeader
          title="Block Public Access"
          action={p.policyIsPublic && !inForce.restrictPublicBuckets ? <Badge tone="red">Public</Badge> : <Badge tone="green">{allInForce ? 'All blocked' : 'Not public'}</Badge>}
        />
        <CardBody className="space-y-4">
          {isAdmin ? (
            <PublicAccessForm bucket={bucket} current={p.publicAccessBlock} />
          ) : (
            <p className="text-sm">{p.publicAccessBlock ? (bpaOn ? 'All four settings are on for the bucket.' : 'Some of the bucket’s settings are off.') : 'No Block Public Access configuration on the bucket.'}</p>
          )}
          <PublicAccessInForce bucket={p.publicAccessBlock} account={account} />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Bucket policy" description={p.policyIsPublic ? 'This policy makes objects public.' : 'Who else may use this bucket.'} />
        <CardBody>
          {isAdmin ? <BucketPolicyEditor bucket={bucket} initial={p.policy} partition={partition} plainHttpEndpoint={plainHttpS3Endpoint(region)} /> : p.policy ? <pre className="max-h-96 overflow-auto rounded-lg bg-zinc-50 p-4 font-mono text-xs dark:bg-zinc-950">{p.policy}</pre> : <p className="text-sm text-zinc-500">No bucket policy.</p>}
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Tags" />
        <CardBody>
          {isAdmin ? (
            <TagsForm bucket={bucket} tags={p.tags} />
          ) : p.tags.length ? (
            <div className="flex flex-wrap gap-1">{p.tags.map((t) => <Badge key={t.key}>{t.key}={t.value}</Badge>)}</div>
          ) : (
            <p className="text-sm text-zinc-500">No tags.</p>
          )}
        </CardBody>
      </Card>
    </div>
  );
}
