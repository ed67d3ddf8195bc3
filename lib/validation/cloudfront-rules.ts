// What the CloudFront forms check as a person types, and the choices they
// offer. They sit apart from the zod schemas in ./cloudfront.ts, which build on
// them, so a form's browser bundle carries these few lines and not zod: the
// schemas on the server are still the check that counts, and say the same.
// https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html

/** Problems with a default root object; empty when it is fine (an empty value means none). */
export function defaultRootObjectProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.startsWith('/')) problems.push('Leave out the leading “/”: write index.html, not /index.html.');
  if (value.length > 255) problems.push('Use at most 255 characters.');
  if (/[\s?#]/.test(value)) problems.push('Use an object name without spaces, “?” or “#”.');
  return problems;
}

// The forms' choices. ./cloudfront.ts checks each against the model's enum
// when the server loads it, so the browser needs no copy of the model for
// them. PriceClass "None" (distributions on a flat-rate pricing plan) is not offered.
export const VIEWER_PROTOCOL_POLICIES = ['redirect-to-https', 'https-only', 'allow-all'] as const;
export const PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'] as const;

/** A path as quoted back in a message: long ones cut, so a message stays a sentence. */
function quoted(path: string): string {
  return `“${path.length > 60 ? `${path.slice(0, 57)}…` : path}”`;
}

/** Problems with one invalidation path, as CloudFront would see them. */
export function invalidationPathProblems(path: string): string[] {
  const problems: string[] = [];
  if (!path.startsWith('/')) problems.push(`${quoted(path)} must start with “/”.`);
  const star = path.indexOf('*');
  if (star !== -1 && star !== path.length - 1) problems.push(`${quoted(path)}: “*” may only be the last character.`);
  if (path.length > 4000) problems.push(`${quoted(path)} is longer than 4,000 characters.`);
  return problems;
}
