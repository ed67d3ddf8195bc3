// Policy documents as IAM hands them out. Every IAM API that returns a policy
// document (GetAccountAuthorizationDetails, GetRole, GetUserPolicy,
// GetPolicyVersion…) returns it URL-encoded (RFC 3986), and the JavaScript SDK
// does not decode it. Pure: unit-tested without AWS.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html

export interface PolicyDocument {
  /** The document as readable JSON (two-space indent), or as decoded when it is not JSON. */
  text: string;
  /** The parsed document, or null when it is not JSON. */
  json: unknown;
}

/**
 * The text of a document IAM returned. A JSON document always starts with "{"
 * (after blanks), which IAM encodes as %7B; one that already starts with "{"
 * was decoded on the way (a proxy, another implementation) and is left as it
 * is, so a literal "%" inside it (a condition value) is not decoded twice.
 */
export function decodeDocument(raw: string | undefined | null): string {
  if (!raw) return '';
  if (/^\s*[{[]/.test(raw)) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // not valid percent-encoding: shown as it came
  }
}

/** A document decoded and pretty-printed. */
export function readDocument(raw: string | undefined | null): PolicyDocument {
  const text = decodeDocument(raw);
  try {
    const json: unknown = JSON.parse(text);
    return { text: JSON.stringify(json, null, 2), json };
  } catch {
    return { text, json: null };
  }
}
