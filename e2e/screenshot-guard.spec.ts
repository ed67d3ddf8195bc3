import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { shot } from './support/shots';

// The docs screenshots go through shot(), which must refuse a page that still
// shows a skeleton or a busy region (a README picture once showed a loading
// skeleton instead of the security check).
const dir = 'test-results/screenshots/guard';

test('the screenshot helper refuses a page that still shows a skeleton', async ({ page }) => {
  await page.setContent('<main><div data-skeleton style="width:200px;height:20px;background:#ddd"></div></main>');
  await expect(shot(page, 'skeleton', { dir, waitMs: 500 })).rejects.toThrow(/Refusing to save screenshot "skeleton"/);
});

test('the screenshot helper refuses a busy region and a loading status', async ({ page }) => {
  await page.setContent('<section aria-busy="true">Saving…</section>');
  await expect(shot(page, 'busy', { dir, waitMs: 500 })).rejects.toThrow(/still shows/);
  await page.setContent('<div role="status" aria-label="Loading">…</div>');
  await expect(shot(page, 'loading', { dir, waitMs: 500 })).rejects.toThrow(/still shows Loading/);
});

test('the screenshot helper waits for content that arrives late, then saves it', async ({ page }) => {
  await page.setContent(`
    <main id="m"><div data-skeleton style="width:200px;height:20px"></div></main>
    <script>setTimeout(() => { document.getElementById('m').textContent = 'Loaded'; }, 400);</script>`);
  await shot(page, 'late', { dir, waitMs: 5_000 });
  await expect(page.locator('main')).toHaveText('Loaded');
});

test('every spec takes its pictures through shot(), so none can skip the check', () => {
  const direct = fs
    .readdirSync('e2e')
    .filter((f) => f.endsWith('.ts'))
    .filter((f) => /\bpage\.screenshot\(/.test(fs.readFileSync(`e2e/${f}`, 'utf8')));
  expect(direct).toEqual([]);
});
