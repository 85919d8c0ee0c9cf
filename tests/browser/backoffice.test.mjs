// Ward's back office in Debian's Chromium, without JavaScript: an analyst
// signs in with TOTP, finds a new report, reveals its blurred image, asks
// the reporter a question; the reporter answers on the follow-up page; a
// supervisor (closing is a supervisor's decision) closes the case. axe-core
// checks every back-office page. Run by .ci/run; needs WARD_BIN.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  axeViolations, checkAxeRuns, launchBrowser, signIn as signInToBackOffice, squaresPng, startWard,
  startWardNotSetUp, totpCode, totpSecretIn, watchOrigins,
} from './support.mjs';

let ward;
let browser;
let base;
const people = {};

before(async () => {
  ward = await startWard();
  base = ward.base;
  people.admin = { email: 'admin@example.org', password: 'a browser test password', secret: ward.adminSecret };
  for (const role of ['analyst', 'supervisor']) {
    const email = `${role}@example.org`;
    const password = `${role} browser password`;
    const out = ward.run(['user', 'add', '--email', email, '--role', role], `${password}\n`);
    people[role] = { email, password, secret: totpSecretIn(out) };
    // Access is approved explicitly, for the fingerprint of the member's key.
    const shown = ward.run(['user', 'grant', '--admin-email', 'admin@example.org', '--email', email]);
    const fingerprint = shown.match(/key: ([0-9a-f ]+)\n/)[1];
    ward.run(
      ['user', 'grant', '--admin-email', 'admin@example.org', '--email', email, '--fingerprint', fingerprint],
      'a browser test password\n',
    );
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  ward?.stop();
});

/** Signs a member in through the form. */
const signIn = (page, who) => signInToBackOffice(page, base, who);

/** A report with a synthetic image, through the intake API; returns its receipt code. */
async function reportWithImage() {
  const form = new FormData();
  form.append('report', JSON.stringify({
    category: 'travel-tourism',
    country: 'TH',
    language: 'en',
    answers: { description: 'A man with two children at the pool bar, late at night.', place_type: 'hotel' },
  }));
  form.append('file', new Blob([squaresPng(160, 120)], { type: 'image/png' }), 'pool.png');
  const r = await fetch(`${base}/api/v1/reports`, { method: 'POST', body: form });
  const body = await r.text();
  assert.equal(r.status, 201, body);
  return JSON.parse(body).receipt;
}

test('an analyst takes a case from the inbox to its close, with the reporter', async () => {
  const receipt = await reportWithImage();

  // The analyst, without JavaScript.
  const analystContext = await browser.newContext({ javaScriptEnabled: false });
  const analyst = await analystContext.newPage();
  const foreign = watchOrigins(analyst, base);
  await signIn(analyst, people.analyst);
  const row = analyst.locator('tr.unread', { hasText: 'New' }).first();
  assert.match(await row.textContent(), /Thailand/);
  await row.locator('a').first().click();
  assert.match(await analyst.textContent('main'), /A man with two children at the pool bar/);

  // The image: a blurred preview until the analyst chooses to see it.
  const preview = analyst.locator('img.preview');
  assert.equal(await preview.count(), 1);
  assert.ok(await preview.evaluate((img) => img.complete && img.naturalWidth > 0), 'the preview loads');
  assert.equal(await analyst.locator('img.revealed').count(), 0);
  await analyst.click('button:has-text("Show the image")');
  const revealed = analyst.locator('img.revealed');
  await revealed.waitFor();
  assert.equal(await revealed.evaluate((img) => img.naturalWidth), 160);

  // A question to the reporter.
  await analyst.fill('#message-text', 'Which floor was the room on?');
  await analyst.click('button:has-text("Send to the reporter")');
  assert.match(await analyst.textContent('main'), /The message was sent to the reporter/);
  assert.match(await analyst.textContent('.case-status'), /Waiting for the reporter/);

  // The reporter reads it with the receipt code and answers.
  const reporterContext = await browser.newContext({ bypassCSP: true });
  const reporter = await reporterContext.newPage();
  await reporter.goto(`${base}/follow-up?lang=en`);
  await reporter.fill('#receipt', receipt);
  await reporter.click('button[value=view]');
  assert.match(await reporter.textContent('main'), /Which floor was the room on\?/);
  assert.deepEqual(await axeViolations(reporter, 'follow-up with a message from the hotline'), []);
  await reporter.fill('#message-text', 'The third floor, room 312.');
  await reporter.click('button[value=send]');
  assert.match(await reporter.textContent('main'), /Your information was sent/);

  // The analyst sees the answer; the case is back in assessment.
  await analyst.reload();
  assert.match(await analyst.textContent('main'), /The third floor, room 312\./);
  assert.match(await analyst.textContent('.case-status'), /In assessment/);
  const caseUrl = analyst.url().split('?')[0];

  // An analyst cannot close a case; a supervisor closes it with a reason.
  assert.equal(await analyst.locator('button:has-text("Close the case")').count(), 0);
  const supervisorContext = await browser.newContext({ javaScriptEnabled: false });
  const supervisor = await supervisorContext.newPage();
  watchOrigins(supervisor, base, foreign);
  await signIn(supervisor, people.supervisor);
  await supervisor.goto(caseUrl);
  await supervisor.selectOption('#reason', 'forwarded-to-authority');
  await supervisor.click('button:has-text("Close the case")');
  assert.match(await supervisor.textContent('main'), /The case was closed/);
  assert.match(await supervisor.textContent('.case-status'), /Closed/);

  // The reporter sees the outcome in plain words.
  await reporter.goto(`${base}/follow-up?lang=en`);
  await reporter.fill('#receipt', receipt);
  await reporter.click('button[value=view]');
  assert.match(await reporter.textContent('.status'), /We have finished handling your report/);

  assert.deepEqual(foreign, [], 'no request to another origin');
  await analystContext.close();
  await supervisorContext.close();
  await reporterContext.close();
});

test('axe-core finds no WCAG violation on any back-office page', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const foreign = watchOrigins(page, base);
  await checkAxeRuns(page);
  const problems = [];
  const check = async (label) => problems.push(...(await axeViolations(page, label)));

  await page.goto(`${base}/admin/sign-in?lang=en`);
  await check('sign-in');
  await page.click('form[action="/admin/sign-in"] button[type=submit]');
  await check('sign-in with an error');

  await reportWithImage();
  await signIn(page, people.admin);
  await check('inbox');
  await page.goto(`${base}/admin?lang=en&status=nothing`);
  await check('inbox with an error');
  await page.goto(`${base}/admin?lang=en&sort=priority`);
  await page.locator('table.inbox a').first().click();
  await check('case');
  await page.click('button:has-text("Show the image")');
  await page.locator('img.revealed').waitFor();
  await check('case with a revealed image');
  await page.click('button:has-text("Save the assessment")');
  await page.check('#urgent');
  await page.click('button:has-text("Save the assessment")');
  await check('case with an error');
  for (const path of ['/admin/users', '/admin/audit', '/admin/account']) {
    await page.goto(`${base}${path}?lang=en`);
    await check(path);
  }
  await page.goto(`${base}/admin/users?lang=en`);
  await page.fill('#invite-email', 'invited@example.org');
  await page.click('button:has-text("Send the invitation")');
  await check('users with a new link');
  const link = (await page.textContent('#new-link')).trim();
  for (const lang of ['en', 'fr', 'de', 'lb', 'pt']) {
    await page.goto(`${base}/admin?lang=${lang}`);
    await check(`inbox (${lang})`);
  }

  // The page behind the invitation link, as the invited person sees it.
  const visitor = await browser.newContext({ bypassCSP: true });
  const invited = await visitor.newPage();
  watchOrigins(invited, base, foreign);
  await invited.goto(`${link}?lang=en`);
  problems.push(...(await axeViolations(invited, 'invitation')));
  await invited.click('button:has-text("Create my account")');
  problems.push(...(await axeViolations(invited, 'invitation with errors')));
  await invited.fill('#password-input', 'an invited member password');
  await invited.fill('#password-confirm-input', 'an invited member password');
  await invited.fill('#totp-code-input', totpCode(await invited.inputValue('input[name=totp_secret]')));
  await invited.click('button:has-text("Create my account")');
  assert.equal(await invited.locator('input[name=totp_secret]').count(), 0, await invited.textContent('main'));
  problems.push(...(await axeViolations(invited, 'invitation accepted, with recovery codes')));
  await visitor.close();

  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, [], 'no request to another origin');
  await context.close();
});

