// The browser flow of the server-rendered pages, in headless Chromium (playwright-core).
//
//   node crates/server/tests/browser/flow.mjs <base_url> <screenshot_dir>
//
// Runs against a server started with `--test-mode` on a fresh database: signs a school up,
// verifies the owner's e-mail, signs out and in, invites a teacher, accepts the invitation in
// a second browser context and signs the teacher in. Every page is screenshotted at 390 and
// 1280 px wide as `NN-name-390.png` / `NN-name-1280.png`. Exits 0 on success; on the first
// failure prints what failed (with the page's URL and any error messages on it) and exits 1.
//
// Environment: CHROMIUM_PATH (default /usr/bin/chromium), BROWSER_LOCALE (default ru-RU).

import { mkdir } from 'node:fs/promises';
import {
  SUBMIT,
  check,
  expectPath,
  expectStatus,
  failed,
  goto,
  launch,
  log,
  mailLink,
  newPage,
  pageProblems,
  pathOf,
  randomSuffix,
  run,
  shoot,
  usage,
  submit,
} from './common.mjs';

async function main() {
  const [baseArg, dir] = process.argv.slice(2);
  if (!baseArg || !dir) usage();
  const base = baseArg.replace(/\/+$/, '');
  await mkdir(dir, { recursive: true });

  const suffix = randomSuffix();
  const slug = `browser-${suffix}`;
  const ownerEmail = `owner-${suffix}@example.kz`;
  const ownerPassword = 'Kazakh-2027!';
  const staffEmail = `teacher-${suffix}@example.kz`;
  const staffPassword = 'Teacher-2027!';
  log(`base ${base}, school ${slug}, screenshots in ${dir}`);

  const browser = await launch();
  let step = 'launch';
  let current = null;
  try {
    const page = await newPage(browser);
    current = page;

    // g (start). The landing page.
    step = '00 landing';
    await goto(page, `${base}/`, 'landing page');
    await shoot(page, dir, '00-landing');
    log('ok 00 landing page');

    // a. Sign up.
    step = '01 sign-up';
    await goto(page, `${base}/signup`, 'sign-up page');
    await page.fill('#org_name', 'Алма Скул');
    await page.selectOption('#kind', 'legal_entity');
    await page.fill('#bin_iin', '123456789013');
    check(await page.isChecked('#resident'), '#resident should be checked by default');
    await page.fill('#full_name', 'Айгерим Сапарова');
    await page.fill('#email', ownerEmail);
    await page.fill('#phone', '+77011234567');
    await page.fill('#password', ownerPassword);
    await page.fill('#slug', slug);
    await page.check('#accept_offer');
    await shoot(page, dir, '01-signup');
    log('ok 01 sign-up form filled');

    step = '02 cabinet after sign-up';
    let res = await submit(page, SUBMIT);
    await expectPath(page, '/cabinet', 'after sign-up');
    expectStatus(res, 200, 'cabinet after sign-up');
    check(
      await page.locator('#licence-banner').isVisible(),
      `after sign-up: #licence-banner is not visible on ${page.url()}`,
    );
    check(
      (await page.locator('#checklist-progress').innerText()).includes('0'),
      `a new school's checklist does not start at 0${await pageProblems(page)}`,
    );
    await shoot(page, dir, '02-cabinet');
    log('ok 02 signed up, cabinet shows the licence banner and the first steps');

    // b. Verify the e-mail through the mailed link.
    step = '03 verify e-mail';
    const verify = await mailLink(base, ownerEmail, '/verify-email?token=');
    log(`  verification mail "${verify.subject}"`);
    await goto(page, verify.link, 'verification link');
    check(
      (await page.locator('main .flash-success').count()) > 0,
      `verification page has no .flash-success${await pageProblems(page)}`,
    );
    await shoot(page, dir, '03-verified');
    log('ok 03 e-mail verified');

    // c. Sign out, then sign in again.
    step = '04 sign out';
    res = await submit(page, '#sign-out');
    await expectPath(page, '/login', 'after signing out');
    check((await page.locator('#sign-out').count()) === 0, 'still signed in after signing out');
    log('ok 04 signed out');

    step = '04 sign in';
    await page.fill('#email', ownerEmail);
    await page.fill('#password', ownerPassword);
    // The e-mail and the password alone: the school is found (issue 15, item 11).
    check((await page.locator('#school').count()) === 0, 'the sign-in form asks for the school');
    await shoot(page, dir, '04-login');
    res = await submit(page, SUBMIT);
    await expectPath(page, '/cabinet', 'after signing in as the owner');
    expectStatus(res, 200, 'cabinet after signing in');
    log('ok 04 signed in as the owner');

    step = '04 documents';
    await Promise.all([
      page.waitForURL('**/cabinet/documents', { waitUntil: 'load' }),
      page.click('#documents-home-link'),
    ]);
    await expectPath(page, '/cabinet/documents', 'after opening the documents');
    check(
      (await page.locator('#documents-settings').count()) === 1,
      `the documents page has no #documents-settings${await pageProblems(page)}`,
    );
    await shoot(page, dir, '04-documents');
    await goto(page, `${base}/cabinet`, 'cabinet');
    log('ok 04 documents page');

    // The first steps, from the checklist to a published course (issue 17).
    step = '04 checklist: a course';
    await Promise.all([
      page.waitForURL('**/cabinet/courses', { waitUntil: 'load' }),
      page.click('#step-course a'),
    ]);
    await page.fill('#course_title', 'Алгебра 7');
    await submit(page, '#new-course button[type=submit]');
    check(pathOf(page).startsWith('/cabinet/courses/'), `not in the course editor: ${page.url()}`);
    // An empty course is not published: the editor says why, beside the field.
    await page.selectOption('#course_status', 'published');
    await submit(page, '#save-course');
    check(
      (await page.locator('#course_status-error').count()) === 1,
      `publishing an empty course gives no error beside the status${await pageProblems(page)}`,
    );
    await shoot(page, dir, '04-course-empty-refused');
    await page.fill('#module_title', 'Уравнения');
    await submit(page, '#new-module button[type=submit]');
    await page.fill('#lesson_title', 'Линейные уравнения');
    await page.selectOption('#lesson_kind', 'text');
    await page.fill('#lesson_body', '# Уравнения\n\n**Линейное** уравнение: ax + b = 0.');
    await submit(page, '#add-lesson');
    await page.selectOption('#course_status', 'published');
    await submit(page, '#save-course');
    check(
      (await page.locator('#student-view').count()) === 1,
      `the course is not published${await pageProblems(page)}`,
    );
    await Promise.all([
      page.waitForURL('**/cabinet', { waitUntil: 'load' }),
      page.click('#nav-home'),
    ]);
    for (const done of ['course', 'lesson', 'publish']) {
      check(
        (await page.locator(`#step-${done}.step-done`).count()) === 1,
        `the checklist's step "${done}" is not checked off${await pageProblems(page)}`,
      );
    }
    await shoot(page, dir, '04-checklist');
    log('ok 04 a course published through the checklist');

    // The school's own face on its site (issue 17, item 2).
    step = '04 brand';
    await Promise.all([
      page.waitForURL('**/cabinet/settings/brand', { waitUntil: 'load' }),
      page.click('#step-brand a'),
    ]);
    await page.fill('#display_name', 'Алма Математика');
    await page.fill('#accent', '#0B5FFF');
    await page.fill('#site_description', 'Математика для 5–11 классов.');
    await page.fill('#contact_email', 'hello@example.kz');
    await page.fill('#social_links', 'https://t.me/almamath');
    await submit(page, '#save-brand');
    check(
      (await page.locator('.flash-success').count()) > 0,
      `the brand is not saved${await pageProblems(page)}`,
    );
    await shoot(page, dir, '04-brand');
    await goto(page, `${base}/s/${slug}/`, "the school's site");
    check(
      (await page.locator('.brand').innerText()).includes('Алма Математика'),
      "the school's site does not show its name",
    );
    const accent = await page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue('--accent').trim(),
    );
    check(accent === '#0b5fff', `the school's colour is not applied (--accent ${accent})`);
    await shoot(page, dir, '04-school-site');
    await goto(page, `${base}/cabinet`, 'cabinet');
    log('ok 04 the school shows its own name and colour');

    // d. Invite a teacher, in the settings.
    step = '05 invite staff';
    await Promise.all([
      page.waitForURL('**/cabinet/settings', { waitUntil: 'load' }),
      page.click('#settings-link'),
    ]);
    check(
      (await page.locator('#invite-form').count()) === 1,
      'the owner\'s cabinet has no #invite-form',
    );
    await page.fill('#invite-form [name=email]', staffEmail);
    await page.fill('#invite-form [name=full_name]', 'Данияр Ахметов');
    await page.selectOption('#invite-form [name=role]', 'teacher');
    res = await submit(page, '#invite-form button[type=submit]');
    await expectPath(page, '/cabinet/settings', 'after inviting staff');
    expectStatus(res, 200, 'settings after inviting staff');
    check(
      (await page.locator('main').innerText()).includes(staffEmail),
      `the cabinet does not list ${staffEmail} after inviting${await pageProblems(page)}`,
    );
    await shoot(page, dir, '05-staff-invited');
    log(`ok 05 invited ${staffEmail}`);

    // e. Accept the invitation in a second browser context.
    step = '06 invitation';
    const invitation = await mailLink(base, staffEmail, '/invitation?token=');
    log(`  invitation mail "${invitation.subject}"`);
    const staffPage = await newPage(browser);
    current = staffPage;
    await goto(staffPage, invitation.link, 'invitation link');
    await shoot(staffPage, dir, '06-invitation');
    log('ok 06 invitation page opened');

    step = '07 accept invitation';
    await staffPage.fill('#password', staffPassword);
    res = await submit(staffPage, SUBMIT);
    expectStatus(res, 200, `accepting the invitation${await pageProblems(staffPage)}`);
    check(
      (await staffPage.locator('main .flash-success').count()) > 0,
      `invitation accepted page has no .flash-success${await pageProblems(staffPage)}`,
    );
    await shoot(staffPage, dir, '07-invitation-accepted');
    log('ok 07 invitation accepted');

    // f. The teacher signs in and has no staff management.
    step = '08 staff sign-in';
    await goto(staffPage, `${base}/login`, 'login page');
    await staffPage.fill('#email', staffEmail);
    await staffPage.fill('#password', staffPassword);
    res = await submit(staffPage, SUBMIT);
    await expectPath(staffPage, '/cabinet', 'after signing in as the teacher');
    expectStatus(res, 200, 'cabinet after the teacher signs in');
    await shoot(staffPage, dir, '08-staff-cabinet');
    await goto(staffPage, `${base}/cabinet/settings`, 'settings');
    await shoot(staffPage, dir, '08-staff-settings');
    const inviteForms = await staffPage.locator('#invite-form').count();
    check(inviteForms === 0, `the teacher sees the invite form (#invite-form count ${inviteForms})`);
    log('ok 08 teacher signed in, no invite form');

    // g (end). The offer.
    step = '09 offer';
    current = page;
    await goto(page, `${base}/offer`, 'offer page');
    await shoot(page, dir, '09-offer');
    log('ok 09 offer page');

    log('all steps passed');
  } catch (e) {
    throw await failed(current, dir, step, e);
  } finally {
    await browser.close().catch(() => {});
  }
}

await run(main);
