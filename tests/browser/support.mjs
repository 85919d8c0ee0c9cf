// Shared by the browser tests: a Ward of their own on a free port, Debian's
// Chromium, TOTP codes, synthetic images, axe-core.

import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const WARD = process.env.WARD_BIN || join(process.env.CARGO_TARGET_DIR || '../../target', 'debug', 'ward');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** The port a starting `ward serve` says it listens on (it binds port 0). */
function listeningPort(server) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error('Ward did not say where it listens')), 60_000);
    server.stdout.setEncoding('utf8');
    server.stdout.on('data', (chunk) => {
      seen += chunk;
      const found = seen.match(/Ward is listening on 127\.0\.0\.1:(\d+)/);
      if (found) {
        clearTimeout(timer);
        resolve(Number(found[1]));
      }
    });
    server.on('exit', (code) => reject(new Error(`Ward exited with ${code}`)));
  });
}

async function waitUntilUp(url) {
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Ward did not start at ${url}`);
}

/** A data directory and the environment of a Ward of the tests' own. */
function wardEnvironment() {
  const dataDir = mkdtempSync(join(tmpdir(), 'ward-browser-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WARD_')));
  Object.assign(env, {
    WARD_DATA_DIR: dataDir,
    WARD_LISTEN: '127.0.0.1:0',
    WARD_LOG_LEVEL: 'warn',
    WARD_RATE_LIMITS: 'off',
  });
  return { dataDir, env };
}

/** Starts `ward serve`; returns its address, what it printed on standard error so far, and `stop`. */
async function serveWard({ dataDir, env }) {
  const server = spawn(WARD, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const waiting = [];
  server.stderr.setEncoding('utf8');
  server.stderr.on('data', (chunk) => {
    stderr += chunk;
    process.stderr.write(chunk);
    for (const wake of waiting.splice(0)) wake();
  });
  /** Waits, at most a minute, until standard error matches `pattern`; returns the match. */
  const waitForStderr = async (pattern) => {
    const deadline = Date.now() + 60_000;
    while (!pattern.test(stderr)) {
      const left = deadline - Date.now();
      assert.ok(left > 0, `Ward never printed ${pattern}: ${stderr}`);
      await new Promise((wake) => {
        waiting.push(wake);
        setTimeout(wake, left);
      });
    }
    return stderr.match(pattern);
  };
  const port = await listeningPort(server);
  const base = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${base}/healthz`);
  return {
    base,
    waitForStderr,
    stop() {
      server.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Sets up an instance with `ward init` (administrator admin@example.org) and
 * starts it. Returns its address, a way to run other commands, and `stop`.
 */
export async function startWard() {
  const environment = wardEnvironment();
  const run = (args, input = '') => {
    const out = spawnSync(WARD, args, { input, env: environment.env, encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    return out.stdout;
  };
  const init = run(
    ['init', '--organisation', 'Hotline Test', '--country', 'LU', '--admin-email', 'admin@example.org'],
    'a browser test password\n',
  );
  const served = await serveWard(environment);
  return { base: served.base, run, adminSecret: totpSecretIn(init), stop: served.stop };
}

/** Starts an instance that is not set up yet; returns its address, its one-time setup link, and `stop`. */
export async function startWardNotSetUp() {
  const served = await serveWard(wardEnvironment());
  // The link is printed after the listening line.
  const link = await served.waitForStderr(/http:\/\/\S+\/setup\/\S+/);
  return { base: served.base, setupLink: link[0], stop: served.stop };
}

/** The secret of the first `otpauth://` URI in a command's output. */
export function totpSecretIn(output) {
  const match = output.match(/otpauth:\/\/\S*[?&]secret=([A-Z2-7]+)/);
  assert.ok(match, `an otpauth URI in: ${output}`);
  return match[1];
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Records every request that leaves Ward's origin (into `foreign`, when given, as it happens). */
export function watchOrigins(page, base, foreign = []) {
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(base) && !url.startsWith('data:')) foreign.push(url);
  });
  return foreign;
}

/** The current RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 secret. */
export function totpCode(secret, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1000000;
  return value.toString().padStart(6, '0');
}

/** A synthetic PNG of coloured squares (no real picture ever). */
export function squaresPng(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, tail]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * (width * 3 + 1) + 1 + x * 3;
      const even = (Math.floor(x / 10) + Math.floor(y / 10)) % 2 === 0;
      raw.set(even ? [210, 50, 40] : [40, 110, 200], i);
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Checks that axe-core really runs, with a control page of known faults. */
export async function checkAxeRuns(page) {
  await page.setContent('<!doctype html><html><body><img src="data:,"><input></body></html>');
  const control = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  assert.ok(control.violations.some((v) => v.id === 'image-alt'), 'axe reports a known fault');
}

/** axe-core's WCAG violations on the page, as lines. */
export async function axeViolations(page, label) {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return results.violations.map(
    (v) => `${label}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** The code each secret last signed in with: Ward takes a code only once. */
const usedCodes = new Map();

/** The authenticator code of now, or of the next period if this one's code was used already. */
export async function freshCode(secret) {
  let code = totpCode(secret);
  while (usedCodes.get(secret) === code) {
    await new Promise((wake) => setTimeout(wake, 30_000 - (Date.now() % 30_000) + 50));
    code = totpCode(secret);
  }
  usedCodes.set(secret, code);
  return code;
}

/** Signs a member in to the back office through the form, with a code not used before. */
export async function signIn(page, base, who) {
  await page.goto(`${base}/admin/sign-in?lang=en`);
  await page.fill('#email', who.email);
  await page.fill('#password', who.password);
  await page.fill('#code', await freshCode(who.secret));
  await page.click('form[action="/admin/sign-in"] button[type=submit]');
  assert.equal(new URL(page.url()).pathname, '/admin', await page.textContent('main'));
}
