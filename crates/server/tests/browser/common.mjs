// Helpers shared by the browser flows (playwright-core driving Debian's Chromium).

import { randomInt } from 'node:crypto';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

export const TIMEOUT_MS = 15_000;
export const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1280, height: 900 },
];
export const DEFAULT_VIEWPORT = VIEWPORTS[1];
export const SUBMIT = 'main form button[type=submit]';

/** A JSON call to the API (with a bearer token when given); fails on any answer but 2xx. */
export async function api(base, method, path, body, token) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A school signed up through the API (its owner `ownerEmail`), and its owner's API token. */
export async function signUpSchool(base, slug, ownerEmail, password) {
  await api(base, 'POST', '/api/v1/signup', {
    organization: { name: 'Алма Скул', kind: 'legal_entity', bin_iin: '123456789013', resident: true },
    owner: { full_name: 'Айгерим Сапарова', email: ownerEmail, phone: '+77011234567', password },
    slug,
    accept_offer: true,
  });
  const { token } = await api(base, 'POST', '/api/v1/auth/login', {
    email: ownerEmail,
    password,
    tenant: slug,
  });
  return token;
}

export function usage() {
  console.error(`usage: node ${path.basename(process.argv[1])} <base_url> <screenshot_dir> [...]`);
  process.exit(2);
}

export function log(line) {
  console.log(`[browser] ${line}`);
}

export function check(cond, message) {
  if (!cond) throw new Error(message);
}

/** Six random lowercase letters and digits. */
export function randomSuffix() {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 6; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

/** What the page says went wrong, to make a failure message useful. */
export async function pageProblems(page) {
  try {
    const texts = await page
      .locator('#form-error, .flash-error, .field-error')
      .allInnerTexts();
    const shown = texts.map((t) => t.trim()).filter(Boolean);
    return shown.length ? ` (page says: ${shown.join(' | ')})` : '';
  } catch {
    return '';
  }
}

export function pathOf(page) {
  return new URL(page.url()).pathname;
}

export async function expectPath(page, expected, what) {
  const actual = pathOf(page);
  if (actual !== expected) {
    throw new Error(
      `${what}: expected to be on ${expected}, but the browser is at ${page.url()}` +
        (await pageProblems(page)),
    );
  }
}

export function expectStatus(res, expected, what) {
  check(res, `${what}: no response`);
  check(
    res.status() === expected,
    `${what}: expected HTTP ${expected}, got ${res.status()} for ${res.url()}`,
  );
}

/** Clicks a submit button and waits for the page it leads to (after any redirects). */
export async function submit(page, selector) {
  const button = page.locator(selector);
  const count = await button.count();
  check(count === 1, `expected exactly one ${selector}, found ${count} on ${page.url()}`);
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  return res;
}

export async function goto(page, url, what, status = 200) {
  const res = await page.goto(url, { waitUntil: 'load' });
  expectStatus(res, status, what);
  return res;
}

/** Full-page screenshots at each width, then back to the default viewport; every page shot is
 * also audited for accessibility (see `audit`) and must not scroll sideways (see `fits`). */
export async function shoot(page, dir, name) {
  for (const vp of VIEWPORTS) {
    await page.setViewportSize(vp);
    await page.screenshot({ path: path.join(dir, `${name}-${vp.width}.png`), fullPage: true });
    await audit(page, `${name} at ${vp.width} px`);
    await fits(page, `${name} at ${vp.width} px`);
  }
  await page.setViewportSize(DEFAULT_VIEWPORT);
}

/** The page does not scroll sideways: the document is exactly as wide as the viewport
 * (issue 17, item 5). Names the widest elements that stick out when it does. */
export async function fits(page, what) {
  const found = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scroll = document.documentElement.scrollWidth;
    const out = [];
    if (scroll > width) {
      for (const e of document.querySelectorAll('body *')) {
        const r = e.getBoundingClientRect();
        if (r.right > width + 1 && out.length < 5) {
          out.push(`${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''} (${Math.round(r.right)} px)`);
        }
      }
    }
    return { width, scroll, out };
  });
  check(
    found.scroll <= found.width,
    `${what}, ${pathOf(page)}: the page is ${found.scroll} px wide in a ${found.width} px viewport: ${found.out.join(', ')}`,
  );
}

let axeSource;

/**
 * Runs axe-core (from npm) on the page against WCAG 2.1 A and AA and fails on every serious or
 * critical violation, naming the rule and the elements. The script is evaluated through the
 * DevTools protocol, so the page's Content-Security-Policy stays as it is.
 */
export async function audit(page, what) {
  if (!axeSource) {
    const require = createRequire(import.meta.url);
    axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  }
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.evaluate(axeSource);
  }
  const result = await page.evaluate(() =>
    window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }),
  );
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    const lines = bad.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ` +
        v.nodes
          .slice(0, 5)
          .map((n) => n.target.join(' '))
          .join('; '),
    );
    throw new Error(`accessibility (${what}, ${pathOf(page)}):\n  ${lines.join('\n  ')}`);
  }
}

/**
 * The first link containing `needle` in the mail to `to`, from the test API. Polls briefly:
 * the API delivers what is due before answering, but give a slow outbox a few seconds.
 * The link is moved onto `base` (path and query kept) in case the server's public URL names
 * the host differently (localhost vs 127.0.0.1), so the browser's cookies stay on one origin.
 */
export async function mailLink(base, to, needle) {
  const url = `${base}/api/v1/test/mail?to=${encodeURIComponent(to)}`;
  const deadline = Date.now() + TIMEOUT_MS;
  let last = [];
  for (;;) {
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    if (!res.ok) {
      throw new Error(`GET ${url}: HTTP ${res.status} ${await res.text().catch(() => '')}`);
    }
    const mails = await res.json();
    check(Array.isArray(mails), `GET ${url}: expected a JSON array, got ${JSON.stringify(mails)}`);
    last = mails;
    for (const mail of mails) {
      const link = (mail.links ?? []).find((l) => l.includes(needle));
      if (link) {
        const found = new URL(link);
        const local = new URL(found.pathname + found.search, base).toString();
        if (found.origin !== new URL(base).origin) {
          log(`  (mail link ${found.origin} rewritten onto ${new URL(base).origin})`);
        }
        return { link: local, subject: mail.subject };
      }
    }
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `no mail to ${to} with a link containing ${needle}; mail seen: ` +
      JSON.stringify(last.map((m) => ({ subject: m.subject, links: m.links }))),
  );
}

export async function newPage(browser) {
  const context = await browser.newContext({
    viewport: DEFAULT_VIEWPORT,
    locale: process.env.BROWSER_LOCALE || 'ru-RU',
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  context.setDefaultNavigationTimeout(TIMEOUT_MS);
  return context.newPage();
}

/** Headless Chromium as the tests run it. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    timeout: 60_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** Runs `main`, exits 0 when it passes, else prints why and exits 1. */
export async function run(main) {
  try {
    await main();
    process.exit(0);
  } catch (e) {
    console.error(`[browser] FAILED: ${e?.message ?? e}`);
    if (e?.cause?.stack) console.error(e.cause.stack);
    process.exit(1);
  }
}

/** A failure screenshot of the page the failing step was on, then the error with its step. */
export async function failed(current, dir, step, e) {
  if (current) {
    const file = path.join(dir, `failure-${step.replace(/[^a-z0-9]+/gi, '-')}.png`);
    await current
      .screenshot({ path: file, fullPage: true })
      .then(() => console.error(`[browser] failure screenshot: ${file}`))
      .catch(() => {});
  }
  return new Error(`step "${step}" failed: ${e?.message ?? e}`, { cause: e });
}
