// Small stroke icons drawn for Berth's navigation (24px grid, currentColor).
type P = { className?: string };
const base = { viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.7, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;

export const OverviewIcon = ({ className }: P) => (
  <svg {...base} className={className} aria-hidden>
    <rect x="3.5" y="3.5" width="7" height="8" rx="1.5" />
    <rect x="13.5" y="3.5" width="7" height="5" rx="1.5" />
    <rect x="13.5" y="11.5" width="7" height="9" rx="1.5" />
    <rect x="3.5" y="14.5" width="7" height="6" rx="1.5" />
  </svg>
);
export const ContainerIcon = ({ className }: P) => (
  <svg {...base} className={className} aria-hidden>
    <path d="M3.5 8 12 3.5 20.5 8v8L12 20.5 3.5 16Z" />
    <path d="M3.5 8 12 12.5 20.5 8M12 12.5v8" />
  </svg>
);
export const BucketIcon = ({ className }: P) => (
  <svg {...base} className={className} aria-hidden>
    <ellipse cx="12" cy="6" rx="8" ry="2.5" />
    <path d="M4 6l1.8 12.2c.2 1.3 2.9 2.3 6.2 2.3s6-1 6.2-2.3L20 6" />
  </svg>
);
export const GlobeIcon = ({ className }: P) => (
  <svg {...base} className={className} aria-hidden>
    <circle cx="12" cy="12" r="8.5" />
    <path d="M3.5 12h17M12 3.5c2.4 2.4 3.5 5.3 3.5 8.5s-1.1 6.1-3.5 8.5c-2.4-2.4-3.5-5.3-3.5-8.5S9.6 5.9 12 3.5Z" />
  </svg>
);
export const UsersIcon = ({ className }: P) => (
  <svg {...base} className={className} aria-hidden>
    <circle cx="9" cy="8.5" r="3.5" />
    <path d="M3 19.5c.6-3.2 3-5 6-5s5.4 1.8 6 5M15.5 5.3a3.5 3.5 0 0 1 0 6.4M18 14.8c1.6.7 2.7 2.4 3 4.7" />
  </svg>
);
/** A list with a clock: the audit trail. */
export const AuditIcon = ({ className }: P) => (
  <svg {...base} className={className} aria-hidden>
    <path d="M5 6.5h9M5 11h6M5 15.5h4" />
    <circle cx="16.5" cy="15.5" r="4" />
    <path d="M16.5 13.5v2l1.3 1.2" />
  </svg>
);
export const KeyIcon = ({ className }: P) => (
  <svg {...base} className={className} aria-hidden>
    <circle cx="8" cy="15" r="4.5" />
    <path d="m11.3 11.7 8.2-8.2M16.5 6.5l2.5 2.5M14 9l2 2" />
  </svg>
);
export const ChevronIcon = ({ className }: P) => (
  <svg {...base} className={className} aria-hidden>
    <path d="m7 10 5 5 5-5" />
  </svg>
);
