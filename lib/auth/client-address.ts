import 'server-only';

// Which address a request came from, for the sign-in limits.
//
// X-Forwarded-For is a list anyone can write: a client may send any entries it
// likes, and each proxy on the way appends the address it received the
// request from. Only the entries appended by proxies you run can be trusted,
// and those are the rightmost ones. So with BERTH_TRUSTED_PROXY_HOPS=N the
// client is the address N steps from the right of [...X-Forwarded-For, peer],
// where peer is the TCP peer of Berth's own socket (with N=0, the socket
// itself, and whatever the client wrote is ignored). This is the rule of
// Express's "trust proxy" hop count and of nginx's real_ip_recursive.
// https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/X-Forwarded-For#security_and_privacy_concerns
//
// Route handlers in Next.js never see the socket, so scripts/peer-address.mjs
// (loaded by `npm start` and the Docker image) copies its address into
// PEER_HEADER for every request, replacing any value a client sent.

/** Also named in scripts/peer-address.mjs, which cannot import this module. */
export const PEER_HEADER = 'x-berth-peer-address';

/** "::ffff:10.0.0.1" (an IPv4 client on a dual-stack socket) is 10.0.0.1. */
function normalise(address: string): string {
  const a = address.trim().toLowerCase();
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

let warned = false;

export function clientAddress(headers: Headers, trustedHops: number): string {
  const forwarded = (headers.get('x-forwarded-for') ?? '').split(',').map(normalise).filter(Boolean);
  const peer = headers.get(PEER_HEADER);
  let chain: string[];
  if (peer) {
    chain = [...forwarded, normalise(peer)];
  } else {
    // Started some other way (`next dev`, `next start`): Next.js fills in
    // X-Forwarded-For from the socket only when the client sent none, so the
    // rightmost entry may be the client's own words.
    if (!warned) {
      warned = true;
      console.warn('[auth] Client addresses come from X-Forwarded-For only; start Berth with `npm start` (scripts/start.mjs) or the Docker image so they come from the socket.');
    }
    chain = forwarded;
  }
  if (chain.length === 0) return 'unknown';
  return chain[Math.max(0, chain.length - 1 - trustedHops)]!;
}