/** The kind of a back-office address: its path with identifiers and country codes as `{id}`. */
function kindOf(url) {
  return new URL(url).pathname
    .split('/')
    .map((part) => (/^[0-9a-f-]{16,}$/i.test(part) || /^[A-Z]{2}$/.test(part) ? '{id}' : part))
    .join('/');
}

/**
 * Visits every back-office page that a link reaches from `start`, once per
 * kind of address (files and downloads aside), and calls `visit` on each;
 * returns the kinds visited. A page added later is checked without a test naming it.
 */
async function crawl(page, start, visit) {
  const skip = (path) => /\/(attachments|download|sign-out|openpgp-key)(\/|$)/.test(path) || path.endsWith('.csv');
  const queue = [start];
  const seen = new Set();
  while (queue.length > 0 && seen.size < 60) {
    const url = queue.shift();
    if (seen.has(kindOf(url))) continue;
    seen.add(kindOf(url));
    const answer = await page.goto(url);
    assert.equal(answer.status(), 200, url);
    await visit(page, kindOf(url));
    for (const href of await page.$$eval('a[href]', (links) => links.map((a) => a.href))) {
      const next = new URL(href);
      if (next.origin !== new URL(start).origin || !next.pathname.startsWith('/admin') || skip(next.pathname)) continue;
      next.hash = '';
      next.search = '?lang=en';
      if (!seen.has(kindOf(next.href))) queue.push(next.href);
    }
  }
  return [...seen];
}

