import { QUOTAS, type Iam } from './common';

/**
 * GetAccountSummary: how many of each IAM entity the account has, beside the
 * quotas (IAM's defaults; the emulator enforces those named in QUOTAS, the
 * account-wide counts are reported, not enforced).
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountSummary.html
 */
export function accountSummary(iam: Iam): Record<string, number> {
  const count = (sql: string) => (iam.db.prepare(sql).get() as { n: number }).n;
  return {
    Users: count('SELECT COUNT(*) AS n FROM iam_users'),
    UsersQuota: 5000,
    Groups: count('SELECT COUNT(*) AS n FROM iam_groups'),
    GroupsQuota: 300,
    Roles: count('SELECT COUNT(*) AS n FROM iam_roles'),
    RolesQuota: 1000,
    Policies: count('SELECT COUNT(*) AS n FROM iam_policies WHERE aws_managed = 0'),
    PoliciesQuota: 1500,
    PolicySizeQuota: QUOTAS.managedPolicySize,
    PolicyVersionsInUse: count('SELECT COUNT(*) AS n FROM iam_attachments'),
    PolicyVersionsInUseQuota: 10000,
    VersionsPerPolicyQuota: QUOTAS.versionsPerPolicy,
    UserPolicySizeQuota: QUOTAS.userInlineSize,
    GroupPolicySizeQuota: QUOTAS.groupInlineSize,
    RolePolicySizeQuota: QUOTAS.roleInlineSize,
    AssumeRolePolicySizeQuota: QUOTAS.trustPolicySize,
    GroupsPerUserQuota: QUOTAS.groupsPerUser,
    AccessKeysPerUserQuota: QUOTAS.accessKeysPerUser,
    AttachedPoliciesPerUserQuota: QUOTAS.managedPoliciesPerUser,
    AttachedPoliciesPerGroupQuota: QUOTAS.managedPoliciesPerGroup,
    AttachedPoliciesPerRoleQuota: QUOTAS.managedPoliciesPerRole,
    Providers: count('SELECT COUNT(*) AS n FROM iam_oidc_providers'),
    InstanceProfiles: 0,
    InstanceProfilesQuota: 1000,
    ServerCertificates: 0,
    ServerCertificatesQuota: 20,
    SigningCertificatesPerUserQuota: 2,
    MFADevices: 0,
    MFADevicesInUse: 0,
    AccountMFAEnabled: 0,
    AccountAccessKeysPresent: 0,
    AccountSigningCertificatesPresent: 0,
    GlobalEndpointTokenVersion: 1,
  };
}
