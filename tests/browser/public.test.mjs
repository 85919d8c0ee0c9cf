// Ward's public pages in Debian's Chromium: complete reports without and with
// JavaScript, the follow-up, axe-core on every page of every questionnaire in
// every language (error pages included), and no request to any other origin.
// Run by .ci/run; needs WARD_BIN (the ward binary).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { AXE_TAGS, checkAxeRuns, launchBrowser, startWard, watchOrigins as watch } from './support.mjs';

const CATEGORIES = ['travel-tourism', 'abuse-material', 'prostitution', 'trafficking', 'other'];
const LANGUAGES = ['en', 'fr', 'de', 'lb', 'pt'];

let ward;
let browser;
let base;

before(async () => {
  ward = await startWard();
  base = ward.base;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  ward?.stop();
});

const watchOrigins = (page) => watch(page, base);

async function step(page) {
  return page.locator('input[name=step]').first().getAttribute('value');
}

/** Fills in a report of `category` through the form; calls `visit` on each page. */
async function report(page, category, lang, visit = async () => {}) {
  await page.goto(`${base}/report?lang=${lang}`);
  await visit(page);
  await page.check(`input[name=category][value="${category}"]`);
  await page.click('button[value=continue]');
  await visit(page);
  await page.selectOption('select[name=country]', 'LU');
  await page.click('button[value=continue]');
  for (let i = 0; i < 20; i++) {
    await visit(page);
    const current = await step(page);
    if (current === 'contact') {
      await page.check('#contact-anonymous');
    } else if (current === 'check') {
      await page.click('button[value=submit]');
      break;
    } else {
      if (await page.locator('textarea[name="q.description"]').count()) {
        await page.fill('textarea[name="q.description"]', 'Seen near the station, late in the evening.');
      }
      if (await page.locator('textarea[name="q.urls"]').count()) {
        await page.fill('textarea[name="q.urls"]', 'https://example.org/a-page');
      }
    }
    await page.click('form:not(.back-form) button[value=continue]');
  }
  await visit(page);
  const code = (await page.textContent('.receipt-code')).replace(/\s/g, '');
  assert.match(code, /^\d{24}$/);
  return code;
}

test('a complete report in every category with JavaScript disabled', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const foreign = watchOrigins(page);
  for (const category of CATEGORIES) {
    await report(page, category, 'en');
  }
  assert.deepEqual(foreign, [], 'no request to another origin');
  await context.close();
});

test('a report with JavaScript enabled, then its follow-up', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const foreign = watchOrigins(page);
  const code = await report(page, 'travel-tourism', 'en');
  await page.goto(`${base}/follow-up?lang=en`);
  await page.fill('#receipt', code);
  await page.click('button[value=view]');
  assert.match(await page.textContent('main'), /We have received your report/);
  await page.fill('#message-text', 'One more detail: a red car.');
  await page.click('button[value=send]');
  const main = await page.textContent('main');
  assert.match(main, /Your information was sent/);
  assert.match(main, /One more detail: a red car\./);
  assert.deepEqual(foreign, [], 'no request to another origin');
  await context.close();
});

