import { escapeHtml } from '@/lib/ui/html';
import { formatBytes, formatDateTime } from '@/lib/ui/format';

// The object table's rows as one string of HTML, for its <tbody>.
//
// A folder page is up to 200 rows (a versioned one more cells a row), and as
// React elements each row cost the server about 60 µs to render to HTML: most
// of the page's CPU, on the page Berth serves most often. As a string the whole
// body is written out once, and the RSC payload carries only the rows' data
// (ObjectTable builds the same string in the browser). Nothing in a row holds
// React state: the table listens on the body for clicks (select, folder,
// download, restore) and keeps refusals in step itself, and its admin part
// the checkboxes and Restore buttons (components/s3/object-table.tsx,
// object-admin-impl.tsx).
//
// Every value from S3 (keys, version ids, storage classes) goes through
// escapeHtml; the rest is fixed text.

/**
 * One row as the page hands it over: only what the table shows or sends back.
 * Its name (the key after the folder's prefix) and its React key are derived
 * by the table, so 200 rows do not carry each key three times in the RSC payload.
 */
export interface Row {
  kind: 'folder' | 'object' | 'version';
  key: string;
  /** Folders: the link into them, with the page's other parameters. */
  href?: string;
  size?: number;
  lastModified?: string | null;
  storageClass?: string;
  versionId?: string;
  isLatest?: boolean;
  deleteMarker?: boolean;
}

/** One row as the table shows it: with its name, the key after the folder's prefix. */
export type RowView = Row & { name: string };

/** Classes whose objects S3 will not return until they are restored from the archive. */
export const ARCHIVED = ['GLACIER', 'DEEP_ARCHIVE'];

export const ARCHIVED_HINT =
  'Objects in Glacier Flexible Retrieval and Deep Archive must be restored (for example with aws s3api restore-object) before they can be downloaded.';

const FOLDER_ICON =
  '<svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path d="M2 5.5A1.5 1.5 0 0 1 3.5 4h4l1.5 2h7.5A1.5 1.5 0 0 1 18 7.5v7a1.5 1.5 0 0 1-1.5 1.5h-13A1.5 1.5 0 0 1 2 14.5v-9Z"></path></svg>';

/** The object route's address for a row's bytes (a version's, for a version). */
export function downloadHref(bucket: string, row: Pick<RowView, 'kind' | 'key' | 'versionId'>): string {
  const q = new URLSearchParams({ key: row.key });
  if (row.kind === 'version' && row.versionId) q.set('versionId', row.versionId);
  return `/s3/${bucket}/object?${q.toString()}`;
}

/** The accessible name of a row's checkbox. */
export function selectLabel(row: Pick<RowView, 'kind' | 'name' | 'versionId'>): string {
  return `Select ${row.name}${row.kind === 'version' ? ` version ${row.versionId}` : ''}`;
}

/**
 * The <tbody>'s inner HTML. Rows name themselves by their index on the page:
 * `data-select`, `data-folder`, `data-download` and `data-restore` carry it,
 * and the name cell is `data-name`, where a refused download's sentence goes.
 */
export function objectRowsHtml(rows: readonly RowView[], opts: { bucket: string; isAdmin: boolean; versions: boolean }): string {
  const e = escapeHtml;
  let out = '';
  rows.forEach((r, i) => {
    const folder = r.kind === 'folder';
    out += '<tr>';
    // Disabled until the admin part that acts on them has loaded (components/s3/object-admin-impl.tsx).
    if (opts.isAdmin) out += folder ? '<td></td>' : `<td><input type="checkbox" data-select="${i}" aria-label="${e(selectLabel(r))}" disabled></td>`;
    out += `<td class="max-w-md" data-name="${i}">`;
    out += folder ? `<a href="${e(r.href ?? '#')}" data-folder="${i}">${FOLDER_ICON}${e(r.name)}</a>` : `<span data-key="${r.deleteMarker ? 'gone' : ''}">${e(r.name)}</span>`;
    out += '</td>';
    if (opts.versions) {
      out += '<td data-ver="">';
      if (r.kind === 'version') {
        const id = r.versionId ?? '';
        out += `<span data-vid="" title="${e(id)}">${e(id.slice(0, 12))}</span>`;
        if (r.isLatest) out += '<span data-badge="latest">latest</span>';
        if (r.deleteMarker) out += '<span data-badge="marker">delete marker</span>';
      }
      out += '</td>';
    }
    out += `<td data-num="">${folder || r.deleteMarker ? '—' : e(formatBytes(r.size))}</td>`;
    out += `<td data-dim="">${folder ? '—' : e(formatDateTime(r.lastModified))}</td>`;
    out += `<td data-sc="">${folder ? '' : e(r.storageClass ?? '')}</td>`;
    out += '<td data-act="">';
    if (!folder && !r.deleteMarker) {
      if (ARCHIVED.includes(r.storageClass ?? '')) out += `<span data-archived="" title="${e(ARCHIVED_HINT)}">Archived</span>`;
      else {
        out += `<a href="${e(downloadHref(opts.bucket, r))}" data-download="${i}">Download</a>`;
        if (opts.isAdmin && r.kind === 'version' && !r.isLatest) {
          out += `<button type="button" data-restore="${i}" aria-label="${e(`Restore ${r.name} version ${r.versionId}`)}" disabled>Restore</button>`;
        }
      }
    }
    out += '</td></tr>';
  });
  return out;
}
