'use client';

import { onDemand } from '@/components/ui/on-demand';

// The repository route (a repository's tabs and its images' pages) is one
// page to the bundler; the findings table is on an image's page only, so it
// is loaded on demand and the repository's tabs do not carry it
// (components/ui/on-demand.tsx).
export const FindingsTable = onDemand(() => import('./findings-table-impl').then((m) => m.FindingsTable), 'The findings table');
