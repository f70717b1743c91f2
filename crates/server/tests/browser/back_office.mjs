// The back office on a phone, in headless Chromium (playwright-core), issue 17 item 5.
//
//   node crates/server/tests/browser/back_office.mjs <base_url> <screenshot_dir> <setup.json>
//
// setup.json names three operators ({"admin": [email, password, code], "billing": [...],
// "infrastructure": [...]}, each with two-step sign-in set up and the code their app shows at
// the standing test clock), a fourth who has not set it up yet ("newcomer": [email,
// password]), a compliance officer ("compliance": [email, password, code]) whose register holds
// one request, and what the Rust test made: the school (`tenant`, its id) with a
// paid licence, an act with a request for a paper copy, an open invoice (`invoice`, its number)
// and a bank receipt waiting to be matched (`receipt`, its reference). Each operator signs in
// and opens the back-office pages of their role (each screenshotted at 390 and 1280 px, audited
// with axe and checked not to scroll sideways); at 390 px the billing officer matches the
// receipt to the invoice and marks the copy sent with the buttons on the cards, which must
// stand within the screen.

import { mkdir, readFile } from 'node:fs/promises';
import {
  SUBMIT,
  VIEWPORTS,
  DEFAULT_VIEWPORT,
  check,
  expectPath,
  failed,
  goto,
  launch,
  log,
  newPage,
  pageProblems,
  run,
  shoot,
  submit,
  usage,
} from './common.mjs';

const PHONE = VIEWPORTS[0];

/** The element is on the screen's width at the phone's size: nothing to scroll sideways for. */
async function withinWidth(page, selector, what) {
  const box = await page.locator(selector).boundingBox();
  check(box, `${what}: ${selector} is not shown`);
  check(
    box.x >= 0 && box.x + box.width <= PHONE.width,
    `${what}: ${selector} spans ${Math.round(box.x)}..${Math.round(box.x + box.width)} px on a ${PHONE.width} px screen`,
  );
}

/** A new browser context signed in as this operator (the password, then the app's code), on
 * the back office's home. */
async function signIn(browser, base, [email, password, code]) {
  const page = await newPage(browser);
  await goto(page, `${base}/login`, 'login page');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await submit(page, SUBMIT);
  check(
    (await page.locator('input[name=challenge]').count()) === 1,
    `${email}: no second step asked for${await pageProblems(page)}`,
  );
  await shoot(page, dir, '39-second-step');
  await page.fill('#totp', code);
  await submit(page, SUBMIT);
  await expectPath(page, '/operator', `after ${email} signs in`);
  return page;
}

/** Opens each page and shoots it at both widths. */
async function walk(page, base, pages) {
  for (const [path, name] of pages) {
    await goto(page, `${base}${path}`, path);
    await shoot(page, dir, name);
  }
}

let dir;

