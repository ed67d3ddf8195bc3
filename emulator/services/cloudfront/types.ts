/** Typed views of the decoded CloudFront structures the handlers look inside. */

export interface Counted<T> {
  Quantity: number;
  Items?: T[];
}

export interface OriginConfig {
  Id: string;
  DomainName: string;
  OriginPath?: string;
  S3OriginConfig?: { OriginAccessIdentity: string; OriginReadTimeout?: number };
  CustomOriginConfig?: Record<string, unknown>;
  VpcOriginConfig?: Record<string, unknown>;
  OriginAccessControlId?: string;
  ConnectionAttempts?: number;
  ConnectionTimeout?: number;
  [member: string]: unknown;
}

export interface OriginGroupConfig {
  Id: string;
  Members: Counted<{ OriginId: string }>;
  [member: string]: unknown;
}

export interface BehaviorConfig {
  PathPattern?: string;
  TargetOriginId: string;
  ViewerProtocolPolicy: string;
  CachePolicyId?: string;
  ForwardedValues?: Record<string, unknown>;
  AllowedMethods?: { Quantity: number; Items: string[]; CachedMethods?: { Quantity: number; Items: string[] } };
  MinTTL?: number;
  DefaultTTL?: number;
  MaxTTL?: number;
  [member: string]: unknown;
}

export interface ErrorResponseConfig {
  ErrorCode: number;
  ResponsePagePath?: string;
  ResponseCode?: string;
  ErrorCachingMinTTL?: number;
}

export interface DistributionConfig {
  CallerReference: string;
  Aliases?: Counted<string>;
  DefaultRootObject?: string;
  Origins: Counted<OriginConfig>;
  OriginGroups?: Counted<OriginGroupConfig>;
  DefaultCacheBehavior: BehaviorConfig;
  CacheBehaviors?: Counted<BehaviorConfig>;
  CustomErrorResponses?: Counted<ErrorResponseConfig>;
  Comment: string;
  Enabled: boolean;
  ViewerCertificate?: Record<string, unknown>;
  Restrictions?: { GeoRestriction: { RestrictionType: string; Quantity: number; Items?: string[] } };
  WebACLId?: string;
  [member: string]: unknown;
}

export interface Tag {
  Key: string;
  Value?: string;
}
