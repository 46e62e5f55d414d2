// SPDX-License-Identifier: MIT
// admin.mjs - the newsroom's journeys in real headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core), each user in their own browser
// context: a reporter writes and submits with an image, an editor returns it,
// the reporter fixes it, the editor approves, a chief editor schedules it and
// it appears on the site at its time; a revision is restored; a stale save is
// refused with the other person's changes; Top News ordered by drag.  Then
// every payload of $XSS goes through every article field and is shown by the
// editor, the preview and the reader's page with no script executed.
// Screenshots of each admin screen go to $SHOTS/admin-*.png.
// Usage: node admin.mjs BASE_URL SHOTS_DIR (passwords in PW_REPORTER, PW_EDITOR,
// PW_CHIEF, PW_ADMIN).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require(path.resolve(process.env.MH_SRC || '.', 'node_modules/playwright-core'));
const [base, shots] = process.argv.slice(2);
const problems = [];
let expectedStatus = [];
const expect = (cond, what) => { if (!cond) throw new Error(what); };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// one browser context per user: its own cookie
async function user(login, password) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('console', m => {
    // a refusal page (a stale save answers 409) is logged by Chromium as a failed load
    // (the reader's pages name no icon, so Chromium asks for /favicon.ico: not ours to judge)
    if (m.type() === 'error' && !expectedStatus.some(st => m.text().includes(`status of ${st}`)) &&
        !(m.location().url || '').endsWith('/favicon.ico'))
      problems.push(`${login} console: ${m.text()}`);
  });
  page.on('pageerror', e => problems.push(`${login} page error: ${e.message}`));
  page.on('dialog', d => { problems.push(`${login} dialog: ${d.message()}`); d.dismiss(); });
  page.on('request', r => {
    const u = new URL(r.url());
    if (u.hostname !== '127.0.0.1' && u.protocol !== 'data:') problems.push(`left 127.0.0.1: ${r.url()}`);
  });
  await page.goto(base + '/admin/signin');
  if (login === 'reporter') await shot(page, 'signin');
  await page.fill('#login', login);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(base + '/admin/'), page.click('form button[type=submit]')]);
  return page;
}
async function shot(page, name) {
  await page.screenshot({ path: path.join(shots, `admin-${name}.png`), fullPage: false });
}
async function step(name, fn) {
  try { await fn(); console.log(`ok - ${name}`); } catch (e) { problems.push(`${name}: ${e.message}`); console.log(`not ok - ${name}: ${e.message}`); }
}
const statusOf = async page => (await page.locator('.edit-head .badge').first().textContent()).trim();
async function workflow(page, verb, fill) {
  const form = page.locator(`form.wf-${verb}`);
  if (fill) await fill(form);
  await Promise.all([page.waitForURL(/done=1/), form.locator('button').click()]);
}

const reporter = await user('reporter', process.env.PW_REPORTER);
const editor = await user('editor', process.env.PW_EDITOR);
const chief = await user('chief', process.env.PW_CHIEF);
let id, firstTitle = 'Tidal sensors map the estuary', url;

await step('reporter writes a draft with an image and submits it', async () => {
  await shot(reporter, 'dashboard');
  await reporter.goto(base + '/admin/articles/new');
  await reporter.selectOption('#f-section', 'english/news');
  await reporter.fill('#f-title', firstTitle);
  await reporter.fill('#f-abstract', 'A field team logs salinity every ten minutes.');
  await reporter.fill('#f-keywords', 'estuary, sensors');
  await reporter.fill('#f-body', 'The team anchored twelve buoys along the channel.\n\nEach one reports **salinity** and depth.');
  await reporter.click('details.picker summary');
  await reporter.locator('button.pick').first().click();
  const row = reporter.locator('#image-list .image-row').last();
  await row.locator('input[name="image_caption"]').fill('A buoy at low tide');
  await row.locator('input[name="image_alt"]').fill('A yellow buoy on mud');
  await row.locator('button[data-insert]').click();
  await reporter.locator('#live-preview figure figcaption', { hasText: 'A buoy at low tide' }).waitFor({ timeout: 5000 });
  await reporter.locator('#live-preview strong', { hasText: 'salinity' }).waitFor();
  await shot(reporter, 'new');
  await Promise.all([reporter.waitForURL(/\/admin\/articles\/\d+\?saved=1/), reporter.click('#editor button.primary')]);
  id = Number(new URL(reporter.url()).pathname.split('/').pop());
  expect(await statusOf(reporter) === 'Draft', 'a new article is a draft');
  expect(await reporter.locator('#image-list .image-row').count() === 1, 'the image was kept');
  await shot(reporter, 'edit');
  await workflow(reporter, 'submit');
  expect(await statusOf(reporter) === 'Submitted', `status after submit: ${await statusOf(reporter)}`);
});

