import 'server-only';
import { env } from '@/lib/env';
import { isKnownRegion } from './regions';

/**
 * The region a page works in: `?region=` when it names a region Berth knows,
 * else the server's default (AWS_REGION). Kept in the URL so links are shareable.
 */
export function resolveRegion(searchParams: Record<string, string | string[] | undefined>): string {
  const raw = searchParams.region;
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value && isKnownRegion(value) ? value : env().defaultRegion;
}
