// Which optional members a SimulatePrincipalPolicy call carries, from the
// principal and resource ARNs. Pure: unit-tested without AWS.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
//
// - ResourcePolicy needs a caller for the policy's Principal element to be
//   matched against: CallerArn, which "can only be the ARN of an IAM user",
//   and defaults to PolicySourceArn when that is a user. So the resource
//   policy goes along only when the principal is a user; for a role it is left
//   out (the caller says so in words).
// - ResourceOwner names the account that owns a resource whose ARN carries no
//   account (an S3 bucket or object: arn:aws:s3:::bucket); it is only
//   meaningful with a ResourcePolicy. The principal's own account is assumed:
//   Berth explains access within one account.

export interface SimulationShape {
  /** The resource policy to send, or null when it cannot take part. */
  resourcePolicy: string | null;
  /** arn:aws:iam::ACCOUNT:root, or null when not needed. */
  resourceOwner: string | null;
}

const ACCOUNT = /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/;

/** The 12-digit account in an ARN's fifth field, or null when empty (S3) or not an ARN. */
export function accountOfArn(arn: string): string | null {
  return ACCOUNT.exec(arn)?.[1] ?? null;
}

/** Whether an ARN names an IAM user (the only kind IAM accepts as the simulated caller). */
export const isUserArn = (arn: string): boolean => /^arn:[^:]+:iam::\d{12}:user\//.test(arn);

export function simulationShape(principalArn: string, resourceArn: string, resourcePolicy: string | null | undefined): SimulationShape {
  const policy = resourcePolicy?.trim() ? resourcePolicy : null;
  if (policy === null || !isUserArn(principalArn)) return { resourcePolicy: null, resourceOwner: null };
  const partition = /^arn:([^:]+):/.exec(principalArn)?.[1] ?? 'aws';
  const owner = accountOfArn(resourceArn) === null ? accountOfArn(principalArn) : null;
  return { resourcePolicy: policy, resourceOwner: owner ? `arn:${partition}:iam::${owner}:root` : null };
}
