import 'server-only';
import {
  DeleteLifecyclePolicyCommand,
  DeleteRepositoryPolicyCommand,
  GetLifecyclePolicyCommand,
  GetLifecyclePolicyPreviewCommand,
  GetRepositoryPolicyCommand,
  PutLifecyclePolicyCommand,
  SetRepositoryPolicyCommand,
  StartLifecyclePolicyPreviewCommand,
} from '@aws-sdk/client-ecr';
import { ecrClient } from '@/lib/aws/clients';
import { writing } from '@/lib/aws/read-cache';
import { readTags } from '@/lib/aws/read-cache-tags';
import { replaceSharedDocument, samePolicyText } from '@/lib/aws/shared-document';
import './errors';

const notFound = (e: unknown, name: string) => (e as Error).name === name;

export async function getRepositoryPolicy(region: string, repository: string): Promise<string | null> {
  try {
    const out = await ecrClient(region).send(new GetRepositoryPolicyCommand({ repositoryName: repository }));
    return out.policyText ? JSON.stringify(JSON.parse(out.policyText), null, 2) : null;
  } catch (e) {
    if (notFound(e, 'RepositoryPolicyNotFoundException')) return null;
    throw e;
  }
}

// Both documents are replaced whole from an editor, and ECR's Set/Put calls
// have no condition; each save checks first that the document is still the one
// the person started from (`basis`), so an edit never silently undoes another.

function replaceDocument(kind: 'policy' | 'lifecycle', region: string, repository: string, basis: string | null, write: () => Promise<void>) {
  return replaceSharedDocument({
    key: `ecr-${kind}:${region}:${repository}`,
    what: `${kind === 'policy' ? 'policy' : 'lifecycle policy'} of ${repository}`,
    read: () => (kind === 'policy' ? getRepositoryPolicy(region, repository) : getLifecyclePolicy(region, repository)),
    basis,
    same: samePolicyText,
    write,
  });
}

/** A delete that finds nothing to delete has done its job. */
async function deleteIfThere(send: () => Promise<unknown>, missingCode: string): Promise<void> {
  try {
    await send();
  } catch (e) {
    if (!notFound(e, missingCode)) throw e;
  }
}

// A policy write forgets what was worked out from the policy (the Who can
// tab's simulations, lib/iam/who-can.ts), however the write ends.
const policyWrite = (region: string, repository: string, write: () => Promise<void>) => () => writing([readTags.repositoryPolicy(region, repository)], write);

export async function setRepositoryPolicy(region: string, repository: string, policyText: string, basis: string | null): Promise<void> {
  await replaceDocument(
    'policy',
    region,
    repository,
    basis,
    policyWrite(region, repository, async () => void (await ecrClient(region).send(new SetRepositoryPolicyCommand({ repositoryName: repository, policyText })))),
  );
}

export async function deleteRepositoryPolicy(region: string, repository: string, basis: string | null): Promise<void> {
  await replaceDocument(
    'policy',
    region,
    repository,
    basis,
    policyWrite(region, repository, () => deleteIfThere(() => ecrClient(region).send(new DeleteRepositoryPolicyCommand({ repositoryName: repository })), 'RepositoryPolicyNotFoundException')),
  );
}

export async function getLifecyclePolicy(region: string, repository: string): Promise<string | null> {
  try {
    const out = await ecrClient(region).send(new GetLifecyclePolicyCommand({ repositoryName: repository }));
    return out.lifecyclePolicyText ? JSON.stringify(JSON.parse(out.lifecyclePolicyText), null, 2) : null;
  } catch (e) {
    if (notFound(e, 'LifecyclePolicyNotFoundException')) return null;
    throw e;
  }
}

export async function putLifecyclePolicy(region: string, repository: string, text: string, basis: string | null): Promise<void> {
  await replaceDocument('lifecycle', region, repository, basis, async () => void (await ecrClient(region).send(new PutLifecyclePolicyCommand({ repositoryName: repository, lifecyclePolicyText: text }))));
}

export async function deleteLifecyclePolicy(region: string, repository: string, basis: string | null): Promise<void> {
  await replaceDocument('lifecycle', region, repository, basis, () =>
    deleteIfThere(() => ecrClient(region).send(new DeleteLifecyclePolicyCommand({ repositoryName: repository })), 'LifecyclePolicyNotFoundException'),
  );
}

export interface PreviewResult {
  status: string;
  expiring: { digest: string; tags: string[]; pushedAt: string | null; rulePriority: number | null }[];
  total: number;
  /** "Saves about $X a month" for the images shown as expiring, when the preview was priced. */
  saving?: string;
}

/**
 * Asks ECR what a lifecycle policy would expire, without saving it: starts a
 * preview and polls until ECR has evaluated it (a few seconds at most).
 */
export async function previewLifecyclePolicy(region: string, repository: string, text: string): Promise<PreviewResult> {
  const client = ecrClient(region);
  await client.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: repository, lifecyclePolicyText: text }));
  const deadline = Date.now() + 20_000;
  for (;;) {
    const result: PreviewResult = { status: 'IN_PROGRESS', expiring: [], total: 0 };
    let nextToken: string | undefined;
    do {
      const page = await client.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: repository, nextToken, maxResults: 100 }));
      result.status = page.status ?? 'IN_PROGRESS';
      if (result.status !== 'COMPLETE') break;
      result.total = page.summary?.expiringImageTotalCount ?? 0;
      for (const r of page.previewResults ?? []) {
        result.expiring.push({
          digest: r.imageDigest ?? '',
          tags: r.imageTags ?? [],
          pushedAt: r.imagePushedAt?.toISOString() ?? null,
          rulePriority: r.appliedRulePriority ?? null,
        });
      }
      nextToken = page.nextToken;
    } while (nextToken);
    if (result.status !== 'IN_PROGRESS') return result; // COMPLETE, or FAILED/EXPIRED for the caller to report
    if (Date.now() > deadline) throw new Error('The lifecycle preview did not finish in 20 seconds. Try again.');
    await new Promise((r) => setTimeout(r, 750));
  }
}
