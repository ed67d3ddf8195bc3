import type { Page, PageScreenshotOptions } from '@playwright/test';

// Where screenshots go. A normal test run keeps them under test-results/ so
// `npm test` leaves the work tree clean; `npm run docs:screenshots` sets
// BERTH_DOCS_SHOTS=1 and they land in docs/screenshots for the README and guide.
export const SHOTS = process.env.BERTH_DOCS_SHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots';

// Anything that says "this part of the page is not there yet": the skeletons
// (components/ui/skeleton.tsx marks every one), loading regions, and regions a
// component flags as busy while it works.
const UNFINISHED = '[data-skeleton], [aria-busy="true"], [role="status"][aria-label="Loading"]';

/**
 * Saves a screenshot of `page` as SHOTS/<name>.png, but only of a finished
 * page: it waits for every skeleton and busy region to go and refuses (the
 * test fails) if one is still visible after `waitMs`. A docs picture of a
 * loading skeleton can then no longer be saved by accident.
 */
export async function shot(
  page: Page,
  name: string,
  options: Omit<PageScreenshotOptions, 'path'> & { waitMs?: number; dir?: string } = {},
): Promise<void> {
  const { waitMs = 20_000, dir = SHOTS, ...screenshot } = options;
  const unfinished = page.locator(UNFINISHED).locator('visible=true');
  const deadline = Date.now() + waitMs;
  while ((await unfinished.count()) > 0) {
    if (Date.now() > deadline) {
      const what = await unfinished.evaluateAll((els) =>
        els.slice(0, 3).map((el) => el.getAttribute('aria-label') || el.getAttribute('data-skeleton') || el.tagName.toLowerCase()),
      );
      throw new Error(`Refusing to save screenshot "${name}": the page still shows ${what.join(', ')} after ${waitMs} ms.`);
    }
    await page.waitForTimeout(100);
  }
  // Fonts and images finish before the picture is taken. A full-page picture
  // starts from the top, or the sticky top bar is drawn where the page was
  // scrolled to; transitions are finished, or a colour scheme switched just
  // before shows half of each colour.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  if (screenshot.fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ animations: 'disabled', ...screenshot, path: `${dir}/${name}.png` });
}

/** The same picture in light and dark: saves <name>-light and <name>-dark, and leaves the page light. */
export async function shotLightAndDark(page: Page, name: string, options: Parameters<typeof shot>[2] = {}): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await shot(page, `${name}-light`, options);
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, `${name}-dark`, options);
  await page.emulateMedia({ colorScheme: 'light' });
}
