import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { endpointFor } from '@/lib/aws/clients';
import { attempt } from '@/lib/aws/errors';
import { ecrSaving } from '@/lib/cost/savings';
import { listImages } from '@/lib/ecr/images';
import { getLifecyclePolicy, getRepositoryPolicy } from '@/lib/ecr/policies';
import type { RepositorySummary } from '@/lib/ecr/repositories';
import { DeleteRepositoryForm, LifecycleEditor, PolicyEditor, SettingsForm } from './repository-settings-forms';

/** Settings for admins; the same facts, read-only, for viewers. */
export async function RepositorySettings({ repo, region, isAdmin }: { repo: RepositorySummary; region: string; isAdmin: boolean }) {
  const ctx = { service: 'ECR' as const, endpoint: endpointFor('ECR', region) };
  const [policy, lifecycle] = await Promise.all([
    attempt(() => getRepositoryPolicy(region, repo.name), { ...ctx, action: 'ecr:GetRepositoryPolicy' }),
    attempt(() => getLifecyclePolicy(region, repo.name), { ...ctx, action: 'ecr:GetLifecyclePolicy' }),
  ]);

  const readOnly = (text: string | null, none: string) =>
    text ? <pre className="max-h-96 overflow-auto rounded-lg bg-zinc-50 p-4 font-mono text-xs dark:bg-zinc-950">{text}</pre> : <p className="text-sm text-zinc-500 dark:text-zinc-400">{none}</p>;

  return (
    <div className="space-y-5">
      {isAdmin ? (
        <Card>
          <CardHeader title="Image settings" />
          <CardBody>
            <SettingsForm region={region} name={repo.name} tagMutability={repo.tagMutability} scanOnPush={repo.scanOnPush} />
          </CardBody>
        </Card>
      ) : null}
      <Card>
        <CardHeader title="Who may push and pull" description="The repository policy grants other accounts, users and roles access to this repository." />
        <CardBody>
          {!policy.ok ? <AwsProblemAlert problem={policy.problem} /> : isAdmin ? <PolicyEditor region={region} name={repo.name} initial={policy.value} /> : readOnly(policy.value, 'No repository policy: only identity policies in this account grant access.')}
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Lifecycle rules" description="Rules that expire old or untagged images automatically, keeping storage costs down." />
        <CardBody>
          {!lifecycle.ok ? <AwsProblemAlert problem={lifecycle.problem} /> : isAdmin ? <LifecycleEditor region={region} name={repo.name} initial={lifecycle.value} /> : readOnly(lifecycle.value, 'No lifecycle policy: images stay until someone deletes them.')}
        </CardBody>
      </Card>
      {isAdmin ? (
        <Card className="border-red-200 dark:border-red-900/60">
          <CardHeader title="Delete repository" />
          <CardBody>
            <DeleteCount repo={repo} region={region} />
          </CardBody>
        </Card>
      ) : null}
    </div>
  );
}

async function DeleteCount({ repo, region }: { repo: RepositorySummary; region: string }) {
  const images = await attempt(() => listImages(region, repo.name), { service: 'ECR', endpoint: endpointFor('ECR', region), action: 'ecr:DescribeImages' });
  const saving = images.ok ? await ecrSaving(region, images.value.reduce((n, i) => n + i.sizeBytes, 0)) : undefined;
  return <DeleteRepositoryForm region={region} name={repo.name} imageCount={images.ok ? images.value.length : 0} saving={saving} />;
}
