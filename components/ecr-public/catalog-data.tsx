import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import type { CatalogData } from '@/lib/ecr-public/repositories';

/**
 * A public repository's catalog data, as the Gallery would show it. The about
 * and usage texts are Markdown written by whoever has write access; they are
 * shown as plain text (whitespace kept), never as HTML, so nothing in them can
 * run or restyle the page.
 */
export function CatalogDataView({ catalog }: { catalog: CatalogData }) {
  const empty = !catalog.description && !catalog.aboutText && !catalog.usageText && !catalog.architectures.length && !catalog.operatingSystems.length;
  return (
    <Card data-testid="catalog-data">
      <CardHeader title="Catalog data" description="What the Amazon ECR Public Gallery shows about this repository." />
      <CardBody className="space-y-4">
        {empty ? <p className="text-sm text-zinc-500 dark:text-zinc-400">No catalog data yet.</p> : null}
        {catalog.description ? <p className="text-sm" data-testid="catalog-description">{catalog.description}</p> : null}
        {catalog.architectures.length || catalog.operatingSystems.length ? (
          <div className="flex flex-wrap items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400" data-testid="catalog-platforms">
            {catalog.operatingSystems.length ? <span>Operating systems</span> : null}
            {catalog.operatingSystems.map((v) => <Badge key={`os-${v}`} tone="brand">{v}</Badge>)}
            {catalog.architectures.length ? <span className={catalog.operatingSystems.length ? 'ml-3' : ''}>Architectures</span> : null}
            {catalog.architectures.map((v) => <Badge key={`arch-${v}`}>{v}</Badge>)}
          </div>
        ) : null}
        {catalog.aboutText ? <CatalogText title="About" text={catalog.aboutText} testId="catalog-about" /> : null}
        {catalog.usageText ? <CatalogText title="Usage" text={catalog.usageText} testId="catalog-usage" /> : null}
        {catalog.marketplaceCertified ? <Badge tone="green">AWS Marketplace certified</Badge> : null}
      </CardBody>
    </Card>
  );
}

function CatalogText({ title, text, testId }: { title: string; text: string; testId: string }) {
  return (
    <section>
      <h3 className="mb-1 text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{title}</h3>
      <pre data-testid={testId} className="max-h-80 overflow-auto rounded-lg bg-zinc-50 p-3 font-sans text-sm break-words whitespace-pre-wrap dark:bg-zinc-950">{text}</pre>
    </section>
  );
}
