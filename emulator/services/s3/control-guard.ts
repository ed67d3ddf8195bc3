import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError } from '../../core/errors';
import { errorProtocol } from '../../core/wire/errors';
import type { RawRequestInfo } from '../../core/types';

/**
 * S3 Control (account-level Block Public Access and the like) shares S3's
 * signing name, so its requests reach S3: `/v20180820/…` with
 * `x-amz-account-id`. Its API is not emulated (the wire layer would route it
 * by the SDK's S3 Control schemas, and `@aws-sdk/client-s3-control` is not a
 * dependency), so rather than reading it as a request on a bucket named
 * `v20180820`, it is answered 501 NotImplemented, as the emulator answers
 * an S3 operation it lacks.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_AWS_S3_Control.html
 */
const s3Errors = errorProtocol({ protocol: 'restXml', xmlFlavor: 's3' });

export function isS3ControlRequest(req: IncomingMessage, info: RawRequestInfo): boolean {
  return info.path.startsWith('/v20180820/') && typeof req.headers['x-amz-account-id'] === 'string';
}

export function refuseS3Control(res: ServerResponse, info: RawRequestInfo): true {
  const err = new AwsError('NotImplemented', `${info.method} ${info.path.split('?')[0]} is an S3 Control request, which this emulator does not implement yet.`, 501);
  const rendered = s3Errors.renderError(err, info.requestId, info.method);
  const body = typeof rendered.body === 'string' || Buffer.isBuffer(rendered.body) ? rendered.body : undefined;
  res.writeHead(rendered.status, { ...rendered.headers, 'Content-Length': String(body === undefined ? 0 : Buffer.byteLength(body)) });
  res.end(body);
  return true;
}
