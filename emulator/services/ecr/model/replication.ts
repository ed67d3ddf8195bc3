import type { EmulatorEnv } from '../../../core/types';
import { getRepository } from '../repositories';
import { addLayer, getImage, parseManifest, presentLayers, putImage, type PutImageArgs } from '../store';
import { replicationDestinations, type ReplicationDestination } from './registry-settings';
import { createFromTemplate } from './templates';

/**
 * Replication, done at push time: an image pushed to a repository that a
 * replication rule covers is copied, with its tag, to the same repository
 * name in each destination region of this account, creating the repository
 * there from a REPLICATION creation template (or ECR's defaults) when it does
 * not exist (the destination region's templates: templates are regional
 * settings, and the repository is created there). Blobs live in one content-addressed store, so a copy is rows,
 * not bytes. ECR replicates asynchronously; the emulator does it before the
 * push answers, which a client cannot tell apart from a fast replication.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html
 *
 * Not copied: destinations in other accounts (the emulator hosts one
 * account), images pushed before the rule existed (as in ECR), and deletions
 * (ECR does not replicate them either). A copy that the destination refuses,
 * e.g. an immutable tag already taken there, is skipped and reads FAILED in
 * DescribeImageReplicationStatus.
 */
export function replicateImage(env: EmulatorEnv, a: PutImageArgs, digest: string): void {
  const targets = uniqueDestinations(replicationDestinations(env, a.region, a.repository)).filter(
    (d) => d.registryId === env.accountId && d.region !== a.region,
  );
  if (targets.length === 0) return;
  const parsed = parseManifest(a.manifest, a.mediaType);
  const blobs = [parsed.config, ...parsed.layers].filter((b) => b !== undefined && !b.foreign);
  const sizes = presentLayers(env.db, a.region, a.repository, blobs.map((b) => b!.digest));
  for (const d of targets) {
    try {
      env.db.transaction(() => {
        if (!getRepository(env.db, d.region, a.repository)) createFromTemplate(env, d.region, a.repository, 'REPLICATION');
        for (const [layerDigest, l] of sizes) addLayer(env, d.region, a.repository, layerDigest, l.size, l.mediaType);
      }).immediate();
      putImage(env, { ...a, region: d.region, digest, idempotent: true, replicated: true });
    } catch (err) {
      env.log(`ecr: replication of ${a.repository}@${digest} to ${d.region} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

function uniqueDestinations(list: ReplicationDestination[]): ReplicationDestination[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.registryId}/${d.region}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface ReplicationStatus {
  region: string;
  registryId: string;
  status: 'COMPLETE' | 'FAILED';
  failureCode?: string;
}

/**
 * DescribeImageReplicationStatus: per destination of the repository's rules,
 * COMPLETE when the image is there, FAILED when it is not (another account,
 * or a copy the destination refused).
 */
export function replicationStatuses(env: EmulatorEnv, region: string, repository: string, digest: string): ReplicationStatus[] {
  return uniqueDestinations(replicationDestinations(env, region, repository)).map((d): ReplicationStatus => {
    if (d.registryId !== env.accountId) {
      return { ...d, status: 'FAILED', failureCode: 'The Berth emulator hosts a single account and does not replicate to other accounts.' };
    }
    const there = getImage(env.db, d.region, repository, digest);
    return there ? { ...d, status: 'COMPLETE' } : { ...d, status: 'FAILED', failureCode: 'The image was not replicated to this destination.' };
  });
}
