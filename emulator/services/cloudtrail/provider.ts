import { createHash } from 'node:crypto';
import type { CloudTrail } from '@aws-sdk/client-cloudtrail';
import { AwsError } from '../../core/errors';
import type { RequestContext } from '../../core/types';
import type { Providers } from '../../core/wire/service';
import { lookup, RETENTION_MS } from './store';
import {
  createTrail,
  deleteTrail,
  describeTrails,
  getEventSelectors,
  getTrailStatus,
  putEventSelectors,
  setLogging,
  type Caller,
} from './trails';

/**
 * CloudTrail's operations: event history (LookupEvents) over what the
 * emulator recorded, and trails enough to say which data events are logged.
 */

function callerOf(ctx: RequestContext): Caller {
  return { env: ctx.env, region: ctx.region };
}

/** LookupEvents' attribute keys (LookupAttributeKey in the API reference). */
const LOOKUP_KEYS = new Set(['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId']);
const MAX_RESULTS = 50;
const MAX_ATTRIBUTE_VALUE = 2000;

interface PageToken {
  t: number;
  s: number;
  /** What the first call asked, so a token is refused with other parameters. */
  h: string;
}

function paramsHash(region: string, input: Parameters<CloudTrail['lookupEvents']>[0]): string {
  const a = input.LookupAttributes?.[0];
  const basis = JSON.stringify([region, a?.AttributeKey, a?.AttributeValue, input.StartTime?.getTime(), input.EndTime?.getTime(), input.EventCategory]);
  return createHash('sha256').update(basis).digest('base64url').slice(0, 16);
}

function invalidToken(): AwsError {
  return new AwsError('InvalidNextTokenException', 'Invalid NextToken.');
}

function readToken(raw: string, hash: string): PageToken {
  let t: PageToken;
  try {
    t = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as PageToken;
  } catch {
    throw invalidToken();
  }
  if (typeof t?.t !== 'number' || typeof t.s !== 'number' || t.h !== hash) throw invalidToken();
  return t;
}

function lookupEvents(input: Parameters<CloudTrail['lookupEvents']>[0], ctx: RequestContext) {
  const attrs = input.LookupAttributes ?? [];
  // "Currently the list can contain only one item" (LookupEvents, LookupAttributes).
  if (attrs.length > 1) throw new AwsError('InvalidLookupAttributesException', 'You can only specify one lookup attribute.');
  const attr = attrs[0];
  if (attr) {
    if (!LOOKUP_KEYS.has(attr.AttributeKey ?? '')) {
      throw new AwsError('InvalidLookupAttributesException', `Lookup attribute key ${String(attr.AttributeKey)} is not valid.`);
    }
    const value = attr.AttributeValue ?? '';
    if (value.length < 1 || value.length > MAX_ATTRIBUTE_VALUE) {
      throw new AwsError('InvalidLookupAttributesException', `Lookup attribute value must be between 1 and ${MAX_ATTRIBUTE_VALUE} characters.`);
    }
  }
  if (input.MaxResults !== undefined && (input.MaxResults < 1 || input.MaxResults > MAX_RESULTS)) {
    throw new AwsError('InvalidMaxResultsException', `MaxResults must be between 1 and ${MAX_RESULTS}.`);
  }
  if (input.EventCategory !== undefined && input.EventCategory !== 'insight') {
    throw new AwsError('InvalidEventCategoryException', `Event category ${String(input.EventCategory)} is not valid.`);
  }
  const now = ctx.env.now();
  const start = input.StartTime?.getTime();
  const end = input.EndTime?.getTime();
  if (start !== undefined && end !== undefined && start > end) {
    throw new AwsError('InvalidTimeRangeException', 'Start time must be before end time.');
  }
  const hash = paramsHash(ctx.region, input);
  const token = input.NextToken !== undefined ? readToken(input.NextToken, hash) : undefined;
  // Insights events are never generated here: asking for them finds none.
  if (input.EventCategory === 'insight') return { Events: [] };
  const limit = input.MaxResults ?? MAX_RESULTS;
  // One more than asked tells whether another page exists.
  const rows = lookup(ctx.env, {
    region: ctx.region,
    attribute: attr ? { key: attr.AttributeKey!, value: attr.AttributeValue! } : undefined,
    startMs: Math.max(start ?? 0, now - RETENTION_MS),
    endMs: end ?? now,
    limit: limit + 1,
    after: token ? { timeMs: token.t, seq: token.s } : undefined,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const next =
    rows.length > limit && last ? Buffer.from(JSON.stringify({ t: last.timeMs, s: last.seq, h: hash } satisfies PageToken)).toString('base64url') : undefined;
  return {
    Events: page.map((e) => ({
      EventId: e.eventId,
      EventName: e.eventName,
      ReadOnly: String(e.readOnly),
      ...(e.accessKeyId ? { AccessKeyId: e.accessKeyId } : {}),
      // CloudTrail's times have whole seconds.
      EventTime: new Date(Math.floor(e.timeMs / 1000) * 1000),
      EventSource: e.eventSource,
      ...(e.username ? { Username: e.username } : {}),
      Resources: e.resources,
      CloudTrailEvent: e.recordJson,
    })),
    ...(next ? { NextToken: next } : {}),
  };
}

function trailArn(ctx: RequestContext, nameOrArn: string | undefined): string {
  if (!nameOrArn) return '*';
  return nameOrArn.startsWith('arn:') ? nameOrArn : `arn:aws:cloudtrail:${ctx.region}:${ctx.env.accountId}:trail/${nameOrArn}`;
}

export const providers: Providers<CloudTrail> = {
  LookupEvents: lookupEvents,
  DescribeTrails: (input, ctx) => ({ trailList: describeTrails(callerOf(ctx), input.trailNameList, input.includeShadowTrails) }),
  GetTrailStatus: { resource: (input, ctx) => trailArn(ctx, input.Name), handler: (input, ctx) => getTrailStatus(callerOf(ctx), input.Name) },
  CreateTrail: {
    resource: (input, ctx) => trailArn(ctx, input.Name),
    handler(input, ctx) {
      const t = createTrail(callerOf(ctx), input);
      return {
        Name: t.Name,
        S3BucketName: t.S3BucketName,
        S3KeyPrefix: t.S3KeyPrefix,
        IncludeGlobalServiceEvents: t.IncludeGlobalServiceEvents,
        IsMultiRegionTrail: t.IsMultiRegionTrail,
        TrailARN: t.TrailARN,
        LogFileValidationEnabled: t.LogFileValidationEnabled,
        IsOrganizationTrail: false,
      };
    },
  },
  DeleteTrail: {
    resource: (input, ctx) => trailArn(ctx, input.Name),
    handler(input, ctx) {
      deleteTrail(callerOf(ctx), input.Name);
      return {};
    },
  },
  StartLogging: {
    resource: (input, ctx) => trailArn(ctx, input.Name),
    handler(input, ctx) {
      setLogging(callerOf(ctx), input.Name, true);
      return {};
    },
  },
  StopLogging: {
    resource: (input, ctx) => trailArn(ctx, input.Name),
    handler(input, ctx) {
      setLogging(callerOf(ctx), input.Name, false);
      return {};
    },
  },
  PutEventSelectors: {
    resource: (input, ctx) => trailArn(ctx, input.TrailName),
    handler: (input, ctx) => putEventSelectors(callerOf(ctx), input),
  },
  GetEventSelectors: {
    resource: (input, ctx) => trailArn(ctx, input.TrailName),
    handler: (input, ctx) => getEventSelectors(callerOf(ctx), input.TrailName),
  },
};
