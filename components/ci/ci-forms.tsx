'use client';

import { onDemand } from '@/components/ui/on-demand';

// The push-from-CI form is only ever rendered for an admin: loaded on demand,
// so a viewer's browser never downloads its code (components/ui/on-demand.tsx).
export const CiForms = onDemand(() => import('./ci-forms-impl').then((m) => m.CiForms), 'The CI forms');