await step('the editor returns it with a comment', async () => {
  await editor.goto(`${base}/admin/articles?status=submitted`);
  await shot(editor, 'articles');
  await editor.goto(`${base}/admin/articles/${id}`);
  await workflow(editor, 'return', f => f.locator('input[name="comment"]').fill('Name the river, please'));
  expect(await statusOf(editor) === 'Draft', 'returned to draft');
});

await step('the reporter fixes it and submits again; the editor approves', async () => {
  await reporter.goto(`${base}/admin/articles/${id}`);
  firstTitle = 'Tidal sensors map the Lumen estuary';
  await reporter.fill('#f-title', firstTitle);
  await reporter.fill('#f-note', 'named the river');
  await Promise.all([reporter.waitForURL(/saved=1/), reporter.click('#editor button.primary')]);
  await workflow(reporter, 'submit');
  await editor.goto(`${base}/admin/articles/${id}`);
  await workflow(editor, 'approve');
  expect(await statusOf(editor) === 'Approved', 'approved');
});

await step('a chief editor schedules it and it appears on the site at its time', async () => {
  await chief.goto(`${base}/admin/articles/${id}`);
  const at = new Date(Date.now() + 8000);
  // the form reads times in the newsroom's zone, which its label names: "Publish at (Asia/Shanghai)"
  const label = await chief.locator('form.wf-schedule label').first().innerText();
  const tz = label.match(/\(([^)]+)\)/)[1];
  expect(tz === 'Asia/Shanghai', `the schedule form names the newsroom's zone (${label})`);
  const value = new Intl.DateTimeFormat('sv-SE', {
    timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).format(at).replace(' ', 'T'); // "2026-11-30T01:40:12", wall time there, with seconds
  await chief.locator('form.wf-schedule input[name="at"]').evaluate((el, v) => { el.value = v; }, value);
  await workflow(chief, 'schedule');
  expect(await statusOf(chief) === 'Scheduled', 'scheduled');
  const channel = async () => (await (await chief.request.get(base + '/english/news/')).text()).includes(`content_${id}.html`);
  expect(!(await channel()), 'on the site before its time');
  let seen = 0;
  for (let i = 0; i < 40 && !seen; i++) {
    await new Promise(r => setTimeout(r, 500));
    if (await channel()) seen = Date.now();
  }
  expect(seen, 'not on the site 20 s after its time');
  expect(seen >= at.getTime() - 1000, `on the site ${at.getTime() - seen} ms early`);
  expect(seen - at.getTime() < 5000, `on the site ${seen - at.getTime()} ms late`);
  const res = await chief.goto(`${base}/english/2000-01/01/content_${id}.html`);
  expect(res.ok(), `article page ${res.status()}`);
  url = chief.url();
  expect((await chief.locator('h1').textContent()).includes('Lumen estuary'), 'the fixed title on the site');
  expect(await chief.locator('figure figcaption', { hasText: 'A buoy at low tide' }).count() >= 1, 'the image caption on the site');
});

