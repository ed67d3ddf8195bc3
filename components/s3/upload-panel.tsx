'use client';

import { onDemand } from '@/components/ui/on-demand';

// The upload panel is only ever rendered for an admin: loaded on demand, so a
// viewer's browser never downloads its code (components/ui/on-demand.tsx).

export const UploadPanel = onDemand(() => import('./upload-panel-impl').then((m) => m.UploadPanel), 'Upload');
