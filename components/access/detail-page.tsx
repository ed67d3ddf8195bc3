import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Breadcrumb, NotListed } from '@/components/access/not-listed';
import { AwsProblemAlert } from '@/components/ui/aws-problem';
import { CopyButton } from '@/components/ui/copy-button';
import { PageHeader } from '@/components/ui/page-header';
import { attempt, type AwsProblem } from '@/lib/aws/errors';
import type { Fresh } from '@/lib/aws/read-cache';
import { iamRead, readAuthorization, type Authorization } from '@/lib/iam/authorization';
import { accessPaths, nameFromSegment } from '@/lib/iam/paths';
import { param, withParams, type SearchParams } from '@/lib/ui/url';

/**
 * What the Access detail pages (a user, group, role or managed policy) share:
 * the breadcrumb back to Access, links that keep the region, the page that
 * says why the entity cannot be shown (AWS refused the read, or the snapshot
 * does not list it), and the ARN line under the title.
 */

export interface DetailFrame {
  regionParam: string | undefined;
  /** A console path with the page's region kept. */
  link: (path: string) => string;
  crumbs: ReactNode;
}

/** `list` is the section list the crumb goes up to (Users, Groups, Roles), none for a policy. */
export function detailFrame(searchParams: SearchParams, current: string, list?: [label: string, path: string]): DetailFrame {
  const regionParam = param(searchParams, 'region');
  const link = (path: string) => withParams(path, { region: regionParam }, {});
  const trail: [string, string][] = [['Access', link(accessPaths.overview)], ...(list ? [[list[0], link(list[1])] as [string, string]] : [])];
  return { regionParam, link, crumbs: <Breadcrumb trail={trail} current={current} /> };
}

/** The `generateMetadata` of a user, group or role page: the kind and the name from the address ("IAM user alice"). */
export function detailMetadata(eyebrow: string) {
  return async ({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> => ({ title: `${eyebrow} ${nameFromSegment((await params).name)}` });
}

/** The user, group or role a page's address names (decoded), and its frame under the section's `list`. */
export async function openDetail(
  params: Promise<{ name: string }>,
  searchParams: Promise<SearchParams>,
  list: [label: string, path: string],
): Promise<{ name: string; frame: DetailFrame }> {
  const name = nameFromSegment((await params).name);
  return { name, frame: detailFrame(await searchParams, name, list) };
}

/** The page in place of an entity that cannot be shown: its name, and why (AWS's refusal, or `children`). */
export function DetailStop({ frame, eyebrow, title, problem, children }: {
  frame: DetailFrame;
  eyebrow: string;
  title: string;
  problem?: AwsProblem;
  children?: ReactNode;
}) {
  return (
    <>
      {frame.crumbs}
      <PageHeader eyebrow={eyebrow} title={title} />
      {problem ? <AwsProblemAlert problem={problem} /> : children}
    </>
  );
}

/**
 * One user or group from the shared GetAccountAuthorizationDetails snapshot,
 * or the page to show instead: AWS's refusal, or "not listed" with the
 * snapshot's age and a Refresh.
 */
export async function readListed<T>(
  frame: DetailFrame,
  what: { eyebrow: string; name: string },
  pick: (a: Authorization) => T | undefined,
): Promise<{ stop: ReactNode } | { entity: T; snapshot: Fresh<Authorization> }> {
  const r = await attempt(readAuthorization, iamRead('iam:GetAccountAuthorizationDetails'));
  if (!r.ok) return { stop: <DetailStop frame={frame} eyebrow={what.eyebrow} title={what.name} problem={r.problem} /> };
  const entity = pick(r.value.value);
  if (entity === undefined) {
    return {
      stop: (
        <DetailStop frame={frame} eyebrow={what.eyebrow} title={what.name}>
          <NotListed kind={what.eyebrow} name={what.name} readAt={r.value.readAt} />
        </DetailStop>
      ),
    };
  }
  return { entity, snapshot: r.value };
}

/** The line under a detail page's title: the ARN with a copy button, then whatever the page adds. */
export function ArnLine({ arn, copyLabel, children }: { arn: string; copyLabel: string; children?: ReactNode }) {
  return (
    <span className="flex flex-wrap items-center gap-x-1">
      <span className="font-mono text-xs">{arn}</span>
      <CopyButton value={arn} label={copyLabel} />
      {children}
    </span>
  );
}
