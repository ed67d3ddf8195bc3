/**
 * S3's XML namespace. The model-driven layer writes it on every document; it
 * is needed by hand only where a document is written outside the model:
 * GetBucketLocation's bare element, the CloudFront edge's S3-style errors and
 * the object handlers not yet on typed providers.
 */
export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
