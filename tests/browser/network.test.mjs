// Referrals in Debian's Chromium, without JavaScript: an administrator adds
// a police unit as a recipient and invites one of its officers to the
// authority portal; the officer sets up the account; the case is referred;
// the officer reads it in the portal, acknowledges it and records the
// outcome, which the case then shows. axe-core checks every page on the way.
// Run by .ci/run; needs WARD_BIN.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  axeViolations, checkAxeRuns, launchBrowser, signIn, startWard, totpCode, watchOrigins,
} from './support.mjs';

let ward;
let browser;
let base;
let admin;

before(async () => {
  ward = await startWard();
  base = ward.base;
  admin = { email: 'admin@example.org', password: 'a browser test password', secret: ward.adminSecret };
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  ward?.stop();
});

test('a case reaches a police unit through the authority portal, and every page passes axe', async () => {
  const r = await fetch(`${base}/api/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      category: 'travel-tourism',
      country: 'TH',
      language: 'en',
      answers: { description: 'A man offered money to two children at the beach bar.', place_type: 'beach' },
      contact: { email: 'reporter@example.org', may_contact: true },
    }),
  });
  assert.equal(r.status, 201, await r.text());

  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const foreign = watchOrigins(page, base);
  await checkAxeRuns(page);
  const problems = [];
  const check = async (p, label) => problems.push(...(await axeViolations(p, label)));

  // The administrator adds the recipient (an empty form first).
  await signIn(page, base, admin);
  await page.goto(`${base}/admin/recipients?lang=en`);
  await check(page, 'recipients');
  await page.click('form[action="/admin/recipients"] button[type=submit]');
  await check(page, 'recipients with errors');
  await page.fill('#recipient-name', 'Police Grand-Ducale');
  await page.selectOption('#recipient-country', 'LU');
  await page.selectOption('#recipient-kind', 'police');
  await page.click('form[action="/admin/recipients"] button[type=submit]');
  assert.match(await page.textContent('main'), /The recipient is saved/);
  await check(page, 'recipient');
  await page.selectOption('#rule-country', 'TH');
  await page.click('button:has-text("Suggest for these cases")');
  await page.fill('#invite-email', 'officer@police.example');
  await page.click('button:has-text("Invite to the portal")');
  await check(page, 'recipient with a portal invitation');
  const link = (await page.textContent('#new-link')).trim();

  // The network and the countries directory.
  for (const path of ['/admin/network', '/admin/network/countries', '/admin/network/countries/TH']) {
    await page.goto(`${base}${path}?lang=en`);
    await check(page, path);
  }
  await page.fill('#mechanism-url-input', 'not an address');
  await page.click('button:has-text("Save")');
  await check(page, 'country with errors');

  // The officer sets up the account.
  const officerContext = await browser.newContext({ bypassCSP: true });
  const officer = await officerContext.newPage();
  watchOrigins(officer, base, foreign);
  await officer.goto(`${link}?lang=en`);
  await check(officer, 'portal invitation');
  const password = 'an officer password';
  await officer.fill('#password-input', password);
  await officer.fill('#password-confirm-input', password);
  const secret = await officer.inputValue('input[name=totp_secret]');
  await officer.fill('#totp-code-input', totpCode(secret));
  await officer.click('button:has-text("Create my account")');
  assert.match(await officer.textContent('main'), /Your account is ready/);
  await check(officer, 'portal account ready');

  // The case is referred to the suggested recipient.
  await page.goto(`${base}/admin?lang=en`);
  await page.locator('table.inbox a').first().click();
  const caseUrl = page.url();
  assert.match(await page.textContent('#referrals ~ form, main'), /Suggested/);
  await check(page, 'case with the referral form');
  await page.click('button:has-text("Prepare the referral")');
  await check(page, 'case with a referral error');
  await page.check('input[name=recipients]');
  await page.check('#include-contact');
  await page.fill('#referral-summary', 'Seen twice at the beach bar; the hotel staff confirm.');
  await page.click('button:has-text("Prepare the referral")');
  assert.match(await page.textContent('main'), /The referral is prepared/);
  await check(page, 'case with a referral');

  // The officer reads it in the portal (the next code: the last one was used), acknowledges, answers.
  await officer.goto(`${base}/portal/sign-in?lang=en`);
  await check(officer, 'portal sign-in');
  await officer.fill('#email', 'officer@police.example');
  await officer.fill('#password', password);
  await officer.fill('#code', totpCode(secret, Date.now() + 30_000));
  await officer.click('form[action="/portal/sign-in"] button[type=submit]');
  assert.equal(new URL(officer.url()).pathname, '/portal', await officer.textContent('main'));
  await check(officer, 'portal referrals');
  await officer.locator('table.inbox a').first().click();
  assert.match(await officer.textContent('main'), /Seen twice at the beach bar/);
  assert.match(await officer.textContent('main'), /reporter@example\.org/);
  await check(officer, 'portal referral');
  await officer.click('button:has-text("Acknowledge receipt")');
  await officer.selectOption('#outcome-choice', 'investigation-opened');
  await officer.fill('#outcome-note', 'Case 2026/481 opened.');
  await officer.click('button:has-text("Save the outcome")');
  assert.match(await officer.textContent('main'), /The outcome is recorded/);
  await check(officer, 'portal referral with its outcome');
  for (const lang of ['fr', 'de', 'lb', 'pt']) {
    await officer.goto(`${base}/portal?lang=${lang}`);
    await check(officer, `portal referrals (${lang})`);
  }
  await officerContext.close();

  // The case shows it, and the inbox finds it by its referral's state.
  await page.goto(caseUrl);
  const main = await page.textContent('main');
  assert.match(main, /Investigation opened/);
  assert.match(main, /Case 2026\/481 opened\./);
  await page.goto(`${base}/admin?lang=en&referral=outcome`);
  assert.equal(await page.locator('table.inbox tbody tr').count(), 1);
  await check(page, 'inbox filtered by referral');

  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, [], 'no request to another origin');
  await context.close();
});
