'use client';

import { onDemand } from '@/components/ui/on-demand';

// The repository route (a repository's tabs and its images' pages) is one
// page to the bundler; the images table is on one of its tabs only, so it is
// loaded on demand and the others do not carry it (components/ui/on-demand.tsx).
export const ImagesTable = onDemand(() => import('./images-table-impl').then((m) => m.ImagesTable), 'The image table');
