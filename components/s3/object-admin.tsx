'use client';

import { onDemand } from '@/components/ui/on-demand';

// Ticking, deleting and restoring objects: only ever rendered for an admin, so
// loaded on demand and a viewer's browser never downloads its code
// (components/ui/on-demand.tsx).

export const ObjectAdminPanel = onDemand(() => import('./object-admin-impl').then((m) => m.ObjectAdminPanel), 'Selecting, deleting and restoring objects');
