import type { Readable } from 'node:stream';
import type {
  GetObjectCommandOutput,
  HeadObjectCommandOutput,
  ObjectStorageClass,
  ObjectVersionStorageClass,
  S3,
  StorageClass,
} from '@aws-sdk/client-s3';
import { isAllowed, type AccessCheck } from '../../../core/authorize';
import type { ContextInput } from '../../../core/policy';
import type { RequestContext } from '../../../core/types';
import type { Providers } from '../../../core/wire/service';
import { listObjectVersions, listObjects, listObjectsV2, pageSize } from '../model/listing';
import {
  answeredVersionId,
  copyObject,
  deleteObject,
  deleteObjects,
  encryptionView,
  objectTagging,
  putObject,
  readObject,
  replaceObjectTags,
  storedHeaderView,
} from '../model/objects';
import { malformedXml } from '../model/documents';
import { documentTags } from '../model/object-tags';
import { versioningOf, type ListEntry, type ObjectRow } from '../model/store';
import { objectAttributes } from '../model/object-attributes';
import { framingOf } from '../model/upload';
import { bucketArn, copySourceChecks, encoderFor, objectArn, ownerOf, readCheck } from './common';

/**
 * The object operations of S3's API as typed providers: each reads the SDK's
 * input, calls the model and returns the SDK's output; the wire layer writes
 * headers and XML from S3's model.
 */

function deleteCheck(bucket: string | undefined, key: string | undefined, versionId: string | undefined): AccessCheck {
  return {
    action: versionId !== undefined ? 's3:DeleteObjectVersion' : 's3:DeleteObject',
    resource: objectArn({ Bucket: bucket, Key: key }),
    ...(versionId !== undefined ? { context: { 's3:VersionId': versionId } } : {}),
  };
}

/**
 * Listing a bucket, with the condition keys S3 sets for it: s3:prefix,
 * s3:delimiter and s3:max-keys (only those the request sends).
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-policy-keys
 */
function listCheck(action: string, input: { Bucket?: string; Prefix?: string; Delimiter?: string; MaxKeys?: number }): AccessCheck {
  const context: ContextInput = {};
  if (input.Prefix !== undefined) context['s3:prefix'] = input.Prefix;
  if (input.Delimiter !== undefined) context['s3:delimiter'] = input.Delimiter;
  if (input.MaxKeys !== undefined) context['s3:max-keys'] = input.MaxKeys;
  return { action, resource: bucketArn(input), context };
}


/** The members GET and HEAD answer about a version, from its row and stored headers. */
function describe(ctx: RequestContext, row: ObjectRow) {
  const { expiresText, ...stored } = storedHeaderView(row.metadata);
  // A value stored before Expires was read as a date goes back as it came.
  if (expiresText !== undefined) ctx.response.headers.Expires = expiresText;
  return {
    ...stored,
    ContentType: row.content_type ?? 'binary/octet-stream',
    ETag: row.etag ?? '',
    LastModified: new Date(row.last_modified_ms),
    AcceptRanges: 'bytes',
    VersionId: answeredVersionId(ctx.env.db, row.bucket, row.version_id),
    // S3 names the class only when it is not STANDARD.
    StorageClass: row.storage_class !== 'STANDARD' ? (row.storage_class as StorageClass) : undefined,
  };
}

interface ResponseOverrides {
  ResponseCacheControl?: string;
  ResponseContentDisposition?: string;
  ResponseContentEncoding?: string;
  ResponseContentLanguage?: string;
  ResponseContentType?: string;
  ResponseExpires?: Date;
}

/** response-* query parameters override what GET and HEAD return. */
function overridden<T extends object>(out: T, o: ResponseOverrides): T {
  return {
    ...out,
    ...(o.ResponseCacheControl !== undefined ? { CacheControl: o.ResponseCacheControl } : {}),
    ...(o.ResponseContentDisposition !== undefined ? { ContentDisposition: o.ResponseContentDisposition } : {}),
    ...(o.ResponseContentEncoding !== undefined ? { ContentEncoding: o.ResponseContentEncoding } : {}),
    ...(o.ResponseContentLanguage !== undefined ? { ContentLanguage: o.ResponseContentLanguage } : {}),
    ...(o.ResponseContentType !== undefined ? { ContentType: o.ResponseContentType } : {}),
    ...(o.ResponseExpires !== undefined ? { Expires: o.ResponseExpires } : {}),
  };
}

type ReadInput = Parameters<S3['getObject']>[0] | Parameters<S3['headObject']>[0];

