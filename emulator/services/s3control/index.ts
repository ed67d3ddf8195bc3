import * as schemas from '@aws-sdk/client-s3-control/dist-es/schemas/schemas_0.js';
import { loadServiceModel } from '../../core/wire/model';
import { defineModelService } from '../../core/wire/service';
import type { PreContext } from '../../core/types';
import { providers } from './provider';

const model = loadServiceModel(schemas, {
  protocol: 'restXml',
  version: '2018-08-20',
  // The namespace the SDK's S3 Control client writes and reads (its protocolSettings).
  xmlNamespace: 'http://awss3control.amazonaws.com/doc/2018-08-20/',
});

/** Every S3 Control path starts with its API version. */
const PREFIX = '/v20180820/';

/**
 * S3 Control: account-level settings (Block Public Access here), routed by
 * the SDK's S3 Control model. It signs as `s3`, like S3 itself, so it claims
 * its requests by their shape: a path under `/v20180820/` with the
 * `x-amz-account-id` header that every operation of the model carries.
 * Errors are S3's bare `<Error>` document (the model's restXml protocol
 * with noErrorWrapping, as S3's).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_AWS_S3_Control.html
 */
export const s3control = defineModelService({
  name: 's3control',
  signingName: 's3',
  model,
  xmlFlavor: 's3',
  providers,
  claims: (pre: PreContext) => pre.path.startsWith(PREFIX) && typeof pre.headers['x-amz-account-id'] === 'string',
});
