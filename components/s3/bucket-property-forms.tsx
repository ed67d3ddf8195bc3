'use client';

import { onDemand } from '@/components/ui/on-demand';

// A bucket's property forms are only ever rendered for an admin: loaded on demand,
// so a viewer's browser never downloads their code (components/ui/on-demand.tsx).

export const VersioningForm = onDemand(() => import('./bucket-property-forms-impl').then((m) => m.VersioningForm));
export const WebsiteForm = onDemand(() => import('./bucket-property-forms-impl').then((m) => m.WebsiteForm));
export const PublicAccessForm = onDemand(() => import('./bucket-property-forms-impl').then((m) => m.PublicAccessForm));
export const BucketPolicyEditor = onDemand(() => import('./bucket-property-forms-impl').then((m) => m.BucketPolicyEditor));
export const TagsForm = onDemand(() => import('./bucket-property-forms-impl').then((m) => m.TagsForm));
