import 'server-only';
import path from 'node:path';
import { z } from 'zod';
import { DURATION_SECONDS, EXTERNAL_ID, ROLE_ARN, ROLE_ARN_SHAPE, satisfies } from '@/lib/validation/sts';

// Every setting Berth reads from the environment, parsed once. The AWS SDK's own
// variables (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>)
// are read by the SDK itself and are only mentioned here where Berth needs a value.
const commaList = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));

function isPostgresUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && (u.hostname !== '' || u.searchParams.has('host'));
  } catch {
    return false;
  }
}

const schema = z.object({
  BERTH_DATA_DIR: z.string().default('.data/berth'),
  // Berth's own database (lib/db): PostgreSQL when set, otherwise SQLite in
  // BERTH_DATA_DIR. Checked here so a typo stops the start with a sentence
  // rather than a connection error on the first sign-in.
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined))
    .refine((v) => v === undefined || isPostgresUrl(v), {
      message: 'DATABASE_URL must be a PostgreSQL connection URL, like postgres://berth:secret@db.internal:5432/berth (or leave it unset to use SQLite in BERTH_DATA_DIR)',
    }),
  // Names this instance in the audit trail and in guided jobs' progress when
  // several share one database; hostname:pid when unset.
  BERTH_INSTANCE_ID: z.string().trim().min(1).max(100).optional(),
  AWS_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'AWS_REGION must look like eu-west-1').optional(),
  AWS_DEFAULT_REGION: z.string().optional(),
  BERTH_REGIONS: commaList,
  AUTH_OIDC_ISSUER: z.url().optional(),
  AUTH_OIDC_CLIENT_ID: z.string().optional(),
  AUTH_OIDC_CLIENT_SECRET: z.string().optional(),
  AUTH_OIDC_NAME: z.string().default('Single sign-on'),
  AUTH_OIDC_ROLE_CLAIM: z.string().default('groups'),
  AUTH_OIDC_ADMIN_VALUES: commaList,
  AUTH_OIDC_VIEWER_VALUES: commaList,
  BERTH_DEMO: z.enum(['0', '1']).optional(),
  BERTH_UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(100 * 1024 * 1024),
  BERTH_BOOTSTRAP_ADMIN_EMAIL: z.email().optional(),
  // How many proxies you run in front of Berth, each appending to X-Forwarded-For
  // (lib/auth/client-address.ts). 0: clients connect to Berth directly.
  BERTH_TRUSTED_PROXY_HOPS: z.coerce
    .number({ message: 'BERTH_TRUSTED_PROXY_HOPS must be a whole number of proxies, like 0 or 1' })
    .int('BERTH_TRUSTED_PROXY_HOPS must be a whole number of proxies, like 0 or 1')
    .min(0)
    .max(10)
    .default(0),
  BERTH_BOOTSTRAP_ADMIN_PASSWORD: z.string().min(12, 'BERTH_BOOTSTRAP_ADMIN_PASSWORD needs at least 12 characters').optional(),
  // How long list reads (repositories, images, buckets, distributions) are
  // shared between viewers before AWS is asked again (lib/aws/read-cache.ts).
  BERTH_READ_CACHE_SECONDS: z.coerce
    .number({ message: 'BERTH_READ_CACHE_SECONDS must be a whole number of seconds, like 30 (0 turns the cache off)' })
    .int('BERTH_READ_CACHE_SECONDS must be a whole number of seconds, like 30 (0 turns the cache off)')
    .min(0)
    .max(3600)
    .default(30),
  // Call AWS through this role, one session per signed-in person with the
  // person as SourceIdentity, so CloudTrail names them (lib/aws/role-sessions.ts).
  BERTH_ASSUME_ROLE_ARN: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .refine((v) => v === undefined || (satisfies(ROLE_ARN, v) && ROLE_ARN_SHAPE.test(v)), 'BERTH_ASSUME_ROLE_ARN must be an IAM role ARN, like arn:aws:iam::123456789012:role/berth'),
  BERTH_ASSUME_ROLE_EXTERNAL_ID: z
    .string()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || satisfies(EXTERNAL_ID, v), `BERTH_ASSUME_ROLE_EXTERNAL_ID must be ${EXTERNAL_ID.min} to ${EXTERNAL_ID.max} letters, digits or _+=,.@:/-`),
  BERTH_ASSUME_ROLE_SESSION_SECONDS: z.coerce
    .number({ message: `BERTH_ASSUME_ROLE_SESSION_SECONDS must be a whole number of seconds from ${DURATION_SECONDS.min} to ${DURATION_SECONDS.max}` })
    .int(`BERTH_ASSUME_ROLE_SESSION_SECONDS must be a whole number of seconds from ${DURATION_SECONDS.min} to ${DURATION_SECONDS.max}`)
    .min(DURATION_SECONDS.min ?? 900, `BERTH_ASSUME_ROLE_SESSION_SECONDS must be at least ${DURATION_SECONDS.min} (STS's shortest session)`)
    .max(DURATION_SECONDS.max ?? 43200, `BERTH_ASSUME_ROLE_SESSION_SECONDS must be at most ${DURATION_SECONDS.max}, and no more than the role's maximum session duration`)
    .default(3600),
  // How long the audit trail keeps entries (lib/audit/retention.ts).
  BERTH_AUDIT_RETENTION_DAYS: z.coerce
    .number({ message: 'BERTH_AUDIT_RETENTION_DAYS must be a whole number of days, like 365' })
    .int('BERTH_AUDIT_RETENTION_DAYS must be a whole number of days, like 365')
    .min(1, 'BERTH_AUDIT_RETENTION_DAYS must be at least 1 day')
    .max(36500, 'BERTH_AUDIT_RETENTION_DAYS must be at most 36500 days (100 years)')
    .default(365),
}).superRefine((e, ctx) => {
  for (const k of ['BERTH_ASSUME_ROLE_EXTERNAL_ID', 'BERTH_ASSUME_ROLE_SESSION_SECONDS'] as const) {
    if (process.env[k] && !e.BERTH_ASSUME_ROLE_ARN) ctx.addIssue({ code: 'custom', path: [k], message: `${k} has no effect without BERTH_ASSUME_ROLE_ARN` });
  }
});

export type Env = z.infer<typeof schema> & { defaultRegion: string; dataDir: string; oidcEnabled: boolean; uploadMaxBytes: number };

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Berth's environment is not valid:\n${lines}`);
  }
  const e = parsed.data;
  cached = {
    ...e,
    defaultRegion: e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? 'us-east-1',
    dataDir: path.resolve(e.BERTH_DATA_DIR),
    oidcEnabled: Boolean(e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_CLIENT_ID && e.AUTH_OIDC_CLIENT_SECRET),
    uploadMaxBytes: e.BERTH_UPLOAD_MAX_BYTES,
  };
  return cached;
}