await step('a revision is restored', async () => {
  await chief.goto(`${base}/admin/articles/${id}/revisions`);
  await shot(chief, 'revisions');
  await Promise.all([chief.waitForURL(/\/diff\?/), chief.click('form.card button.primary')]);
  expect(await chief.locator('table.diff').count() >= 1, 'a side-by-side diff');
  await shot(chief, 'diff');
  await chief.goto(`${base}/admin/articles/${id}/revisions`);
  await Promise.all([chief.waitForURL(/saved=1/), chief.click('button[form="restore-1"]')]);
  expect(await chief.inputValue('#f-title') === 'Tidal sensors map the estuary', 'revision 1 is back');
  await chief.click('form[action$="/unlock"] button');
});

await step('a stale save is refused with the other person\'s changes', async () => {
  await reporter.goto(base + '/admin/articles/new');
  await reporter.selectOption('#f-section', 'english/news');
  await reporter.fill('#f-title', 'Night ferries return to the harbour');
  await reporter.fill('#f-body', 'The first crossing leaves at 23:10.');
  await Promise.all([reporter.waitForURL(/saved=1/), reporter.click('#editor button.primary')]);
  const other = new URL(reporter.url()).pathname;
  await reporter.click('form[action$="/unlock"] button');
  await editor.goto(base + other);
  await chief.goto(base + other);
  await chief.locator('#lock-banner', { hasText: 'Being edited by' }).waitFor();
  await shot(chief, 'lock');
  await editor.fill('#f-title', 'Night ferries return to Lumen harbour');
  await Promise.all([editor.waitForURL(/saved=1/), editor.click('#editor button.primary')]);
  await editor.click('form[action$="/unlock"] button');
  await chief.fill('#f-title', 'Night ferries are back');
  expectedStatus = [409];
  await chief.click('#editor button.primary');
  await chief.locator('.stale').waitFor();
  expectedStatus = [];
  expect(await chief.inputValue('#f-title') === 'Night ferries are back', 'the chief\'s text is kept');
  expect((await chief.locator('.stale').textContent()).includes('Night ferries return to Lumen harbour'), 'the editor\'s change is shown');
  await shot(chief, 'stale');
});

const admin = await user('admin', process.env.PW_ADMIN);
await step('Top News: add two, reorder by drag, save', async () => {
  await chief.goto(base + '/admin/topnews?edition=english');
  const have = await chief.locator('.slot input[name="article_id"]').evaluateAll(is => is.map(i => i.value));
  const ids = (await chief.locator('#candidates option').evaluateAll(os => os.map(o => o.value)))
    .filter(v => !have.includes(v));
  for (const a of ids.slice(0, 2)) {
    await chief.fill('input[name="add"]', a);
    await Promise.all([chief.waitForURL(/saved=1/), chief.click('#topnews button.primary')]);
  }
  const before = await chief.locator('.slot input[name="article_id"]').evaluateAll(is => is.map(i => i.value));
  expect(before.length >= 2, `${before.length} slots`);
  await chief.locator('.slot').nth(1).dragTo(chief.locator('.slot').nth(0), { targetPosition: { x: 20, y: 5 } });
  const moved = await chief.locator('.slot input[name="article_id"]').evaluateAll(is => is.map(i => i.value));
  expect(moved[0] === before[1], `drag did not move: ${before} -> ${moved}`);
  await Promise.all([chief.waitForURL(/saved=1/), chief.click('#topnews button.primary')]);
  const after = await chief.locator('.slot input[name="article_id"]').evaluateAll(is => is.map(i => i.value));
  expect(after[0] === before[1] && after[1] === before[0], `saved order ${after}`);
  await shot(chief, 'topnews');
  for (const [p, name] of [['/admin/media', 'media'], ['/admin/links', 'links'], ['/admin/channels', 'channels'],
                           ['/admin/editions', 'editions'], ['/admin/users', 'users'], ['/admin/audit', 'audit']]) {
    const res = await admin.goto(base + p);
    expect(res.status() === 200, `${p}: ${res.status()}`);
    await shot(admin, name);
  }
  const pre = await admin.goto(`${base}/admin/articles/${id}/preview`);
  expect(pre.status() === 200, 'preview');
  await shot(admin, 'preview');
});