async function main() {
  const [baseArg, shots, setupFile] = process.argv.slice(2);
  if (!baseArg || !shots || !setupFile) usage();
  dir = shots;
  const base = baseArg.replace(/\/+$/, '');
  const setup = JSON.parse(await readFile(setupFile, 'utf8'));
  const { tenant, invoice, receipt: reference } = setup;
  await mkdir(dir, { recursive: true });
  log(`base ${base}, school ${tenant}, invoice ${invoice}, receipt ${reference}`);

  const browser = await launch();
  let step = 'launch';
  let current = null;
  try {
    step = '40 billing officer signs in';
    const page = await signIn(browser, base, setup.billing);
    current = page;
    check(
      (await page.locator('#tenant-list tbody tr').count()) >= 2,
      'the list of schools shows both schools',
    );
    await shoot(page, dir, '40-operator');
    log('ok 40 operator home');

    step = '41 school page';
    await page.click(`#tenant-list a[href="/operator/tenants/${tenant}"]`);
    await expectPath(page, `/operator/tenants/${tenant}`, 'the school page');
    const open = await page.locator('#school-invoices').innerText();
    check(open.includes(invoice), `the school's invoices do not list ${invoice}: ${open}`);
    await page.setViewportSize(PHONE);
    await withinWidth(page, '#school-payment-form button[type=submit]', 'the record payment button');
    await page.setViewportSize(DEFAULT_VIEWPORT);
    await shoot(page, dir, '41-operator-school');
    log('ok 41 school page');

    step = '42 receipt matched on a phone';
    await goto(page, `${base}/operator/billing`, 'billing page');
    await shoot(page, dir, '42-operator-billing');
    await page.setViewportSize(PHONE);
    const row = page.locator('#receipts tbody tr', { hasText: reference });
    check((await row.count()) === 1, `no receipt ${reference} on the billing page`);
    const input = row.locator('input[name=invoice_number]');
    const button = row.locator('button[type=submit]');
    await input.scrollIntoViewIfNeeded();
    await withinWidth(page, `#receipts tbody tr:has-text("${reference}") input[name=invoice_number]`, 'the invoice number field');
    await withinWidth(page, `#receipts tbody tr:has-text("${reference}") button[type=submit]`, 'the match button');
    await input.fill(invoice);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
    check(
      (await page.locator('.flash-success').count()) > 0,
      `no success after matching the receipt${await pageProblems(page)}`,
    );
    check(
      (await page.locator('#receipts tbody tr', { hasText: reference }).count()) === 0,
      'the matched receipt is still waiting',
    );
    await page.setViewportSize(DEFAULT_VIEWPORT);
    await shoot(page, dir, '43-receipt-matched');
    log('ok 42 receipt matched at 390 px');

    step = '44 copy sent on a phone';
    await goto(page, `${base}/operator/documents`, 'documents page');
    await shoot(page, dir, '44-operator-documents');
    await page.setViewportSize(PHONE);
    const done = page.locator('#copy-requests tbody tr button[type=submit]').first();
    await done.scrollIntoViewIfNeeded();
    await withinWidth(page, '#copy-requests tbody tr:first-child button[type=submit]', 'the copy sent button');
    await withinWidth(page, '#acts tbody tr:first-child input[name=reason]', 'the objection field');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), done.click()]);
    check(
      (await page.locator('#copy-requests').count()) === 0,
      `the copy request is still open${await pageProblems(page)}`,
    );
    await page.setViewportSize(DEFAULT_VIEWPORT);
    log('ok 44 paper copy marked sent at 390 px');

    step = '45 billing pages';
    await walk(page, base, [
      ['/operator/billing/receipts', '45-operator-receipt-form'],
      ['/operator/billing/quotes', '46-operator-quotes'],
      ['/operator/billing/refunds', '47-operator-refunds'],
    ]);
    log('ok 45 the billing officer\'s pages');

    step = '48 super-admin';
    const admin = await signIn(browser, base, setup.admin);
    current = admin;
    await walk(admin, base, [
      ['/operator/billing', '48-operator-billing-admin'],
      ['/operator/documents', '49-operator-documents-admin'],
      ['/operator/staff', '50-operator-staff'],
      ['/operator/calendar', '51-operator-calendar'],
      ['/operator/embeds', '52-operator-embeds'],
      ['/operator/billing/plans', '53-operator-plans'],
      ['/operator/billing/prices', '54-operator-prices'],
      ['/operator/billing/promotions', '55-operator-promotions'],
      ['/operator/billing/service-prices', '56-operator-service-prices'],
      ['/operator/billing/trial-plan', '57-operator-trial-plan'],
      [`/operator/tenants/${tenant}`, '58-operator-school-admin'],
    ]);
    log('ok 48 the super-admin\'s pages');

    step = '59 infrastructure';
    const infra = await signIn(browser, base, setup.infrastructure);
    current = infra;
    await walk(infra, base, [['/operator/operations', '59-operator-operations']]);
    log('ok 59 the infrastructure page');

    step = '60 security page';
    await walk(infra, base, [['/account/security', '60-security']]);
    log('ok 60 the security page with its sessions');

    step = '63 compliance register';
    const compliance = await signIn(browser, base, setup.compliance);
    current = compliance;
    await walk(compliance, base, [['/operator/disclosures', '63-operator-disclosures']]);
    check(
      (await compliance.locator('#disclosures-table tbody tr').count()) === 1,
      'the register lists the request',
    );
    log('ok 63 the compliance register');

    step = '61 newcomer is led to set up two-step sign-in';
    const newcomer = await newPage(browser);
    current = newcomer;
    await goto(newcomer, `${base}/login`, 'login page');
    await newcomer.fill('#email', setup.newcomer[0]);
    await newcomer.fill('#password', setup.newcomer[1]);
    await submit(newcomer, SUBMIT);
    await expectPath(newcomer, '/account/security', 'a newcomer lands on the security page');
    check((await newcomer.locator('#mfa-required').count()) === 1, 'no word that it is required');
    await shoot(newcomer, dir, '61-security-required');
    await submit(newcomer, '#start-form button[type=submit]');
    check((await newcomer.locator('#totp-qr svg').count()) === 1, 'no QR code');
    check((await newcomer.locator('#totp-secret').innerText()).length >= 32, 'no key to type');
    await shoot(newcomer, dir, '62-security-qr');
    log('ok 61 the newcomer sees the QR code');

    log('all steps passed');
  } catch (e) {
    throw await failed(current, dir, step, e);
  } finally {
    await browser.close().catch(() => {});
  }
}

await run(main);
