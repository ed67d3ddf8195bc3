'use client';

import { onDemand } from '@/components/ui/on-demand';

// The remove-user button is only ever rendered for an admin: loaded on demand, so
// a viewer's browser never downloads its code (components/ui/on-demand.tsx).

export const RemoveUserButton = onDemand(() => import('./remove-user-button-impl').then((m) => m.RemoveUserButton), 'Remove user');