test('axe-core finds no WCAG violation on any public page in any language', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const foreign = watchOrigins(page);
  // A control page with known faults proves that axe really runs.
  await checkAxeRuns(page);
  const problems = [];
  const seen = new Set();
  // One check per page of each questionnaire and language: the category is
  // part of the key, as questionnaires share step names but not questions.
  const check = async (p, category = '') => {
    const stepInput = p.locator('input[name=step]');
    const stepValue = (await stepInput.count()) ? await stepInput.first().getAttribute('value') : '';
    const key = `${new URL(p.url()).pathname}|${category}|${stepValue}|${await p.locator('html').getAttribute('lang')}`;
    if (seen.has(key)) return;
    seen.add(key);
    const results = await new AxeBuilder({ page: p }).withTags(AXE_TAGS).analyze();
    for (const v of results.violations) {
      problems.push(`${key}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
  };
  for (const lang of LANGUAGES) {
    for (const path of ['/', '/follow-up', '/about/what-is-csec', '/about/signs', '/about/what-to-do', '/no-such-page']) {
      await page.goto(`${base}${path}?lang=${lang}`);
      await check(page);
    }
    // The travel and tourism questionnaire in every language, and each of
    // the others in one language (all five are checked, in five languages,
    // within the time CI allows).
    const others = CATEGORIES.filter((c) => c !== 'travel-tourism');
    const other = others[LANGUAGES.indexOf(lang) % others.length];
    let code;
    for (const category of ['travel-tourism', other]) {
      code = await report(page, category, lang, (p) => check(p, category));
    }
    // Pages with an error summary: the form, and the follow-up with a mistyped code.
    await page.goto(`${base}/report?lang=${lang}`);
    await page.click('button[value=continue]');
    await check(page, 'error');
    await page.goto(`${base}/follow-up?lang=${lang}`);
    await page.fill('#receipt', '1234');
    await page.click('button[value=view]');
    await check(page, 'error');
    // The follow-up of a report, then after the reporter sent information.
    await page.goto(`${base}/follow-up?lang=${lang}`);
    await page.fill('#receipt', code);
    await page.click('button[value=view]');
    await check(page, 'report');
    await page.fill('#message-text', 'One more detail.');
    await page.click('button[value=send]');
    await check(page, 'sent');
  }
  assert.deepEqual(problems, []);
  // Five languages, each with two questionnaires' pages, receipts and error pages.
  assert.ok(seen.size > 90, `checked ${seen.size} pages`);
  assert.deepEqual(foreign, [], 'no request to another origin');
  await context.close();
});

test('Back and reload at every step of the form load the page again, with JavaScript on and off', async () => {
  for (const javaScriptEnabled of [false, true]) {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    const foreign = watchOrigins(page);
    const seen = [];
    /** The page is one of the form's, not the browser's error page; reloading it changes nothing. */
    const isFormPage = async (expected) => {
      assert.ok(page.url().startsWith(base), `${page.url()} (JavaScript ${javaScriptEnabled})`);
      assert.equal(await step(page), expected, `${page.url()} (JavaScript ${javaScriptEnabled})`);
      const response = await page.reload();
      assert.equal(response.status(), 200, `reload of ${page.url()}`);
      assert.equal(await step(page), expected, `reload of ${page.url()}`);
    };
    await page.goto(`${base}/report?lang=en`);
    await page.check('input[name=category][value="other"]');
    await page.click('button[value=continue]');
    await isFormPage('country');
    await page.selectOption('select[name=country]', 'LU');
    await page.click('button[value=continue]');
    await isFormPage('page:what-happened');
    await page.fill('textarea[name="q.description"]', 'Seen near the station, late in the evening.');
    await page.click('form:not(.back-form) button[value=continue]');
    seen.push(await step(page));

    // The browser's Back, twice, then Forward: each page as it was left.
    await page.goBack();
    await isFormPage('page:what-happened');
    assert.match(await page.inputValue('textarea[name="q.description"]'), /Seen near the station/);
    await page.goBack();
    await isFormPage('country');
    assert.equal(await page.inputValue('select[name=country]'), 'LU');
    await page.goForward();
    await page.goForward();
    await isFormPage(seen[0]);

    // On to the check page and the receipt.
    for (let i = 0; i < 10 && (await step(page)) !== 'contact'; i++) {
      await page.click('form:not(.back-form) button[value=continue]');
    }
    await page.check('#contact-anonymous');
    await page.click('form:not(.back-form) button[value=continue]');
    await isFormPage('check');
    // A double click on Send: whichever answer the browser keeps shows the code.
    await page.dblclick('button[value=submit]');
    await page.waitForSelector('.receipt-code');
    assert.match((await page.textContent('.receipt-code')).replace(/\s/g, ''), /^\d{24}$/);

    // Back from the receipt: an empty form that says why, not the answers.
    await page.goBack();
    assert.equal(await step(page), 'category');
    assert.match(await page.textContent('main'), /Your earlier answers are no longer here/);
    assert.doesNotMatch(await page.content(), /Seen near the station/);
    assert.deepEqual(foreign, [], 'no request to another origin');
    await context.close();
  }
});

test('on a phone the start button shows without scrolling, in every language', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  const page = await context.newPage();
  for (const lang of LANGUAGES) {
    await page.goto(`${base}/?lang=${lang}`);
    const box = await page.locator('a.start-button').boundingBox();
    assert.ok(box && box.y + box.height <= 844, `${lang}: the start button ends at ${box && box.y + box.height}px`);
  }
  await context.close();
});
