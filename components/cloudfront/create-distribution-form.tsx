'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMemo, useState, useTransition } from 'react';
import { createDistributionAction } from '@/app/(console)/cloudfront/-/new/actions';
import { fieldErrors, Outcome, useFormAction } from '@/components/ui/action-state';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, inputBase, inputClass } from '@/components/ui/field';
import { RadioCards } from '@/components/ui/radio-cards';
import { PRICE_CLASS_LABELS, VIEWER_PROTOCOL_LABELS } from '@/lib/cloudfront/names';
import { foldDiff, lineDiff } from '@/lib/ui/diff';
import { defaultRootObjectProblems, PRICE_CLASSES, VIEWER_PROTOCOL_POLICIES } from '@/lib/validation/cloudfront-rules';
import { withStatement } from '@/lib/validation/policy';
import { distributionReadStatement } from '@/lib/validation/s3-policy';

interface Props {
  /** A fresh key from this render; the form keeps the first one it gets for each bucket. */
  callerReference: string;
  buckets: string[];
  bucket: string | null;
  currentPolicy: string | null;
  bucketProblem: string | null;
  websiteOn: boolean;
  webAcls: { arn: string; name: string }[] | null;
  account: string;
  /** The partition Berth's identity is in, for the stand-in ARNs of the preview. */
  partition: string;
}

