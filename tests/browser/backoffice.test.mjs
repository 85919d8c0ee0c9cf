// Ward's back office in Debian's Chromium, without JavaScript: an analyst
// signs in with TOTP, finds a new report, reveals its blurred image, asks
// the reporter a question; the reporter answers on the follow-up page; a
// supervisor (closing is a supervisor's decision) closes the case. axe-core
// checks every back-office page. Run by .ci/run; needs WARD_BIN.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  axeViolations, checkAxeRuns, launchBrowser, signIn as signInToBackOffice, squaresPng, startWard,
  totpSecretIn, watchOrigins,
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
  const reporterContext = await browser.newContext();
  const reporter = await reporterContext.newPage();
  await reporter.goto(`${base}/follow-up?lang=en`);
  await reporter.fill('#receipt', receipt);
  await reporter.click('button[value=view]');
  assert.match(await reporter.textContent('main'), /Which floor was the room on\?/);
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
  foreign.push(...watchOrigins(supervisor, base));
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
  foreign.push(...watchOrigins(invited, base));
  await invited.goto(`${link}?lang=en`);
  problems.push(...(await axeViolations(invited, 'invitation')));
  await invited.click('button:has-text("Create my account")');
  problems.push(...(await axeViolations(invited, 'invitation with errors')));
  await visitor.close();

  assert.deepEqual(problems, []);
  assert.deepEqual(foreign, [], 'no request to another origin');
  await context.close();
});
