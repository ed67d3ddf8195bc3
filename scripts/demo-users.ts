// The demo's sign-ins: printed by `npm run demo` and used by the e2e tests.
export const DEMO_USERS = [
  { email: 'admin@berth.local', password: 'berth-demo-admin', role: 'admin' as const, name: 'Demo Admin' },
  { email: 'viewer@berth.local', password: 'berth-demo-viewer', role: 'viewer' as const, name: 'Demo Viewer' },
];
