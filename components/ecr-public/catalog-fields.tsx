'use client';

import { Field, inputClass } from '@/components/ui/field';
import type { CatalogData } from '@/lib/ecr-public/repositories';
import { CATALOG_LIMITS, GALLERY_ARCHITECTURES, GALLERY_OPERATING_SYSTEMS } from '@/lib/validation/ecr-public-rules';

const textareaClass = `${inputClass} h-auto py-2 font-mono`;
const n = (v: number) => v.toLocaleString('en-US');

/**
 * The catalog data's fields, shared by the create and edit forms. Uncontrolled
 * with defaults: useFormAction keeps what the person typed after a refusal.
 * The architecture and OS choices are the Gallery's, plus any other value the
 * repository already has, so saving never drops one silently.
 */
export function CatalogFields({ initial, errors }: { initial?: Partial<CatalogData>; errors?: Record<string, string[]> }) {
  const architectures = [...new Set([...GALLERY_ARCHITECTURES, ...(initial?.architectures ?? [])])];
  const systems = [...new Set([...GALLERY_OPERATING_SYSTEMS, ...(initial?.operatingSystems ?? [])])];
  return (
    <>
      <Field label="Description" htmlFor="catalog-description" errors={errors?.description} hint={`One line shown in search results and on the repository’s page; up to ${n(CATALOG_LIMITS.description)} characters.`}>
        <input id="catalog-description" name="description" defaultValue={initial?.description ?? ''} className={inputClass} autoComplete="off" />
      </Field>
      <Checkboxes legend="Operating systems" name="operatingSystems" options={systems} checked={initial?.operatingSystems ?? []} errors={errors?.operatingSystems} />
      <Checkboxes legend="Architectures" name="architectures" options={architectures} checked={initial?.architectures ?? []} errors={errors?.architectures} />
      <Field label="About" htmlFor="catalog-about" errors={errors?.aboutText} hint={`Markdown: what the images are and how they are made; up to ${n(CATALOG_LIMITS.aboutText)} characters.`}>
        <textarea id="catalog-about" name="aboutText" rows={5} defaultValue={initial?.aboutText ?? ''} className={textareaClass} spellCheck />
      </Field>
      <Field label="Usage" htmlFor="catalog-usage" errors={errors?.usageText} hint={`Markdown: how to run them; up to ${n(CATALOG_LIMITS.usageText)} characters.`}>
        <textarea id="catalog-usage" name="usageText" rows={5} defaultValue={initial?.usageText ?? ''} className={textareaClass} spellCheck />
      </Field>
    </>
  );
}

function Checkboxes({ legend, name, options, checked, errors }: { legend: string; name: string; options: string[]; checked: string[]; errors?: string[] }) {
  return (
    <fieldset>
      <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">{legend}</legend>
      <div className="mt-1.5 flex flex-wrap gap-x-5 gap-y-2">
        {options.map((v) => (
          <label key={v} className="flex items-center gap-2 text-sm">
            <input type="checkbox" name={name} value={v} defaultChecked={checked.includes(v)} className="size-4 accent-brand-600" />
            {v}
          </label>
        ))}
      </div>
      <div aria-live="polite">{errors?.map((e) => <p key={e} className="text-sm text-red-600 dark:text-red-400">{e}</p>)}</div>
    </fieldset>
  );
}
