import type { ReactNode } from 'react';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { Card } from '@/components/ui/card';
import { FilterInput } from '@/components/ui/filter-input';
import { PageHeader } from '@/components/ui/page-header';
import { Tabs } from '@/components/ui/tabs';
import type { AwsProblem } from '@/lib/aws/errors';
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

/** The top of each page of the Access section: its title and the section's tabs. */
export function AccessHeader({ current, title, description, regionParam }: { current: AccessTab; title: string; description: string; regionParam: string | undefined }) {
  return (
    <>
      <PageHeader eyebrow="AWS IAM" title={title} description={description} />
      <AccessTabs current={current} regionParam={regionParam} />
    </>
  );
}

/** A list of users, groups or roles: the name filter (and whatever the list offers beside it) above the rows. */
export function FilteredList({ aside, children }: { aside?: ReactNode; children: ReactNode }) {
  return (
    <Card>
      <div className="flex items-center justify-between gap-4 border-b border-zinc-100 px-5 py-3 dark:border-zinc-800">
        <FilterInput placeholder="Filter by name" />
        {aside}
      </div>
      {children}
    </Card>
  );
}

/** AWS's refusal in place of a list's rows. */
export function ListProblem({ problem }: { problem: AwsProblem }) {
  return (
    <div className="p-5">
      <AwsProblemAlert problem={problem} />
    </div>
  );
}
