// SPDX-License-Identifier: MIT
// browse.mjs - a reader's walk through `masthead serve` in real headless Chromium
// (Debian's /usr/bin/chromium driven by playwright-core): front page -> channel ->
// its second page -> an article -> a related article -> the Chinese edition.
// Fails on any console error, page error, failed request, or request that leaves
// 127.0.0.1. Screenshots go to $SHOTS.  Usage: node browse.mjs BASE_URL SHOTS_DIR
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require(path.resolve(process.env.MH_SRC || '.', 'node_modules/playwright-core'));
const [base, shots] = process.argv.slice(2);
const problems = [];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: true });
const page = await context.newPage();
page.on('console', m => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
page.on('pageerror', e => problems.push(`page error: ${e.message}`));
// a navigation cancels the image loads of the page it leaves (ERR_ABORTED): not a fault
page.on('requestfailed', r => {
  if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`failed request: ${r.url()} ${r.failure()?.errorText}`);
});
page.on('request', r => {
  const u = new URL(r.url());
  if (u.hostname !== '127.0.0.1' && u.protocol !== 'data:') problems.push(`left 127.0.0.1: ${r.url()}`);
});

async function step(name, fn) {
  try { await fn(); } catch (e) { problems.push(`${name}: ${e.message}`); }
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: false });
  console.log(`ok - ${name}: ${page.url()}`);
}
const expect = (cond, what) => { if (!cond) throw new Error(what); };

await step('01-front', async () => {
  const res = await page.goto(base + '/');
  expect(res.ok(), `front page status ${res.status()}`);
  expect(new URL(page.url()).pathname === '/english/', `/ went to ${page.url()}`);
  expect(await page.locator('h1').count() === 1, 'one h1');
  expect(await page.locator('nav a[aria-current="page"]').count() >= 1, 'Home is marked current');
});
await step('02-channel', async () => {
  await page.locator('nav a', { hasText: 'News' }).first().click();
  await page.waitForLoadState();
  expect(new URL(page.url()).pathname === '/english/news/', `channel at ${page.url()}`);
  expect((await page.locator('h1').textContent()).includes('News'), 'channel heading');
});
await step('03-channel-page-2', async () => {
  await page.locator('a[href$="index_2.html"]').first().click();
  await page.waitForLoadState();
  expect(page.url().endsWith('/english/news/index_2.html'), `page 2 at ${page.url()}`);
});
let articleUrl;
await step('04-article', async () => {
  await page.locator('main a[href*="/content_"]').first().click();
  await page.waitForLoadState();
  articleUrl = page.url();
  expect(/\/english\/\d{4}-\d\d\/\d\d\/content_\d+\.html$/.test(articleUrl), `article at ${articleUrl}`);
  expect(await page.locator('article h1, main h1').count() >= 1, 'headline');
  expect(await page.locator('figure figcaption').count() >= 1, 'lead image caption');
  const img = page.locator('main img').first();
  expect(await img.evaluate(i => i.complete && i.naturalWidth > 0), 'lead image loaded');
});
await step('05-related', async () => {
  const related = page.locator('a[href*="/content_"]').filter({ hasNot: page.locator('img') });
  const n = await related.count();
  expect(n > 0, 'some article links on the article page');
  await related.nth(n - 1).click();
  await page.waitForLoadState();
  expect(page.url() !== articleUrl && page.url().includes('/content_'), `related at ${page.url()}`);
});
await step('06-chinese', async () => {
  await page.locator('a[href="/zh/"]').first().click();
  await page.waitForLoadState();
  expect(new URL(page.url()).pathname === '/zh/', `Chinese edition at ${page.url()}`);
  expect(await page.locator('html').getAttribute('lang') === 'zh-CN', 'lang zh-CN');
});
await step('07-not-found', async () => {
  const res = await page.goto(base + '/english/no-such-channel/');
  expect(res.status() === 404, `status ${res.status()}`);
  expect(await page.locator('nav').count() > 0, '404 in the site look');
});
// a 404 shows in the console as a failed resource load: that one is expected
const unexpected = problems.filter(p => !(p.includes('404') && p.includes('console')));
await browser.close();
if (unexpected.length) {
  console.error(unexpected.join('\n'));
  process.exit(1);
}
console.log('browser walk: 7 passed, 0 failed');
