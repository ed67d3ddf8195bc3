export const ROLES = ['viewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, admin: 1 };

/** An admin can do everything a viewer can. */
export function roleAllows(role: Role | undefined, required: Role): boolean {
  return role !== undefined && RANK[role] >= RANK[required];
}

export function isRole(value: unknown): value is Role {
  return value === 'viewer' || value === 'admin';
}