// ---- hostile input in every field ------------------------------------------------
await step('every xss-public.json payload through every article field and an image\'s texts: no script runs', async () => {
  const payloads = JSON.parse(fs.readFileSync(process.env.XSS, 'utf8'));
  await admin.goto(base + '/admin/');
  const csrf = await admin.locator('body').getAttribute('data-csrf');
  const post = async (p, form) => {
    const res = await admin.request.post(base + p, { form: { csrf, ...form }, maxRedirects: 0 });
    return res;
  };
  const check = async what => {
    const bad = await admin.evaluate(() => {
      const out = [];
      for (const s of document.querySelectorAll('script')) {
        if (s.type === 'application/ld+json') continue;
        if (!s.src || !/^\/(admin\/)?static\//.test(new URL(s.src).pathname)) out.push('script: ' + s.outerHTML.slice(0, 80));
      }
      for (const el of document.querySelectorAll('*')) {
        for (const a of el.attributes) {
          if (/^on/i.test(a.name)) out.push(`${el.tagName} ${a.name}`);
          if (/^(src|href|action|formaction|background|dynsrc|lowsrc|data)$/i.test(a.name) &&
              /^\s*(javascript|vbscript|livescript|mocha|data:text)/i.test(a.value)) out.push(`${el.tagName} ${a.name}=${a.value}`);
          if (a.name === 'style' && /expression|javascript|binding/i.test(a.value)) out.push(`${el.tagName} style`);
        }
      }
      for (const el of document.querySelectorAll('iframe, frame, frameset, object, embed, layer, bgsound, base, style, meta[http-equiv]'))
        out.push('element: ' + el.tagName);
      for (const l of document.querySelectorAll('link[rel~="stylesheet"]'))
        if (new URL(l.href).host !== location.host) out.push('stylesheet ' + l.href);
      return out;
    });
    if (bad.length) problems.push(`${what}: ${bad.join('; ')}`);
  };
  let n = 0;
  for (const [i, x] of payloads.entries()) {
    const res = await post('/admin/articles/new', {
      section: 'english/news', title: `XSS ${i} ${x}`, subtitle: x, kicker: x, abstract: x,
      authors: x, editor: x, source: x, keywords: x, body: `Para ${i}\n\n${x}\n\n${x} tail`,
      body_format: i % 2 ? 'html' : 'markdown', note: x,
    });
    if (res.status() !== 303) { problems.push(`payload ${i} not accepted: ${res.status()}`); continue; }
    const aid = res.headers()['location'].match(/articles\/(\d+)/)[1];
    for (const to of ['submitted', 'approved', 'published'])
      expect((await post(`/admin/articles/${aid}/workflow`, { to, comment: x })).status() === 303, `payload ${i}: ${to}`);
    await admin.goto(`${base}/admin/articles/${aid}`);
    await admin.waitForTimeout(150); // the live preview
    await check(`editor of payload ${i}`);
    await admin.goto(`${base}/admin/articles/${aid}/preview`);
    await check(`preview of payload ${i}`);
    const site = await admin.goto(`${base}/english/2000-01/01/content_${aid}.html`);
    expect(site.ok(), `payload ${i} on the site: ${site.status()}`);
    await check(`site page of payload ${i}`);
    n++;
  }
  // and through an image's texts, shown on its page and in the library
  for (const [i, x] of payloads.entries()) {
    const res = await post('/admin/media/1', { caption: x, credit: x, alt: x, focal_x: '0.5', focal_y: '0.5' });
    if (res.status() !== 303) { problems.push(`image payload ${i} not accepted: ${res.status()}`); continue; }
    await admin.goto(`${base}/admin/media/1`);
    await check(`image page of payload ${i}`);
  }
  await admin.goto(`${base}/admin/media`);
  await check('the media library');
  await admin.goto(`${base}/admin/articles?q=XSS`);
  await check('the list');
  await admin.goto(`${base}/admin/audit`);
  await check('the audit log');
  expect(n === payloads.length, `${n} of ${payloads.length} payloads went through`);
});

await browser.close();
if (problems.length) {
  console.error(problems.map(p => `FAIL: ${p}`).join('\n'));
  process.exit(1);
}
console.log('ok - all newsroom journeys');