/** GetObject and HeadObject share their checks; GET alone sends the bytes and the tag count. */
function read(input: ReadInput, ctx: RequestContext, method: 'GET' | 'HEAD') {
  const outcome = readObject(ctx.env.db, {
    bucket: input.Bucket ?? '',
    key: input.Key ?? '',
    versionId: input.VersionId,
    method,
    anonymous: ctx.principal === null,
    IfMatch: input.IfMatch,
    IfNoneMatch: input.IfNoneMatch,
    IfModifiedSince: input.IfModifiedSince,
    IfUnmodifiedSince: input.IfUnmodifiedSince,
    range: input.Range,
  });
  const row = outcome.row;
  if (outcome.kind === 'not-modified') {
    // 304 carries the validators and no body, as S3's does; the SDK surfaces it as an error with status 304.
    ctx.response.status = 304;
    return { notModified: true as const, out: { ETag: row.etag ?? '', LastModified: new Date(row.last_modified_ms), VersionId: answeredVersionId(ctx.env.db, row.bucket, row.version_id) } };
  }
  const out = overridden(describe(ctx, row), input);
  if (input.ResponseExpires !== undefined) delete ctx.response.headers.Expires;
  if (outcome.range) {
    ctx.response.status = 206;
    const { start, end } = outcome.range;
    return {
      notModified: false as const,
      row,
      range: outcome.range,
      tagCount: outcome.tagCount,
      out: { ...out, ContentRange: `bytes ${start}-${end}/${row.size}`, ContentLength: end - start + 1 },
    };
  }
  return { notModified: false as const, row, tagCount: outcome.tagCount, out: { ...out, ContentLength: row.size } };
}

function listEntries<R>(entries: ListEntry<R>[]) {
  const rows: R[] = [];
  const prefixes: string[] = [];
  for (const en of entries) {
    if (en.kind === 'row') rows.push(en.row);
    else prefixes.push(en.prefix);
  }
  return { rows, prefixes };
}

function nonEmpty<T>(items: T[]): T[] | undefined {
  return items.length > 0 ? items : undefined;
}

