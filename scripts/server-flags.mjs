// The Node flags Berth's production server runs with. `npm start`
// (scripts/start.mjs), the bench and the tests that start a production server
// take them from here; the Dockerfile sets the same list as NODE_OPTIONS, and a
// test holds it to this file.
//
// --max-old-space-size=1024: V8 sizes its heap growth by the heap limit. On a
//   machine with 16 GiB or more the default limit is about 4 GiB, and V8 then
//   lets the old generation grow about fourfold between full collections:
//   Berth's live heap is about 80 MiB, but its RSS climbed to 430 MiB after a
//   few thousand page views and 480 MiB with 50 viewers. With a 1 GiB limit V8
//   grows the heap by about 1.6× instead: RSS stays near 250 MiB under the
//   same load, for a few percent more CPU spent collecting. 1 GiB is still
//   far above what Berth holds. (`npm run bench -- load` prints both figures.)
// --experimental-async-context-frame (Node 22.7 to 23 only; the default from
//   Node 24): AsyncLocalStorage, which Next.js uses for every request and
//   Berth for its audit scope, is carried by V8's continuation data instead of
//   promise hooks, so a promise no longer costs a hook call.
//
// An operator's own NODE_OPTIONS wins: a flag already set there is not added.

/** The flags for a server started with `env` on Node `version`. */
export function serverNodeFlags(env = process.env, version = process.versions.node) {
  const own = env.NODE_OPTIONS ?? '';
  const flags = [];
  if (!/--max-old-space-size\b|--max-heap-size\b/.test(own)) flags.push('--max-old-space-size=1024');
  const [major, minor] = version.split('.').map(Number);
  const frameIsOptIn = (major === 22 && minor >= 7) || major === 23;
  if (frameIsOptIn && !/async-context-frame/.test(own)) flags.push('--experimental-async-context-frame');
  return flags;
}

/** node's arguments for the standalone server: the flags, the peer-address preload, the server. */
export function serverNodeArgs(preloadHref, serverJs, env = process.env, version = process.versions.node) {
  return [...serverNodeFlags(env, version), '--import', preloadHref, serverJs];
}
