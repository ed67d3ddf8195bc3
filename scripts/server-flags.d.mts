// Types for server-flags.mjs (plain JavaScript, so `node scripts/start.mjs` runs it without a loader).
export function serverNodeFlags(env?: Record<string, string | undefined>, version?: string): string[];
export function serverNodeArgs(preloadHref: string, serverJs: string, env?: Record<string, string | undefined>, version?: string): string[];
