// Where the Access pages live. IAM names are [A-Za-z0-9+=,.@_-] only, all of
// which may stand in a URL path as they are; anything else is encoded. A
// policy is addressed by its ARN, whose slashes become path segments
// (/access/policies/arn:aws:iam::aws:policy/AdministratorAccess).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names

const segment = (name: string) => (/^[\w+=,.@-]+$/.test(name) ? name : encodeURIComponent(name));
// An ARN's parts also hold ":", which a path segment may carry as it is.
const arnSegment = (part: string) => (/^[\w+=,.@:-]+$/.test(part) ? part : encodeURIComponent(part));

export const accessPaths = {
  overview: '/access',
  users: '/access/users',
  groups: '/access/groups',
  roles: '/access/roles',
  explain: '/access/explain',
  user: (name: string) => `/access/users/${segment(name)}`,
  group: (name: string) => `/access/groups/${segment(name)}`,
  role: (name: string) => `/access/roles/${segment(name)}`,
  policy: (arn: string) => `/access/policies/${arn.split('/').map(arnSegment).join('/')}`,
};

/** A name from a dynamic segment; decoded once more only when it still carries an escape. */
export function nameFromSegment(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * IAM does not tell names apart by case: "Alice" and "alice" cannot both
 * exist, and either finds the one there is.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names
 */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
