'use client';

import { onDemand } from '@/components/ui/on-demand';

// A repository's settings, policy and lifecycle editors and its delete form are
// only ever rendered for an admin: loaded on demand, so a viewer's browser never
// downloads their code (components/ui/on-demand.tsx).

export const SettingsForm = onDemand(() => import('./repository-settings-forms-impl').then((m) => m.SettingsForm), 'The repository settings');
export const PolicyEditor = onDemand(() => import('./repository-settings-forms-impl').then((m) => m.PolicyEditor), 'The policy editor');
export const LifecycleEditor = onDemand(() => import('./repository-settings-forms-impl').then((m) => m.LifecycleEditor), 'The lifecycle rules editor');
export const DeleteRepositoryForm = onDemand(() => import('./repository-settings-forms-impl').then((m) => m.DeleteRepositoryForm), 'Delete repository');
