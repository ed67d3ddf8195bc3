import type { Readable } from 'node:stream';
import type { S3, StorageClass } from '@aws-sdk/client-s3';
import type { RequestContext } from '../../../core/types';
import type { Providers } from '../../../core/wire/service';
import {
  abortUpload,
  completeUpload,
  copyPartRange,
  createUpload,
  listParts,
  listUploads,
  uploadEncryption,
  uploadPart,
  type UploadRow,
} from '../model/multipart';
import { encryptionView } from '../model/objects';
import { framingOf } from '../model/upload';
import { bucketArn, copySourceChecks, encoderFor, objectArn, ownerOf } from './common';

/**
 * Multipart uploads as typed providers. Every step of an upload is
 * authorised as s3:PutObject, as IAM documents; listing and aborting have
 * actions of their own.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
 */

/** Who started an upload: the caller's ARN when known; the owner is always the account. */
function people(ctx: RequestContext) {
  const owner = ownerOf(ctx);
  return { Initiator: { ID: ctx.principal?.arn ?? owner.ID, DisplayName: owner.DisplayName }, Owner: owner };
}

export const multipartProviders: Providers<S3> = {
  CreateMultipartUpload: {
    iamAction: 's3:PutObject',
    resource: objectArn,
    handler(input, ctx) {
      const upload = createUpload(ctx.env, input.Bucket ?? '', input.Key ?? '', input);
      return { Bucket: upload.bucket, Key: upload.key, UploadId: upload.upload_id, ...encryptionView(uploadEncryption(upload)) };
    },
  },

  UploadPart: {
    iamAction: 's3:PutObject',
    resource: objectArn,
    async handler(input, ctx) {
      // The body is the raw request: aws-chunked framing and Content-MD5 are checked as it is stored.
      const body = input.Body as unknown as Readable;
      const part = await uploadPart(ctx.env, input.Bucket ?? '', input.Key ?? '', input.UploadId, input.PartNumber, body, framingOf(ctx.headers, ctx.payload));
      return { ETag: part.etag, ...encryptionView(uploadEncryption(part.upload)) };
    },
  },

  UploadPartCopy: {
    iamAction: 's3:PutObject',
    resource: objectArn,
    accessChecks: (input) => [...copySourceChecks(input.CopySource), { action: 's3:PutObject', resource: objectArn(input) }],
    async handler(input, ctx) {
      const copied = await copyPartRange(ctx.env, input.Bucket ?? '', input.Key ?? '', input.UploadId, input.PartNumber, input);
      return {
        CopyPartResult: { ETag: copied.etag, LastModified: new Date(copied.lastModifiedMs) },
        CopySourceVersionId: copied.sourceVersioned ? copied.sourceVersionId : undefined,
        ...encryptionView(copied.encryption),
      };
    },
  },

  CompleteMultipartUpload: {
    iamAction: 's3:PutObject',
    resource: objectArn,
    maxBodyBytes: 4 * 1024 * 1024,
    async handler(input, ctx) {
      const done = await completeUpload(ctx.env, input.Bucket ?? '', input.Key ?? '', input.UploadId, input.MultipartUpload?.Parts, input);
      const { row, upload } = done;
      // Location is the object's URL on the endpoint the caller used.
      const host = typeof ctx.headers.host === 'string' ? ctx.headers.host : 'localhost';
      return {
        Location: `http://${host}/${row.bucket}/${encodeURI(row.key)}`,
        Bucket: row.bucket,
        Key: row.key,
        ETag: row.etag ?? '',
        VersionId: row.version_id !== 'null' ? row.version_id : undefined,
        ...encryptionView(uploadEncryption(upload)),
      };
    },
  },

  AbortMultipartUpload: {
    resource: objectArn,
    handler(input, ctx) {
      abortUpload(ctx.env.db, input.Bucket ?? '', input.Key ?? '', input.UploadId);
      return {};
    },
  },

  ListParts: {
    iamAction: 's3:ListMultipartUploadParts',
    resource: objectArn,
    handler(input, ctx) {
      const page = listParts(ctx.env.db, input.Bucket ?? '', input.Key ?? '', input.UploadId, {
        partNumberMarker: input.PartNumberMarker,
        maxParts: input.MaxParts,
      });
      const { upload, parts } = page;
      return {
        Bucket: upload.bucket,
        Key: upload.key,
        UploadId: upload.upload_id,
        ...people(ctx),
        StorageClass: upload.storage_class as StorageClass,
        PartNumberMarker: String(page.marker),
        NextPartNumberMarker: String(parts.at(-1)?.part_number ?? page.marker),
        MaxParts: page.max,
        IsTruncated: page.truncated,
        Parts: parts.length
          ? parts.map((p) => ({ PartNumber: p.part_number, LastModified: new Date(p.last_modified_ms), ETag: p.etag, Size: p.size }))
          : undefined,
      };
    },
  },

  ListMultipartUploads: {
    iamAction: 's3:ListBucketMultipartUploads',
    resource: bucketArn,
    handler(input, ctx) {
      const { encode: e, encodingType } = encoderFor(input.EncodingType);
      const prefix = input.Prefix ?? '';
      const delimiter = input.Delimiter ?? '';
      const keyMarker = input.KeyMarker ?? '';
      const uploadIdMarker = input.UploadIdMarker ?? '';
      const bucket = input.Bucket ?? '';
      const page = listUploads(ctx.env.db, bucket, { prefix, delimiter, keyMarker, uploadIdMarker, maxUploads: input.MaxUploads });
      const uploads: UploadRow[] = [];
      const prefixes: string[] = [];
      for (const en of page.entries) {
        if (en.kind === 'upload') uploads.push(en.upload);
        else prefixes.push(en.prefix);
      }
      const last = page.entries.at(-1);
      return {
        Bucket: bucket,
        KeyMarker: e(keyMarker),
        UploadIdMarker: uploadIdMarker,
        NextKeyMarker: page.truncated && last ? e(last.kind === 'upload' ? last.upload.key : last.prefix) : undefined,
        NextUploadIdMarker: page.truncated && last?.kind === 'upload' ? last.upload.upload_id : undefined,
        Delimiter: delimiter !== '' ? e(delimiter) : undefined,
        Prefix: e(prefix),
        MaxUploads: page.max,
        EncodingType: encodingType,
        IsTruncated: page.truncated,
        Uploads: uploads.length
          ? uploads.map((u) => ({
              Key: e(u.key),
              UploadId: u.upload_id,
              ...people(ctx),
              StorageClass: u.storage_class as StorageClass,
              Initiated: new Date(u.initiated_ms),
            }))
          : undefined,
        CommonPrefixes: prefixes.length ? prefixes.map((p) => ({ Prefix: e(p) })) : undefined,
      };
    },
  },
};
