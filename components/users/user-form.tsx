'use client';

import { onDemand } from '@/components/ui/on-demand';

// The add-or-change-user form is only ever rendered for an admin: loaded on
// demand, so a viewer's browser never downloads its code
// (components/ui/on-demand.tsx).

export const UserForm = onDemand(() => import('./user-form-impl').then((m) => m.UserForm), 'The user form');
