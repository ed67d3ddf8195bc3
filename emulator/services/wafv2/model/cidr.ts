import { isIPv4, isIPv6 } from 'node:net';

/**
 * The CIDR blocks an IP set accepts. WAF takes every IPv4 and IPv6 range
 * except /0, always in CIDR notation (a single address is /32 or /128), of
 * the set's own IP version; and it refuses a block whose address has bits set
 * past the prefix (`195.178.188.66/29` is refused; `195.178.188.64/29` is the
 * block).
 * https://docs.aws.amazon.com/waf/latest/APIReference/API_IPSet.html#WAF-Type-IPSet-Addresses
 */
export function isCidrOf(version: 'IPV4' | 'IPV6', cidr: string): boolean {
  const slash = cidr.indexOf('/');
  if (slash < 0) return false;
  const address = cidr.slice(0, slash);
  const prefixText = cidr.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return false;
  const prefix = Number(prefixText);
  if (version === 'IPV4') {
    if (!isIPv4(address) || prefix < 1 || prefix > 32) return false;
    return hostBitsClear(ipv4Value(address), 32, prefix);
  }
  if (!isIPv6(address) || prefix < 1 || prefix > 128) return false;
  const value = ipv6Value(address);
  return value !== undefined && hostBitsClear(value, 128, prefix);
}

function hostBitsClear(value: bigint, width: number, prefix: number): boolean {
  const hostMask = (1n << BigInt(width - prefix)) - 1n;
  return (value & hostMask) === 0n;
}

function ipv4Value(address: string): bigint {
  return address.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

/** The 128-bit value of an IPv6 address already known to be valid, including a dotted IPv4 tail. */
function ipv6Value(address: string): bigint | undefined {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = Number(ipv4Value(dotted[1]));
    text = `${text.slice(0, dotted.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}
