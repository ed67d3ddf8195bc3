import { Alert } from '@/components/ui/alert';
import { Table, Td, Th, Tr } from '@/components/ui/table';
import type { Attempt } from '@/lib/aws/errors';
import { PUBLIC_ACCESS_FLAGS } from '@/lib/s3/account-access';
import type { PublicAccessBlock } from '@/lib/s3/properties';

const LABELS: Record<keyof PublicAccessBlock, string> = {
  blockPublicAcls: 'Block new public ACLs',
  ignorePublicAcls: 'Ignore existing public ACLs',
  blockPublicPolicy: 'Block new public bucket policies',
  restrictPublicBuckets: 'Restrict access when a public policy exists',
};

const onOff = (v: boolean) => (v ? 'On' : 'Off');

/**
 * The bucket's Block Public Access beside the account's, and what S3 applies:
 * each setting is in force when either has it on. When the account's setting
 * cannot be read, a setting the bucket leaves off is unknown, since the
 * account may have it on.
 */
export function PublicAccessInForce({ bucket, account }: { bucket: PublicAccessBlock | null; account: Attempt<PublicAccessBlock | null> }) {
  const acct = account.ok ? account.value : undefined;
  return (
    <div className="space-y-2" data-testid="bpa-in-force">
      <Table className="rounded-lg border border-zinc-200 dark:border-zinc-800">
        <thead>
          <tr>
            <Th>Setting</Th>
            <Th>This bucket</Th>
            <Th>Account</Th>
            <Th>In force</Th>
          </tr>
        </thead>
        <tbody>
          {PUBLIC_ACCESS_FLAGS.map((k) => {
            const own = Boolean(bucket?.[k]);
            const theirs = acct === undefined ? undefined : Boolean(acct?.[k]);
            const inForce = own || theirs === true ? 'On' : theirs === undefined ? 'Unknown' : 'Off';
            const from = own && theirs ? 'both' : own ? 'bucket' : theirs ? 'account' : undefined;
            return (
              <Tr key={k}>
                <Td>{LABELS[k]}</Td>
                <Td>{onOff(own)}</Td>
                <Td>{theirs === undefined ? 'Unknown' : onOff(theirs)}</Td>
                <Td className="font-medium">
                  <span data-testid={`bpa-in-force-${k}`}>{inForce}</span>
                  {from ? <span className="ml-1 text-xs font-normal text-zinc-500 dark:text-zinc-400">({from === 'both' ? 'bucket and account' : from})</span> : null}
                </Td>
              </Tr>
            );
          })}
        </tbody>
      </Table>
      <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="bpa-account-note">
        {account.ok
          ? account.value
            ? 'S3 applies the stricter of the bucket’s and the account’s setting. The account’s setting is changed for the whole account, outside Berth.'
            : 'The account has no Block Public Access setting of its own, so the bucket’s applies alone.'
          : 'S3 applies the stricter of the bucket’s and the account’s setting, but Berth could not read the account’s.'}
      </p>
      {account.ok ? null : (
        <Alert tone="warning" title={account.problem.title}>
          <p data-testid="bpa-account-problem">{account.problem.message}</p>
        </Alert>
      )}
    </div>
  );
}