export const objectProviders: Providers<S3> = {
  PutObject: {
    resource: objectArn,
    async handler(input, ctx) {
      // The body is the raw request: aws-chunked framing and Content-MD5 are checked as it is stored.
      const body = input.Body as unknown as Readable;
      const { row, encryption } = await putObject(ctx.env, input.Bucket ?? '', input.Key ?? '', input, body, framingOf(ctx.headers, ctx.payload));
      return {
        ETag: row.etag ?? '',
        ...encryptionView(encryption),
        VersionId: answeredVersionId(ctx.env.db, row.bucket, row.version_id),
      };
    },
  },

  CopyObject: {
    iamAction: 's3:PutObject',
    resource: objectArn,
    accessChecks: (input) => [...copySourceChecks(input.CopySource), { action: 's3:PutObject', resource: objectArn(input) }],
    handler(input, ctx) {
      const copied = copyObject(ctx.env, input.Bucket ?? '', input.Key ?? '', input);
      return {
        CopyObjectResult: { ETag: copied.row.etag ?? '', LastModified: new Date(copied.row.last_modified_ms) },
        ...encryptionView(copied.encryption),
        VersionId: answeredVersionId(ctx.env.db, copied.row.bucket, copied.row.version_id),
        CopySourceVersionId: copied.sourceVersioned ? copied.source.version_id : undefined,
      };
    },
  },

  GetObject: {
    iamAction: 's3:GetObject',
    resource: objectArn,
    accessChecks: (input) => [readCheck(input)],
    handler(input, ctx) {
      const r = read(input, ctx, 'GET');
      if (r.notModified) return r.out;
      const sha = r.row.blob_sha256 ?? '';
      const body = r.range
        ? ctx.env.blobs.createReadStream(sha, r.range)
        : r.row.size === 0
          ? undefined
          : ctx.env.blobs.createReadStream(sha);
      return {
        ...r.out,
        TagCount: r.tagCount > 0 ? r.tagCount : undefined,
        // The wire layer pipes a Readable as the payload; the SDK's type is its own stream wrapper.
        Body: body as unknown as GetObjectCommandOutput['Body'],
      };
    },
  },

  HeadObject: {
    iamAction: 's3:GetObject',
    resource: objectArn,
    accessChecks: (input) => [readCheck(input)],
    handler(input, ctx): Omit<HeadObjectCommandOutput, '$metadata'> {
      return read(input, ctx, 'HEAD').out;
    },
  },

  DeleteObject: {
    resource: objectArn,
    accessChecks: (input) => [deleteCheck(input.Bucket, input.Key, input.VersionId)],
    handler(input, ctx) {
      const out = deleteObject(ctx.env, input.Bucket ?? '', input.Key ?? '', input.VersionId);
      return { VersionId: out.versionId, DeleteMarker: out.deleteMarker ? true : undefined };
    },
  },

  DeleteObjects: {
    iamAction: 's3:DeleteObject',
    resource: bucketArn,
    // No permission for the request as a whole: each key needs s3:DeleteObject
    // (s3:DeleteObjectVersion with a VersionId), and one refused is an
    // AccessDenied entry in Errors while the others are deleted.
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
    accessChecks: () => [],
    handler(input, ctx) {
      // The body's integrity is checked on the bytes sent, which the parsed input no longer has.
      const md5 = ctx.headers['content-md5'];
      const results = deleteObjects(ctx.env, input.Bucket ?? '', input.Delete?.Objects, {
        body: ctx.body,
        ...(typeof md5 === 'string' ? { contentMd5: md5 } : {}),
        hasChecksum: Object.keys(ctx.headers).some((h) => h.startsWith('x-amz-checksum-') || h === 'x-amz-sdk-checksum-algorithm'),
      }, (key, versionId) => isAllowed(ctx, deleteCheck(input.Bucket, key, versionId)));
      const quiet = input.Delete?.Quiet === true;
      const deleted = [];
      const errors = [];
      for (const r of results) {
        if ('error' in r) {
          errors.push({ Key: r.key, VersionId: r.versionId, Code: r.error.code, Message: r.error.message });
        } else if (!quiet) {
          const marker = r.out.deleteMarker;
          deleted.push(
            r.versionId !== undefined
              ? { Key: r.key, VersionId: r.versionId, ...(marker ? { DeleteMarker: true, DeleteMarkerVersionId: r.versionId } : {}) }
              : { Key: r.key, ...(marker ? { DeleteMarker: true, DeleteMarkerVersionId: r.out.versionId } : {}) },
          );
        }
      }
      return { Deleted: nonEmpty(deleted), Errors: nonEmpty(errors) };
    },
  },

  ListObjectsV2: {
    iamAction: 's3:ListBucket',
    resource: bucketArn,
    accessChecks: (input) => [listCheck('s3:ListBucket', input)],
    handler(input, ctx) {
      const { encode: e, encodingType } = encoderFor(input.EncodingType);
      const prefix = input.Prefix ?? '';
      const delimiter = input.Delimiter ?? '';
      const max = pageSize(input.MaxKeys);
      const page = listObjectsV2(ctx.env.db, input.Bucket ?? '', {
        prefix,
        delimiter,
        max,
        continuationToken: input.ContinuationToken,
        startAfter: input.StartAfter,
      });
      const { rows, prefixes } = listEntries(page.entries);
      const owner = input.FetchOwner === true ? ownerOf(ctx) : undefined;
      return {
        Name: page.bucket,
        Prefix: e(prefix),
        Delimiter: delimiter !== '' ? e(delimiter) : undefined,
        MaxKeys: max,
        EncodingType: encodingType,
        KeyCount: page.entries.length,
        IsTruncated: page.truncated,
        ContinuationToken: input.ContinuationToken,
        NextContinuationToken: page.nextToken,
        StartAfter: input.StartAfter !== undefined ? e(input.StartAfter) : undefined,
        Contents: nonEmpty(rows.map((r) => contents(r, e, owner))),
        CommonPrefixes: nonEmpty(prefixes.map((p) => ({ Prefix: e(p) }))),
      };
    },
  },

  ListObjects: {
    iamAction: 's3:ListBucket',
    resource: bucketArn,
    accessChecks: (input) => [listCheck('s3:ListBucket', input)],
    handler(input, ctx) {
      const { encode: e, encodingType } = encoderFor(input.EncodingType);
      const prefix = input.Prefix ?? '';
      const delimiter = input.Delimiter ?? '';
      const marker = input.Marker ?? '';
      const max = pageSize(input.MaxKeys);
      const page = listObjects(ctx.env.db, input.Bucket ?? '', { prefix, delimiter, max, marker });
      const { rows, prefixes } = listEntries(page.entries);
      const owner = ownerOf(ctx);
      return {
        Name: page.bucket,
        Prefix: e(prefix),
        Marker: e(marker),
        NextMarker: page.nextMarker !== undefined ? e(page.nextMarker) : undefined,
        MaxKeys: max,
        Delimiter: delimiter !== '' ? e(delimiter) : undefined,
        EncodingType: encodingType,
        IsTruncated: page.truncated,
        Contents: nonEmpty(rows.map((r) => contents(r, e, owner))),
        CommonPrefixes: nonEmpty(prefixes.map((p) => ({ Prefix: e(p) }))),
      };
    },
  },

  ListObjectVersions: {
    iamAction: 's3:ListBucketVersions',
    resource: bucketArn,
    accessChecks: (input) => [listCheck('s3:ListBucketVersions', input)],
    handler(input, ctx) {
      const { encode: e, encodingType } = encoderFor(input.EncodingType);
      const prefix = input.Prefix ?? '';
      const delimiter = input.Delimiter ?? '';
      const keyMarker = input.KeyMarker ?? '';
      const versionIdMarker = input.VersionIdMarker ?? '';
      const max = pageSize(input.MaxKeys);
      const page = listObjectVersions(ctx.env.db, input.Bucket ?? '', { prefix, delimiter, max, keyMarker, versionIdMarker });
      const { rows, prefixes } = listEntries(page.entries);
      const owner = ownerOf(ctx);
      const common = (r: ObjectRow) => ({
        Key: e(r.key),
        VersionId: r.version_id,
        IsLatest: r.is_latest === 1,
        LastModified: new Date(r.last_modified_ms),
        Owner: owner,
      });
      return {
        Name: page.bucket,
        Prefix: e(prefix),
        KeyMarker: e(keyMarker),
        VersionIdMarker: versionIdMarker,
        NextKeyMarker: page.nextKeyMarker !== undefined ? e(page.nextKeyMarker) : undefined,
        NextVersionIdMarker: page.nextVersionIdMarker,
        MaxKeys: max,
        Delimiter: delimiter !== '' ? e(delimiter) : undefined,
        EncodingType: encodingType,
        IsTruncated: page.truncated,
        Versions: nonEmpty(
          rows
            .filter((r) => !r.is_delete_marker)
            .map((r) => ({ ...common(r), ETag: r.etag ?? '', Size: r.size, StorageClass: r.storage_class as ObjectVersionStorageClass })),
        ),
        DeleteMarkers: nonEmpty(rows.filter((r) => r.is_delete_marker).map(common)),
        CommonPrefixes: nonEmpty(prefixes.map((p) => ({ Prefix: e(p) }))),
      };
    },
  },

  GetObjectAttributes: {
    resource: objectArn,
    // "If the bucket is versioned, you need both the s3:GetObjectVersion and
    // s3:GetObjectVersionAttributes permissions … If the bucket is not
    // versioned, you need the s3:GetObject and s3:GetObjectAttributes permissions."
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html
    accessChecks: (input, ctx) =>
      versioningOf(ctx.env.db, input.Bucket ?? '') !== null
        ? [
            { action: 's3:GetObjectVersion', resource: objectArn(input) },
            { action: 's3:GetObjectVersionAttributes', resource: objectArn(input) },
          ]
        : [
            { action: 's3:GetObject', resource: objectArn(input) },
            { action: 's3:GetObjectAttributes', resource: objectArn(input) },
          ],
    handler: (input, ctx) =>
      objectAttributes(ctx.env.db, {
        bucket: input.Bucket,
        key: input.Key,
        versionId: input.VersionId,
        attributes: input.ObjectAttributes,
        maxParts: input.MaxParts,
        partNumberMarker: input.PartNumberMarker,
      }),
  },

  GetObjectTagging: {
    resource: objectArn,
    handler(input, ctx) {
      const { row, tags } = objectTagging(ctx.env.db, input.Bucket ?? '', input.Key ?? '', input.VersionId, ctx.method);
      return { TagSet: tags, VersionId: answeredVersionId(ctx.env.db, row.bucket, row.version_id) };
    },
  },

  PutObjectTagging: {
    resource: objectArn,
    handler(input, ctx) {
      const tagSet = input.Tagging?.TagSet;
      if (!tagSet) throw malformedXml();
      const tags = documentTags(tagSet, malformedXml);
      const row = replaceObjectTags(ctx.env.db, input.Bucket ?? '', input.Key ?? '', input.VersionId, ctx.method, tags);
      return { VersionId: answeredVersionId(ctx.env.db, row.bucket, row.version_id) };
    },
  },

  DeleteObjectTagging: {
    iamAction: 's3:DeleteObjectTagging',
    resource: objectArn,
    handler(input, ctx) {
      const row = replaceObjectTags(ctx.env.db, input.Bucket ?? '', input.Key ?? '', input.VersionId, ctx.method, []);
      return { VersionId: answeredVersionId(ctx.env.db, row.bucket, row.version_id) };
    },
  },
};

function contents(r: ObjectRow, e: (s: string) => string, owner: { ID: string; DisplayName: string } | undefined) {
  return {
    Key: e(r.key),
    LastModified: new Date(r.last_modified_ms),
    ETag: r.etag ?? '',
    Size: r.size,
    ...(owner ? { Owner: owner } : {}),
    StorageClass: r.storage_class as ObjectStorageClass,
  };
}

