import {
  CompleteLayerUploadCommand,
  DescribeRegistriesCommand,
  GetAuthorizationTokenCommand,
  InitiateLayerUploadCommand,
  PutImageCommand,
  UploadLayerPartCommand,
  type ECRPUBLICClient,
} from '@aws-sdk/client-ecr-public';
import { digestOf, OCI_MANIFEST, type TestImage } from './ecr';

/** Uploads one blob to a public repository through the layer API, in parts of `partSize`. */
export async function uploadPublicBlob(client: ECRPUBLICClient, repositoryName: string, data: Buffer, partSize = 1024 * 1024): Promise<string> {
  const { uploadId } = await client.send(new InitiateLayerUploadCommand({ repositoryName }));
  for (let off = 0; off < data.length; off += partSize) {
    const part = data.subarray(off, Math.min(data.length, off + partSize));
    await client.send(new UploadLayerPartCommand({ repositoryName, uploadId, partFirstByte: off, partLastByte: off + part.length - 1, layerPartBlob: part }));
  }
  const done = await client.send(new CompleteLayerUploadCommand({ repositoryName, uploadId, layerDigests: [digestOf(data)] }));
  return done.layerDigest!;
}

/** Uploads an image's blobs through the API (tolerating ones already there) and puts its manifest. */
export async function pushPublicImage(client: ECRPUBLICClient, repositoryName: string, img: TestImage, imageTag?: string): Promise<string> {
  for (const b of [img.config, ...img.layers]) {
    try {
      await uploadPublicBlob(client, repositoryName, b);
    } catch (err) {
      if ((err as Error).name !== 'LayerAlreadyExistsException') throw err;
    }
  }
  const out = await client.send(new PutImageCommand({ repositoryName, imageManifest: img.manifest, imageManifestMediaType: OCI_MANIFEST, imageTag }));
  return out.image!.imageId!.imageDigest!;
}

/** The registry's default alias, as DescribeRegistries names it. */
export async function publicAlias(client: ECRPUBLICClient): Promise<string> {
  const out = await client.send(new DescribeRegistriesCommand({}));
  return out.registries![0]!.aliases![0]!.name!;
}

/** The public registry's login password (`aws ecr-public get-login-password`). */
export async function publicLoginPassword(client: ECRPUBLICClient): Promise<string> {
  const out = await client.send(new GetAuthorizationTokenCommand({}));
  const text = Buffer.from(out.authorizationData!.authorizationToken!, 'base64').toString('utf8');
  if (!text.startsWith('AWS:')) throw new Error(`unexpected token ${text}`);
  return text.slice(4);
}
