'use client';

import { onDemand } from '@/components/ui/on-demand';

// The catalog editor and the delete form are rendered for admins only: loaded
// on demand, so a viewer's browser never downloads their code
// (components/ui/on-demand.tsx).
export const CatalogDataForm = onDemand(() => import('./public-repository-forms-impl').then((m) => m.CatalogDataForm), 'The catalog data form');
export const DeletePublicRepositoryForm = onDemand(() => import('./public-repository-forms-impl').then((m) => m.DeletePublicRepositoryForm), 'Delete repository');