test('axe-core finds no WCAG violation on every page a link reaches, the error pages, enrolment, recovery codes and setup', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const foreign = watchOrigins(page, base);
  await checkAxeRuns(page);
  const problems = [];
  const check = async (p, label) => problems.push(...(await axeViolations(p, label)));

  // Every page reached by following links from the inbox, as an administrator.
  await reportWithImage();
  await signIn(page, people.admin);
  const kinds = await crawl(page, `${base}/admin?lang=en`, check);
  for (const kind of ['/admin', '/admin/reports/{id}', '/admin/users', '/admin/audit', '/admin/account',
    '/admin/network', '/admin/recipients']) {
    assert.ok(kinds.includes(kind), `the crawl reached ${kind}: ${kinds}`);
  }

  // Error pages: an unknown case, an unknown page, a form without the session's token, a page of another role.
  await page.goto(`${base}/admin/reports/00000000-0000-4000-8000-000000000000?lang=en`);
  await check(page, 'unknown case (404)');
  await page.goto(`${base}/admin/no-such-page?lang=en`);
  await check(page, 'unknown page (404)');
  await page.goto(`${base}/admin/account?lang=en`);
  await page.evaluate(() => {
    for (const token of document.querySelectorAll('input[name=csrf]')) token.value = 'forged';
  });
  await page.fill('#renew-password', people.admin.password);
  await page.click('form[action="/admin/account/recovery-codes"] button[type=submit]');
  assert.match(await page.title(), /./);
  await check(page, 'form without the token');
  const analystContext = await browser.newContext({ bypassCSP: true });
  const analyst = await analystContext.newPage();
  watchOrigins(analyst, base, foreign);
  await signIn(analyst, people.analyst);
  const refused = await analyst.goto(`${base}/admin/users?lang=en`);
  assert.equal(refused.status(), 403);
  await check(analyst, 'a page of another role (403)');
  await analystContext.close();

  // New recovery codes: a wrong password first.
  await page.goto(`${base}/admin/account?lang=en`);
  await page.fill('#renew-password', 'not the password');
  await page.click('form[action="/admin/account/recovery-codes"] button[type=submit]');
  await check(page, 'recovery codes with an error');
  await page.fill('#renew-password', people.admin.password);
  await page.click('form[action="/admin/account/recovery-codes"] button[type=submit]');
  await check(page, 'new recovery codes');

  // A member whose second factor was reset enrols again; a password reset link.
  const email = 'enrolee@example.org';
  const password = 'enrolee browser password';
  ward.run(['user', 'add', '--email', email, '--role', 'analyst'], `${password}\n`);
  await page.goto(`${base}/admin/users?lang=en`);
  await page.locator('form[action$="/reset-second-factor"] button', { hasText: email }).click();
  await check(page, 'users after a second-factor reset');
  const memberContext = await browser.newContext({ bypassCSP: true });
  const member = await memberContext.newPage();
  watchOrigins(member, base, foreign);
  await member.goto(`${base}/admin/sign-in?lang=en`);
  await member.fill('#email', email);
  await member.fill('#password', password);
  await member.click('form[action="/admin/sign-in"] button[type=submit]');
  assert.equal(new URL(member.url()).pathname, '/admin/enrol', await member.textContent('main'));
  await check(member, 'enrolment');
  await member.click('form[action="/admin/enrol"] button[type=submit]');
  await check(member, 'enrolment with an error');
  await member.fill('#totp-code-input', totpCode(await member.inputValue('input[name=totp_secret]')));
  await member.click('form[action="/admin/enrol"] button[type=submit]');
  assert.equal(await member.locator('input[name=totp_secret]').count(), 0, await member.textContent('main'));
  await check(member, 'enrolment done, with recovery codes');
  await page.goto(`${base}/admin/users?lang=en`);
  await page.locator('form[action$="/reset-password"] button', { hasText: email }).click();
  const link = (await page.textContent('#new-link')).trim();
  await member.goto(`${link}?lang=en`);
  await check(member, 'password reset link');
  await memberContext.close();

  // Setup, on an instance of its own that is not set up yet.
  const fresh = await startWardNotSetUp();
  try {
    const setupContext = await browser.newContext({ bypassCSP: true });
    const setup = await setupContext.newPage();
    watchOrigins(setup, fresh.base, foreign);
    await setup.goto(`${fresh.setupLink}?lang=en`);
    await check(setup, 'setup');
    await setup.click('form button[type=submit]');
    await check(setup, 'setup with errors');
    await setup.fill('#organisation', 'Hotline Setup');
    await setup.fill('#country', 'LU');
    await setup.fill('#email', 'first@example.org');
    await setup.fill('#password', 'a first administrator password');
    await setup.fill('#password_confirm', 'a first administrator password');
    await setup.fill('#totp_code', totpCode(await setup.inputValue('input[name=totp_secret]')));
    await setup.click('form button[type=submit]');
    assert.equal(await setup.locator('input[name=totp_secret]').count(), 0, await setup.textContent('main'));
    await check(setup, 'setup done, with the recovery key and codes');
    await setupContext.close();
  } finally {
    fresh.stop();
  }

  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, [], 'no request to another origin');
  await context.close();
});
