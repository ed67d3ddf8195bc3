import type { Metadata } from 'next';
import { RemoveUserButton } from '@/components/users/remove-user-button';
import { UserForm } from '@/components/users/user-form';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import { requireRole } from '@/lib/auth/session';
import { roleAllows } from '@/lib/auth/roles';
import { listUsers } from '@/lib/auth/users';
import { formatDateTime } from '@/lib/ui/format';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const me = await requireRole('viewer');
  const isAdmin = roleAllows(me.role, 'admin');
  const users = await listUsers();
  return (
    <>
      <PageHeader
        eyebrow="Berth"
        title="Users"
        description={
          isAdmin
            ? 'People who sign in to Berth with an email and password. Single sign-on users get their role from your identity provider and are not listed.'
            : 'People who sign in to Berth with an email and password, and their roles. Only admins see their emails.'
        }
      />
      <div className={isAdmin ? 'grid items-start gap-5 2xl:grid-cols-[minmax(0,1fr)_22rem]' : ''}>
        <Card>
          <Table>
            <thead>
              <tr>
                {isAdmin ? <Th>Email</Th> : null}
                <Th>Name</Th>
                <Th>Role</Th>
                <Th>Updated</Th>
                {isAdmin ? <Th><span className="sr-only">Actions</span></Th> : null}
              </tr>
            </thead>
            <tbody data-testid="users-table">
              {/* Viewers see who has which role, but only their own email: the
                  list of sign-in emails is what a password guesser needs first.
                  Nothing but what is shown reaches the page (keys are account ids). */}
              {users.map((u) => (
                <Tr key={u.id}>
                  {isAdmin ? (
                    <Td className="font-medium">{u.email}{u.email === me.email ? <span className="ml-2 text-xs text-zinc-400">(you)</span> : null}</Td>
                  ) : null}
                  <Td className="whitespace-nowrap text-zinc-600 dark:text-zinc-400">
                    {u.name ?? '—'}
                    {!isAdmin && u.email === me.email ? <span className="ml-2 text-xs text-zinc-400">{u.email} (you)</span> : null}
                  </Td>
                  <Td><Badge tone={u.role === 'admin' ? 'brand' : 'neutral'}>{u.role}</Badge></Td>
                  <Td className="whitespace-nowrap text-zinc-600 dark:text-zinc-400">{formatDateTime(u.updatedAt)}</Td>
                  {isAdmin ? <Td>{u.email === me.email ? null : <RemoveUserButton email={u.email} />}</Td> : null}
                </Tr>
              ))}
            </tbody>
          </Table>
        </Card>
        {isAdmin ? (
          <Card className="max-w-xl">
            <CardHeader title="Add or update a user" description="Saving an existing email changes its role, and its password if you set one." />
            <CardBody>
              <UserForm />
            </CardBody>
          </Card>
        ) : null}
      </div>
    </>
  );
}
