import { Alert } from '@/components/ui/alert';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { ecrPushPolicy, GITHUB_OIDC_HOST, namePart, policyNameFor, siteDeployPolicy } from '@/lib/ci/documents';
import { partitionOf } from '@/lib/validation/aws-ids';
import { CiForms } from './ci-forms';
import { CodeBlock } from '@/components/ui/command-block';

export type CiPanelTarget =
  | { kind: 'ecr'; region: string; repository: string; repositoryArn: string }
  | { kind: 'site'; distributionId: string; distributionArn: string; bucket: string | null };

/**
 * "Push from CI" beside a repository, "Deploy from CI" beside a distribution:
 * what Berth would make and the permissions it would grant, for everyone;
 * the form that makes them, for admins only.
 */
export function CiPanel({ target, isAdmin }: { target: CiPanelTarget; isAdmin: boolean }) {
  const ecr = target.kind === 'ecr';
  if (!ecr && !target.bucket) {
    return (
      <Alert tone="info" title="No bucket to deploy to">
        This distribution has no S3 bucket origin, so there is nothing for a workflow to upload to. Deploy from CI works for a site served from an S3 bucket.
      </Alert>
    );
  }
  const policy = ecr
    ? ecrPushPolicy(target.repositoryArn)
    : siteDeployPolicy(partitionOf(target.distributionArn) ?? 'aws', target.bucket!, target.distributionArn);
  const part = ecr
    ? namePart({ kind: 'ecr', region: target.region, repository: target.repository, repositoryArn: target.repositoryArn, repositoryUri: '' })
    : namePart({ kind: 'site', bucket: target.bucket!, bucketRegion: '', distributionId: target.distributionId, distributionArn: target.distributionArn });
  return (
    <Card data-testid="ci-panel">
      <CardHeader
        title={ecr ? 'Push from CI, without long-lived keys' : 'Deploy from CI, without long-lived keys'}
        description={
          ecr
            ? `Let one GitHub repository's workflow push images to ${target.repository}, and nothing else.`
            : `Let one GitHub repository's workflow upload the site to ${target.bucket} and invalidate this distribution, and nothing else.`
        }
      />
      <CardBody className="space-y-5">
        <ol className="list-decimal space-y-1 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
          <li>
            GitHub&apos;s OpenID Connect provider in IAM (<span className="font-mono text-xs">{GITHUB_OIDC_HOST}</span>), made once per account if it is missing.
          </li>
          <li>A role that only workflow runs on one repository&apos;s branch may assume (audience and subject both pinned).</li>
          <li>Its inline policy, least privilege. Then a workflow to copy into the repository.</li>
        </ol>
        {/* Open for viewers, who come for it; an admin's eye goes to the form, and the answer repeats it where needed. */}
        <details open={!isAdmin}>
          <summary className="cursor-pointer text-sm font-medium text-zinc-800 dark:text-zinc-200">
            {ecr ? 'What the role may do: push to this repository' : 'What the role may do: sync the bucket and invalidate this distribution'}
          </summary>
          <div className="mt-2">
            <CodeBlock label={`Inline policy ${policyNameFor(target)}`} text={`${JSON.stringify(policy, null, 2)}\n`} testId="ci-policy" />
          </div>
        </details>
        {isAdmin ? (
          <CiForms target={ecr ? { kind: 'ecr', region: target.region, repository: target.repository } : { kind: 'site', id: target.distributionId }} namePart={part} />
        ) : (
          <Alert tone="info">An admin can create the role here. Viewers can copy the policy above for a setup of their own.</Alert>
        )}
      </CardBody>
    </Card>
  );
}
