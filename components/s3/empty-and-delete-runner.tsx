'use client';

import { onDemand } from '@/components/ui/on-demand';

// The empty-and-delete runner is only ever rendered for an admin: loaded on
// demand, so a viewer's browser never downloads its code 
// (components/ui/on-demand.tsx).

export const EmptyAndDeleteRunner = onDemand(() => import('./empty-and-delete-runner-impl').then((m) => m.EmptyAndDeleteRunner), 'Empty and delete');
