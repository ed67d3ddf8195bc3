import { bool, counted, int, list, long, oneOf, req, str, struct, timestamp, type StructShape } from './codec';

/** The CloudFront 2020-05-31 structures the emulator reads and writes. */

const trustedSigners = struct('TrustedSigners', { Enabled: req(bool), Quantity: req(int), Items: list('AwsAccountNumber', str) });
const trustedKeyGroups = struct('TrustedKeyGroups', { Enabled: req(bool), Quantity: req(int), Items: list('KeyGroup', str) });
const methods = oneOf('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'OPTIONS', 'DELETE');
const allowedMethods = struct('AllowedMethods', {
  Quantity: req(int),
  Items: req(list('Method', methods)),
  CachedMethods: struct('CachedMethods', { Quantity: req(int), Items: req(list('Method', methods)) }),
});
const eventType = oneOf('viewer-request', 'viewer-response', 'origin-request', 'origin-response');
const lambdaAssociations = counted(
  'LambdaFunctionAssociations',
  'LambdaFunctionAssociation',
  struct('LambdaFunctionAssociation', { LambdaFunctionARN: req(str), EventType: req(eventType), IncludeBody: bool }),
);
const functionAssociations = counted(
  'FunctionAssociations',
  'FunctionAssociation',
  struct('FunctionAssociation', { FunctionARN: req(str), EventType: req(eventType) }),
);
const names = (n: string) => counted(n, 'Name', str);
const forwardedValues = struct('ForwardedValues', {
  QueryString: req(bool),
  Cookies: req(struct('CookiePreference', { Forward: req(oneOf('none', 'whitelist', 'all')), WhitelistedNames: names('CookieNames') })),
  Headers: names('Headers'),
  QueryStringCacheKeys: names('QueryStringCacheKeys'),
});
const viewerProtocolPolicy = oneOf('allow-all', 'https-only', 'redirect-to-https');

/** Members shared by the default and the path-pattern cache behaviours, after the leading ones. */
function behaviorMembers() {
  return {
    TrustedSigners: trustedSigners,
    TrustedKeyGroups: trustedKeyGroups,
    AllowedMethods: allowedMethods,
    SmoothStreaming: bool,
    Compress: bool,
    LambdaFunctionAssociations: lambdaAssociations,
    FunctionAssociations: functionAssociations,
    FieldLevelEncryptionId: str,
    RealtimeLogConfigArn: str,
    CachePolicyId: str,
    OriginRequestPolicyId: str,
    ResponseHeadersPolicyId: str,
    GrpcConfig: struct('GrpcConfig', { Enabled: req(bool) }),
    ForwardedValues: forwardedValues,
    MinTTL: long,
    DefaultTTL: long,
    MaxTTL: long,
  };
}

const defaultCacheBehavior = struct('DefaultCacheBehavior', {
  TargetOriginId: req(str),
  ViewerProtocolPolicy: req(viewerProtocolPolicy),
  ...behaviorMembers(),
});

const cacheBehavior = struct('CacheBehavior', {
  PathPattern: req(str),
  TargetOriginId: req(str),
  ViewerProtocolPolicy: req(viewerProtocolPolicy),
  ...behaviorMembers(),
});

const origin = struct('Origin', {
  Id: req(str),
  DomainName: req(str),
  OriginPath: str,
  CustomHeaders: counted(
    'CustomHeaders',
    'OriginCustomHeader',
    struct('OriginCustomHeader', { HeaderName: req(str), HeaderValue: req(str) }),
  ),
  S3OriginConfig: struct('S3OriginConfig', { OriginAccessIdentity: req(str), OriginReadTimeout: int }),
  CustomOriginConfig: struct('CustomOriginConfig', {
    HTTPPort: req(int),
    HTTPSPort: req(int),
    OriginProtocolPolicy: req(oneOf('http-only', 'match-viewer', 'https-only')),
    OriginSslProtocols: counted('OriginSslProtocols', 'SslProtocol', oneOf('SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2'), true),
    OriginReadTimeout: int,
    OriginKeepaliveTimeout: int,
    IpAddressType: oneOf('ipv4', 'ipv6', 'dualstack'),
    OriginMtlsConfig: struct('OriginMtlsConfig', { ClientCertificateArn: req(str) }),
  }),
  VpcOriginConfig: struct('VpcOriginConfig', { VpcOriginId: req(str), OwnerAccountId: str, OriginReadTimeout: int, OriginKeepaliveTimeout: int }),
  ConnectionAttempts: int,
  ConnectionTimeout: int,
  ResponseCompletionTimeout: int,
  OriginShield: struct('OriginShield', { Enabled: req(bool), OriginShieldRegion: str }),
  OriginAccessControlId: str,
});

const originGroup = struct('OriginGroup', {
  Id: req(str),
  FailoverCriteria: req(struct('OriginGroupFailoverCriteria', { StatusCodes: req(counted('StatusCodes', 'StatusCode', int, true)) })),
  Members: req(counted('OriginGroupMembers', 'OriginGroupMember', struct('OriginGroupMember', { OriginId: req(str) }), true)),
  SelectionCriteria: oneOf('default', 'media-quality-based'),
});

const customErrorResponse = struct('CustomErrorResponse', {
  ErrorCode: req(int),
  ResponsePagePath: str,
  ResponseCode: str,
  ErrorCachingMinTTL: long,
});

const viewerCertificate = struct('ViewerCertificate', {
  CloudFrontDefaultCertificate: bool,
  IAMCertificateId: str,
  ACMCertificateArn: str,
  SSLSupportMethod: oneOf('sni-only', 'vip', 'static-ip'),
  MinimumProtocolVersion: oneOf('SSLv3', 'TLSv1', 'TLSv1_2016', 'TLSv1.1_2016', 'TLSv1.2_2018', 'TLSv1.2_2019', 'TLSv1.2_2021', 'TLSv1.3_2025', 'TLSv1.2_2025'),
  Certificate: str,
  CertificateSource: oneOf('cloudfront', 'iam', 'acm'),
});

const restrictions = struct('Restrictions', {
  GeoRestriction: req(struct('GeoRestriction', { RestrictionType: req(oneOf('blacklist', 'whitelist', 'none')), Quantity: req(int), Items: list('Location', str) })),
});

const logging = struct('LoggingConfig', { Enabled: bool, IncludeCookies: bool, Bucket: str, Prefix: str });
const aliases = counted('Aliases', 'CNAME', str);
const origins = counted('Origins', 'Origin', origin, true);
const originGroups = counted('OriginGroups', 'OriginGroup', originGroup);
const cacheBehaviors = counted('CacheBehaviors', 'CacheBehavior', cacheBehavior);
const customErrorResponses = counted('CustomErrorResponses', 'CustomErrorResponse', customErrorResponse);
const httpVersion = oneOf('http1.1', 'http2', 'http3', 'http2and3');
const viewerMtls = struct('ViewerMtlsConfig', {
  Mode: oneOf('required', 'optional', 'passthrough'),
  TrustStoreConfig: struct('TrustStoreConfig', { TrustStoreId: req(str), AdvertiseTrustStoreCaNames: bool, IgnoreCertificateExpiry: bool }),
});
const connectionFunction = struct('ConnectionFunctionAssociation', { Id: req(str) });

export const DistributionConfigShape: StructShape = struct('DistributionConfig', {
  CallerReference: req(str),
  Aliases: aliases,
  DefaultRootObject: str,
  Origins: req(origins),
  OriginGroups: originGroups,
  DefaultCacheBehavior: req(defaultCacheBehavior),
  CacheBehaviors: cacheBehaviors,
  CustomErrorResponses: customErrorResponses,
  Comment: req(str),
  Logging: logging,
  PriceClass: oneOf('PriceClass_100', 'PriceClass_200', 'PriceClass_All', 'None'),
  Enabled: req(bool),
  ViewerCertificate: viewerCertificate,
  Restrictions: restrictions,
  WebACLId: str,
  HttpVersion: httpVersion,
  IsIPV6Enabled: bool,
  ContinuousDeploymentPolicyId: str,
  Staging: bool,
  AnycastIpListId: str,
  TenantConfig: struct('TenantConfig', {
    ParameterDefinitions: list(
      'member',
      struct('ParameterDefinition', {
        Name: req(str),
        Definition: req(
          struct('ParameterDefinitionSchema', {
            StringSchema: struct('StringSchemaConfig', { Comment: str, DefaultValue: str, Required: req(bool) }),
          }),
        ),
      }),
    ),
  }),
  ConnectionMode: oneOf('direct', 'tenant-only'),
  ViewerMtlsConfig: viewerMtls,
  ConnectionFunctionAssociation: connectionFunction,
  CacheTagConfig: struct('CacheTagConfig', { HeaderName: req(str) }),
});

export const TagsShape: StructShape = struct('Tags', {
  Items: list('Tag', struct('Tag', { Key: req(str), Value: str }), true),
});

export const TagKeysShape: StructShape = struct('TagKeys', { Items: list('Key', str, true) });

export const DistributionConfigWithTagsShape: StructShape = struct('DistributionConfigWithTags', {
  DistributionConfig: req(DistributionConfigShape),
  Tags: req(TagsShape),
});

const activeTrustedSigners = struct('ActiveTrustedSigners', { Enabled: req(bool), Quantity: req(int) });
const activeTrustedKeyGroups = struct('ActiveTrustedKeyGroups', { Enabled: req(bool), Quantity: req(int) });

export const DistributionShape: StructShape = struct('Distribution', {
  Id: str,
  ARN: str,
  Status: str,
  LastModifiedTime: timestamp,
  InProgressInvalidationBatches: int,
  DomainName: str,
  ActiveTrustedSigners: activeTrustedSigners,
  ActiveTrustedKeyGroups: activeTrustedKeyGroups,
  DistributionConfig: DistributionConfigShape,
});

export const DistributionSummaryShape: StructShape = struct('DistributionSummary', {
  Id: str,
  ARN: str,
  ETag: str,
  Status: str,
  LastModifiedTime: timestamp,
  DomainName: str,
  Aliases: aliases,
  Origins: origins,
  OriginGroups: originGroups,
  DefaultCacheBehavior: defaultCacheBehavior,
  CacheBehaviors: cacheBehaviors,
  CustomErrorResponses: customErrorResponses,
  Comment: str,
  PriceClass: str,
  Enabled: bool,
  ViewerCertificate: viewerCertificate,
  Restrictions: restrictions,
  WebACLId: str,
  HttpVersion: str,
  IsIPV6Enabled: bool,
  Staging: bool,
  ConnectionMode: str,
  AnycastIpListId: str,
  ViewerMtlsConfig: viewerMtls,
  ConnectionFunctionAssociation: connectionFunction,
});

export const OriginAccessControlConfigShape: StructShape = struct('OriginAccessControlConfig', {
  Name: req(str),
  Description: str,
  SigningProtocol: req(oneOf('sigv4')),
  SigningBehavior: req(oneOf('never', 'always', 'no-override', 'always-amz-auth')),
  OriginAccessControlOriginType: req(oneOf('s3', 'mediastore', 'mediapackagev2', 'lambda')),
});

export const OriginAccessControlShape: StructShape = struct('OriginAccessControl', {
  Id: str,
  OriginAccessControlConfig: OriginAccessControlConfigShape,
});

export const OriginAccessControlSummaryShape: StructShape = struct('OriginAccessControlSummary', {
  Id: str,
  Description: str,
  Name: str,
  SigningProtocol: str,
  SigningBehavior: str,
  OriginAccessControlOriginType: str,
});

export const OaiConfigShape: StructShape = struct('CloudFrontOriginAccessIdentityConfig', {
  CallerReference: req(str),
  Comment: req(str),
});

export const OaiShape: StructShape = struct('CloudFrontOriginAccessIdentity', {
  Id: str,
  S3CanonicalUserId: str,
  CloudFrontOriginAccessIdentityConfig: OaiConfigShape,
});

export const OaiSummaryShape: StructShape = struct('CloudFrontOriginAccessIdentitySummary', {
  Id: str,
  S3CanonicalUserId: str,
  Comment: str,
});

export const InvalidationBatchShape: StructShape = struct('InvalidationBatch', {
  Paths: req(counted('Paths', 'Path', str)),
  CallerReference: req(str),
});

export const InvalidationShape: StructShape = struct('Invalidation', {
  Id: str,
  Status: str,
  CreateTime: timestamp,
  InvalidationBatch: InvalidationBatchShape,
});

export const InvalidationSummaryShape: StructShape = struct('InvalidationSummary', {
  Id: str,
  CreateTime: timestamp,
  Status: str,
});