export function CreateDistributionForm(p: Props) {
  const { state, pending, formProps } = useFormAction(createDistributionAction);
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [choosing, startChoosing] = useTransition();
  const [access, setAccess] = useState<'oac' | 'oai'>('oac');
  const [root, setRoot] = useState('index.html');
  const [waf, setWaf] = useState<'off' | 'existing' | 'create'>('off');
  const [tags, setTags] = useState<{ key: string; value: string }[]>([]);
  const rootProblems = defaultRootObjectProblems(root.trim());
  const fe = fieldErrors(state);

  // The CallerReference is the idempotency key of one intent: "a distribution
  // for this bucket". Picking a bucket re-renders the page (and mints a new
  // key there), so the form keeps the first key it saw for each bucket: a
  // retry after a refusal or a partial failure, even after picking the bucket
  // again, reuses it and CloudFront answers with the distribution it already
  // made instead of making a second one. Another bucket is another intent, and
  // must not share a key: CloudFront would take it for the first bucket's.
  // https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateDistribution.html
  // A success leaves the page, so the next visit starts with new keys.
  const [keys, setKeys] = useState<Record<string, string>>({});
  const intent = p.bucket ?? '';
  if (!(intent in keys)) setKeys({ ...keys, [intent]: p.callerReference });
  const callerReference = keys[intent] ?? p.callerReference;

  // The policy the bucket will have, with a stand-in for the ARN the new distribution will get.
  const preview = useMemo(() => {
    if (!p.bucket || p.currentPolicy === null) return null;
    const who = access === 'oac'
      ? { distributionArn: `arn:${p.partition}:cloudfront::${p.account}:distribution/NEW` }
      : { oaiId: 'NEW', oaiArn: `arn:${p.partition}:iam::cloudfront:user/CloudFront Origin Access Identity (new)` };
    try {
      return foldDiff(lineDiff(p.currentPolicy, withStatement(p.currentPolicy, distributionReadStatement(p.bucket, who))));
    } catch {
      return null;
    }
  }, [p.bucket, p.currentPolicy, p.account, p.partition, access]);

  function chooseBucket(name: string) {
    const q = new URLSearchParams(params.toString());
    if (name) q.set('bucket', name);
    else q.delete('bucket');
    startChoosing(() => router.replace(`${pathname}?${q.toString()}`, { scroll: false }));
  }

  return (
    <form {...formProps} className="space-y-7" noValidate data-testid="create-distribution-form">
      <input type="hidden" name="callerReference" value={callerReference} />
      <input type="hidden" name="tags" value={JSON.stringify(tags.filter((t) => t.key.trim()))} />

      <Field label="S3 bucket" htmlFor="cf-bucket" errors={fe?.bucket} hint="The bucket whose objects the distribution serves.">
        <select id="cf-bucket" name="bucket" value={p.bucket ?? ''} onChange={(e) => chooseBucket(e.target.value)} className={`${inputClass} font-mono`}>
          <option value="">Choose a bucket…</option>
          {p.buckets.map((b) => <option key={b} value={b}>{b}</option>)}
        </select>
      </Field>
      {p.bucketProblem ? <Alert tone="error">{p.bucketProblem}</Alert> : null}

      <RadioCards
        legend="Origin access"
        name="originAccess"
        value={access}
        onChange={setAccess}
        options={[
          { value: 'oac', title: 'Origin Access Control (recommended)', description: 'CloudFront signs each request to the bucket; works with SSE-KMS and every region.' },
          { value: 'oai', title: 'Origin Access Identity (legacy)', description: 'The older way, for setups that already use one. AWS recommends OAC for new distributions.' },
        ]}
      />
      <Alert tone={p.websiteOn ? 'warning' : 'info'}>
        {p.websiteOn
          ? 'This bucket has static website hosting on. OAC and OAI do not work with a website-endpoint origin, so Berth uses the bucket’s REST endpoint: the default root object serves “/”, but the website’s index documents for folders and its redirect rules do not apply.'
          : 'OAC and OAI work only with the bucket’s REST endpoint, not with an S3 website endpoint; Berth always uses the REST endpoint.'}
      </Alert>

      <Field label="Default root object" htmlFor="cf-root" errors={rootProblems.length ? rootProblems : fe?.defaultRootObject} hint="What “/” serves. No leading “/”.">
        <input id="cf-root" name="defaultRootObject" value={root} onChange={(e) => setRoot(e.target.value)} className={`${inputClass} font-mono`} aria-invalid={rootProblems.length > 0} />
      </Field>

      <div className="grid grid-cols-2 gap-5">
        <Field label="Viewer protocol policy" htmlFor="cf-vpp">
          <select id="cf-vpp" name="viewerProtocolPolicy" defaultValue="redirect-to-https" className={inputClass}>
            {VIEWER_PROTOCOL_POLICIES.map((v) => <option key={v} value={v}>{VIEWER_PROTOCOL_LABELS[v]}</option>)}
          </select>
        </Field>
        <Field label="Price class" htmlFor="cf-price">
          <select id="cf-price" name="priceClass" defaultValue="PriceClass_100" className={inputClass}>
            {PRICE_CLASSES.map((v) => <option key={v} value={v}>{PRICE_CLASS_LABELS[v]}</option>)}
          </select>
        </Field>
      </div>

      <fieldset className="space-y-3">
        <legend className="mb-1.5 text-sm font-medium text-zinc-800 dark:text-zinc-200">AWS WAF</legend>
        {([
          ['off', 'Off', 'No web ACL. The security check will ask you to confirm this choice.'],
          ['existing', 'Use an existing web ACL', p.webAcls ? `${p.webAcls.length} web ACL${p.webAcls.length === 1 ? '' : 's'} with scope CLOUDFRONT.` : 'Berth could not list web ACLs (it needs wafv2:ListWebACLs).'],
          ['create', 'Create one with core protections', 'AWS managed rules: common exploits, known bad inputs, IP reputation. About $5 a month plus $1 per rule group and requests.'],
        ] as const).map(([v, title, about]) => (
          <label key={v} className="flex items-start gap-3 text-sm">
            <input type="radio" name="waf" value={v} checked={waf === v} onChange={() => setWaf(v)} disabled={v === 'existing' && !p.webAcls?.length} className="mt-0.5 size-4 accent-brand-600" />
            <span>
              <span className="font-medium">{title}</span>
              <span className="block text-zinc-500 dark:text-zinc-400">{about}</span>
            </span>
          </label>
        ))}
        {waf === 'existing' && p.webAcls?.length ? (
          <select name="webAclArn" aria-label="Web ACL" className={`${inputClass} ml-7 max-w-md`} defaultValue={p.webAcls[0]!.arn}>
            {p.webAcls.map((a) => <option key={a.arn} value={a.arn}>{a.name}</option>)}
          </select>
        ) : null}
        {fe?.webAclArn ? <p className="text-sm text-red-600 dark:text-red-400">{fe.webAclArn[0]}</p> : null}
      </fieldset>

      <Field label="Comment" htmlFor="cf-comment" errors={fe?.comment} hint="Shown in the distribution list. Up to 128 characters.">
        <input id="cf-comment" name="comment" maxLength={128} className={inputClass} placeholder="Marketing site" />
      </Field>

      <fieldset className="space-y-2">
        <legend className="mb-1.5 text-sm font-medium text-zinc-800 dark:text-zinc-200">Tags</legend>
        {tags.map((t, i) => (
          <div key={i} className="flex gap-2">
            <input aria-label={`Tag ${i + 1} key`} placeholder="Key" value={t.key} onChange={(e) => setTags(tags.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} className={`${inputBase} w-56`} />
            <input aria-label={`Tag ${i + 1} value`} placeholder="Value" value={t.value} onChange={(e) => setTags(tags.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))} className={`${inputBase} w-72`} />
            <Button type="button" size="sm" variant="ghost" onClick={() => setTags(tags.filter((_, j) => j !== i))}>Remove</Button>
          </div>
        ))}
        <Button type="button" size="sm" variant="secondary" onClick={() => setTags([...tags, { key: '', value: '' }])} disabled={tags.length >= 50}>Add tag</Button>
        {Object.entries(fe ?? {})
          .filter(([k]) => k.startsWith('tags'))
          .flatMap(([k, msgs]) => msgs.map((m) => `${/^tags\.(\d+)/.test(k) ? `Tag ${Number(/^tags\.(\d+)/.exec(k)![1]) + 1}: ` : ''}${m}`))
          .map((m) => <p key={m} className="text-sm text-red-600 dark:text-red-400">{m}</p>)}
      </fieldset>

      {p.bucket ? (
        <section aria-labelledby="policy-diff-title" className="space-y-2">
          <h3 id="policy-diff-title" className="text-sm font-medium">Bucket policy of {p.bucket}, after this change</h3>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            Berth adds the green lines (with the new distribution’s real ARN) and keeps the rest. Block Public Access is turned fully on.
          </p>
          {preview ? (
            <pre className="max-h-80 overflow-auto rounded-lg border border-zinc-200 bg-zinc-50 py-2 font-mono text-xs leading-5 dark:border-zinc-800 dark:bg-zinc-950" data-testid="policy-diff">
              {preview.map((l, i) =>
                l.kind === 'skip' ? (
                  <div key={i} className="px-3 text-zinc-400 italic dark:text-zinc-500">  ⋯ {l.count} unchanged line{l.count === 1 ? '' : 's'}</div>
                ) : (
                <div key={i} className={l.kind === 'add' ? 'bg-emerald-100/70 px-3 text-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-200' : l.kind === 'remove' ? 'bg-red-100/70 px-3 text-red-900 line-through dark:bg-red-950/60 dark:text-red-200' : 'px-3 text-zinc-600 dark:text-zinc-400'}>
                  {l.kind === 'add' ? '+ ' : l.kind === 'remove' ? '- ' : '  '}{l.text}
                </div>
                ),
              )}
            </pre>
          ) : choosing ? (
            <p className="text-sm text-zinc-500">Reading the bucket’s policy…</p>
          ) : (
            <Alert tone="warning">The bucket’s current policy could not be read or parsed; Berth will merge into it when you create.</Alert>
          )}
        </section>
      ) : null}

      <Outcome state={state} />
      <Button type="submit" disabled={pending || !p.bucket || rootProblems.length > 0 || choosing}>{pending ? 'Creating…' : 'Create distribution'}</Button>
    </form>
  );
}
