import type { S3 } from '@aws-sdk/client-s3';
import type { Providers } from '../../../core/wire/service';
import { anonymousAllowed } from '../model/public-access';
import { objectAttributes } from '../model/object-attributes';
import { s3Resource } from './common';

/** Object operations written as typed providers (the older ones are legacy handlers in ../objects.ts). */
export const objectProviders: Providers<S3> = {
  GetObjectAttributes: {
    resource: s3Resource,
    // Public when the bucket policy lets everyone read the attributes.
    allowAnonymous: (input, ctx) =>
      anonymousAllowed(ctx.env.db, input.Bucket ?? '', 's3:GetObjectAttributes', `arn:aws:s3:::${input.Bucket ?? ''}/${input.Key ?? ''}`),
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
};
