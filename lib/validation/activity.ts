import { z } from 'zod';

// The Activity tab's place in CloudTrail's pages, kept in the URL (`ct`): the
// NextToken of every page walked so far, oldest first, separated by spaces, so
// Previous drops the last one. LookupEvents only pages forward
// (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html).
// A token is CloudTrail's, passed back as it came; it is only bounded here.

/** How many pages deep a link can go: the URL holds each page's token. */
export const MAX_ACTIVITY_DEPTH = 20;

const token = z.string().min(1).max(2048).regex(/^\S+$/);

/** The token stack from `?ct=…`; anything malformed reads as the first page. */
export function parseActivityTrail(raw: string | undefined): string[] {
  if (!raw) return [];
  const parts = raw.split(' ').filter(Boolean);
  const parsed = z.array(token).max(MAX_ACTIVITY_DEPTH).safeParse(parts);
  return parsed.success ? parsed.data : [];
}

export function formatActivityTrail(tokens: readonly string[]): string | null {
  return tokens.length === 0 ? null : tokens.join(' ');
}
