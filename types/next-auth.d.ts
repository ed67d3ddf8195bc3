import type { DefaultSession } from 'next-auth';
import type { Role } from '@/lib/auth/roles';

declare module 'next-auth' {
  interface Session {
    user: { role: Role } & DefaultSession['user'];
  }
  interface User {
    role?: Role;
    /** Password users: the store's session generation at sign-in (lib/auth/users.ts). */
    sessionGeneration?: number;
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    role?: Role;
    provider?: string;
    /** Password users: the account id and session generation at sign-in. */
    uid?: string;
    gen?: number;
    /** When this session began (ms since epoch); iat moves with every refresh. */
    signedInAt?: number;
  }
}
