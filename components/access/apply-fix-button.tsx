'use client';

import { onDemand } from '@/components/ui/on-demand';

// Only an admin is shown the apply control: loaded on demand, so a viewer's
// browser never downloads its code (components/ui/on-demand.tsx).

export const ApplyFixButton = onDemand(() => import('./apply-fix-button-impl').then((m) => m.ApplyFixButton), 'The fix');
