'use client';

import { onDemand } from '@/components/ui/on-demand';

// An image's scan button is only ever rendered for an admin: loaded on demand, so
// a viewer's browser never downloads its code (components/ui/on-demand.tsx).

export const ScanButton = onDemand(() => import('./scan-button-impl').then((m) => m.ScanButton), 'Scan');
