/**
 * An error that goes back to the caller in the protocol's own error shape.
 * Handlers throw these; anything else thrown becomes an internal error.
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  /** Extra members of the error structure (JSON keys or XML elements, e.g. S3's BucketName). */
  readonly fields: Record<string, string | number>;
  readonly headers: Record<string, string>;
  /** Client (`Sender`) or server (`Receiver`) fault, for the query/CloudFront `<Type>`. */
  readonly fault: 'Sender' | 'Receiver';

  constructor(
    code: string,
    message: string,
    status = 400,
    opts: { fields?: Record<string, string | number>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
    this.fields = opts.fields ?? {};
    this.headers = opts.headers ?? {};
    this.fault = status >= 500 ? 'Receiver' : 'Sender';
  }
}

export function isAwsError(e: unknown): e is AwsError {
  return e instanceof AwsError;
}

/** AWS's wording for an IAM denial, which Berth's error mapper parses for the action name. */
export function accessDeniedMessage(principalArn: string, action: string, resource: string): string {
  return (
    `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ` +
    `because no identity-based policy allows the ${action} action`
  );
}
