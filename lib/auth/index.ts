import 'server-only';
export { auth, signIn, signOut, handlers } from './config';
export { currentUser, requireRole, type SessionUser } from './session';
export { defineAction, ActionError, type ActionResult } from './action';
export { roleAllows, type Role } from './roles';
