import { Tabs } from '@/components/ui/tabs';
import { accessPaths } from '@/lib/iam/paths';
import { withParams } from '@/lib/ui/url';

export type AccessTab = 'overview' | 'users' | 'groups' | 'roles' | 'explain';

/** The Access section's tabs; the region (which IAM ignores) is carried along for the other sections. */
export function AccessTabs({ current, regionParam }: { current: AccessTab; regionParam: string | undefined }) {
  const href = (path: string) => withParams(path, { region: regionParam }, {});
  return (
    <Tabs
      current={current}
      tabs={[
        { id: 'overview', label: 'Overview', href: href(accessPaths.overview) },
        { id: 'users', label: 'Users', href: href(accessPaths.users) },
        { id: 'groups', label: 'Groups', href: href(accessPaths.groups) },
        { id: 'roles', label: 'Roles', href: href(accessPaths.roles) },
        { id: 'explain', label: 'Why denied?', href: href(accessPaths.explain) },
      ]}
    />
  );
}
