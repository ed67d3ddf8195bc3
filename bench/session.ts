// A signed-in console session for the benches, the way the browser gets one
// and keeps it.

/**
 * The cookies of one signed-in browser. Like a browser it takes the
 * Set-Cookie lines of every answer: Berth renews a session cookie on use once
 * it is a minute old (proxy.ts), and a client that kept sending the first
 * cookie would take Auth.js's slower renewal path on every request after that
 * minute, which no browser does.
 */
export class Session {
  private readonly cookies = new Map<string, string>();

  constructor(header = '') {
    for (const pair of header.split(';')) this.set(pair);
  }

  /** The Cookie header to send. */
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Keeps what an answer's Set-Cookie lines say: a new value replaces the old; an expired cookie goes. */
  take(setCookie: readonly string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const [pair = '', ...attributes] = line.split(';');
      const expired = attributes.some((a) => {
        const [k = '', v = ''] = a.trim().split('=');
        const key = k.toLowerCase();
        return (key === 'max-age' && Number(v) <= 0) || (key === 'expires' && Date.parse(a.trim().slice(8)) <= Date.now());
      });
      const name = pair.slice(0, pair.indexOf('=')).trim();
      if (expired) this.cookies.delete(name);
      else this.set(pair);
    }
  }

  private set(pair: string): void {
    const at = pair.indexOf('=');
    if (at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
}

/** Signs in through Auth.js's own endpoints, as the browser form does. */
export async function signIn(origin: string, email: string, password: string): Promise<Session> {
  const csrf = await fetch(`${origin}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const session = new Session();
  session.take(csrf.headers.getSetCookie());
  const res = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.header() },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: '/' }),
  });
  session.take(res.headers.getSetCookie());
  if (!/(^|; )authjs\.session-token=/.test(session.header())) throw new Error('bench sign-in failed');
  return session;
}
