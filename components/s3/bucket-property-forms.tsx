'use client';

import { onDemand } from '@/components/ui/on-demand';

// A bucket's property forms are only ever rendered for an admin: loaded on demand,
// so a viewer's browser never downloads their code (components/ui/on-demand.tsx).

export const VersioningForm = onDemand(() => import('./bucket-property-forms-impl').then((m) => m.VersioningForm), 'The versioning form');
export const WebsiteForm = onDemand(() => import('./bucket-property-forms-impl').then((m) => m.WebsiteForm), 'The website form');
export const PublicAccessForm = onDemand(() => import('./bucket-property-forms-impl').then((m) => m.PublicAccessForm), 'The public access form');
export const BucketPolicyEditor = onDemand(() => import('./bucket-property-forms-impl').then((m) => m.BucketPolicyEditor), 'The bucket policy editor');
export const TagsForm = onDemand(() => import('./bucket-property-forms-impl').then((m) => m.TagsForm), 'The tags form');
