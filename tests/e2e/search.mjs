// SPDX-License-Identifier: MIT
// search.mjs - a reader searching, in real headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core): the search box of the front page ->
// results with highlighted words -> the next page -> newest first through the
// filters -> an article from the results -> nothing found, with help -> the
// Chinese edition.  Fails on any console error, page error, failed request, or
// request that leaves 127.0.0.1.  Usage: node search.mjs BASE_URL SHOTS_DIR
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
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
page.on('console', m => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
page.on('pageerror', e => problems.push(`page error: ${e.message}`));
page.on('response', r => { if (r.status() >= 400) problems.push(`status ${r.status()}: ${r.url()}`); });
page.on('dialog', d => { problems.push(`a dialog opened: ${d.message()}`); d.dismiss(); });
page.on('requestfailed', r => {
  if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`failed request: ${r.url()} ${r.failure()?.errorText}`);
});
page.on('request', r => {
  const u = new URL(r.url());
  if (u.hostname !== '127.0.0.1' && u.protocol !== 'data:') problems.push(`left 127.0.0.1: ${r.url()}`);
});

let passed = 0;
async function step(name, fn) {
  try { await fn(); passed++; } catch (e) { problems.push(`${name}: ${e.message}`); }
  await page.screenshot({ path: path.join(shots, `search-${name}.png`), fullPage: false });
  console.log(`ok - ${name}: ${page.url()}`);
}
const expect = (cond, what) => { if (!cond) throw new Error(what); };
const results = () => page.locator('ol.results > li');

await step('01-search-box', async () => {
  await page.goto(base + '/english/');
  await page.locator('header form[role="search"] input[name="q"]').fill('the');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/english\/search\?q=the$/);
  expect(await page.locator('h1').count() === 1, 'one h1');
  expect(await results().count() === 20, `20 results, got ${await results().count()}`);
  expect(await page.locator('ol.results mark').count() > 0, 'highlighted words');
  expect(/results/.test(await page.locator('.scount').textContent()), 'a count');
  expect(await page.locator('header input[name="q"]').inputValue() === 'the', 'the box keeps the query');
});
await step('02-next-page', async () => {
  const first = await results().first().locator('h2 a').getAttribute('href');
  await page.locator('nav.pager a[rel="next"]').click();
  await page.waitForURL(/page=2/);
  expect(await results().count() > 0, 'results on page 2');
  expect(await results().first().locator('h2 a').getAttribute('href') !== first, 'other results');
});
await step('03-newest-first', async () => {
  await page.locator('form.sform input[name="q"]').fill('robot');
  await page.locator('select[name="sort"]').selectOption('date');
  await page.locator('form.sform button[type="submit"]').click();
  await page.waitForURL(/sort=date/);
  const times = await page.locator('ol.results time').evaluateAll(ts => ts.map(t => t.getAttribute('datetime')));
  expect(times.length > 1, `several robot results, got ${times.length}`);
  for (let i = 1; i < times.length; i++) expect(times[i - 1] >= times[i], `order ${times[i - 1]} < ${times[i]}`);
  expect(await page.locator('select[name="sort"]').inputValue() === 'date', 'the form keeps the order');
});
await step('04-open-result', async () => {
  const title = (await results().first().locator('h2 a').textContent()).trim();
  await results().first().locator('h2 a').click();
  await page.waitForLoadState();
  expect(/\/content_\d+\.html$/.test(page.url()), `article at ${page.url()}`);
  expect((await page.locator('main h1').first().textContent()).includes(title), 'the same article');
});
await step('05-nothing-found', async () => {
  await page.goto(base + '/english/search?q=' + encodeURIComponent('zqxjv "NEAR(" title:* ^'));
  expect(await results().count() === 0, 'no results');
  expect(await page.locator('.noresults li').count() >= 2, 'help');
});
await step('06-hostile', async () => {
  await page.goto(base + '/english/search?q=' + encodeURIComponent('<img src=x onerror=alert(1)> robot'));
  expect(await page.locator('img[src="x"]').count() === 0, 'the query is text');
  expect((await page.title()).includes('<img'), 'the title shows it as text');
});
await step('07-chinese', async () => {
  await page.goto(base + '/zh/');
  await page.locator('header input[name="q"]').fill('研究');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/zh\/search\?q=/);
  expect(await results().count() > 0, 'Chinese results');
  expect((await page.locator('ol.results mark').first().textContent()) === '研究', 'highlighted');
  expect(/条结果/.test(await page.locator('.scount').textContent()), 'count in Chinese');
});
await browser.close();
// Chromium asks for /favicon.ico, which the site does not have: its 404 shows in the
// console only (real resources are checked by the response listener above)
const unexpected = problems.filter(p => !(p.startsWith('console:') && p.includes('404')));
if (unexpected.length) {
  console.error(unexpected.join('\n'));
  process.exit(1);
}
console.log(`search walk: ${passed} passed, 0 failed`);
