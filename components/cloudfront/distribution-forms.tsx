'use client';

import { onDemand } from '@/components/ui/on-demand';

// The settings, invalidation, enable, delete and fix forms of a distribution are
// only ever rendered for an admin: loaded on demand, so a viewer's browser never
// downloads their code (components/ui/on-demand.tsx).

export const SettingsForm = onDemand(() => import('./distribution-forms-impl').then((m) => m.SettingsForm), 'The distribution settings');
export const InvalidationForm = onDemand(() => import('./distribution-forms-impl').then((m) => m.InvalidationForm), 'The invalidation form');
export const EnableButton = onDemand(() => import('./distribution-forms-impl').then((m) => m.EnableButton), 'Enable and disable');
export const DeleteDistributionForm = onDemand(() => import('./distribution-forms-impl').then((m) => m.DeleteDistributionForm), 'Delete distribution');
export const FixButton = onDemand(() => import('./distribution-forms-impl').then((m) => m.FixButton), 'The fix');
