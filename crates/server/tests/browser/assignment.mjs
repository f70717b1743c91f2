// Assignments of issue 19 in headless Chromium (playwright-core):
//
//   node crates/server/tests/browser/assignment.mjs <base_url> <screenshot_dir>
//
// Against a server in --test-mode on a fresh database: a school signs up and publishes a course
// whose first lesson is an assignment that is a stop-lesson (API); a student signs up on the
// school's site and, on a phone (390 px), writes an answer, attaches a file (the page's script
// uploads it as it is picked) and sends it; the owner finds it in the cabinet's queue and
// accepts it with a grade; the student then reads the decision and the lesson after it is
// open. Every page is shot at 390 and 1280 px and audited with axe. Exits 0 on success, else
// prints what failed and exits 1.

import { mkdir } from 'node:fs/promises';
import {
  SUBMIT,
  api,
  signUpSchool,
  check,
  expectPath,
  failed,
  goto,
  launch,
  log,
  newPage,
  pageProblems,
  pathOf,
  randomSuffix,
  run,
  shoot,
  submit,
  usage,
} from './common.mjs';

async function main() {
  const [baseArg, dir] = process.argv.slice(2);
  if (!baseArg || !dir) usage();
  const base = baseArg.replace(/\/+$/, '');
  await mkdir(dir, { recursive: true });
  const suffix = randomSuffix();
  const slug = `essay-${suffix}`;
  const ownerEmail = `owner-${suffix}@example.kz`;
  const studentEmail = `pupil-${suffix}@example.kz`;
  const password = 'Kazakh-2027!';
  const studentPassword = 'Oqushy-2027!';
  log(`base ${base}, school ${slug}`);

  const token = await signUpSchool(base, slug, ownerEmail, password);
  const course = await api(base, 'POST', '/api/v1/courses', { title: 'Письмо', self_enrol: true }, token);
  const module = await api(base, 'POST', `/api/v1/courses/${course.id}/modules`, { title: 'Эссе' }, token);
  const essay = await api(
    base,
    'POST',
    `/api/v1/courses/${course.id}/lessons`,
    {
      module_id: module.id,
      title: 'Эссе о лете',
      kind: 'assignment',
      stop: true,
      body: 'Напишите **эссе** о лете и приложите черновик.',
    },
    token,
  );
  const next = await api(
    base,
    'POST',
    `/api/v1/courses/${course.id}/lessons`,
    { module_id: module.id, title: 'Дальше', kind: 'text', body: 'После эссе.' },
    token,
  );
  await api(base, 'PATCH', `/api/v1/courses/${course.id}`, { status: 'published' }, token);

  const browser = await launch();
  let step = 'launch';
  let current = null;
  try {
    step = '50 the student answers on a phone';
    const student = await newPage(browser);
    current = student;
    await goto(student, `${base}/s/${slug}/signup?course=${course.id}`, 'student sign-up');
    await student.fill('#full_name', 'Әлия Нұрланқызы');
    await student.fill('#email', studentEmail);
    await student.fill('#password', studentPassword);
    await student.check('#privacy');
    await submit(student, SUBMIT);
    await student.setViewportSize({ width: 390, height: 844 });
    await goto(student, `${base}/s/${slug}/lessons/${essay.id}`, 'the assignment');
    check((await student.locator('#answer-form').count()) === 1, 'no answer form');
    check(!(await student.locator('#answer-files-box').isHidden()), 'the file picker stays hidden');
    await student.fill('#answer-text', 'Летом я ездила в горы.');
    const [uploaded] = await Promise.all([
      student.waitForResponse((r) => r.url().includes('/files?filename=') && r.request().method() === 'POST'),
      student.setInputFiles('#answer-file-input', {
        name: 'черновик.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('Черновик эссе', 'utf8'),
      }),
    ]);
    check(uploaded.status() === 201, `the file upload answered ${uploaded.status()}`);
    await student.waitForSelector('#answer-file-list input[name=file]', { state: 'attached' });
    // A file picked by mistake is removed, on the server too.
    const [extra] = await Promise.all([
      student.waitForResponse((r) => r.url().includes('/files?filename=') && r.request().method() === 'POST'),
      student.setInputFiles('#answer-file-input', {
        name: 'лишний.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('Лишний файл', 'utf8'),
      }),
    ]);
    check(extra.status() === 201, `the second upload answered ${extra.status()}`);
    await student.waitForFunction(() => document.querySelectorAll('#answer-file-list input[name=file]').length === 2);
    const [removed] = await Promise.all([
      student.waitForResponse((r) => r.url().endsWith('/delete') && r.request().method() === 'POST'),
      student.locator('#answer-file-list li', { hasText: 'лишний.txt' }).locator('[data-remove-file]').click(),
    ]);
    check(removed.status() === 204, `removing the picked file answered ${removed.status()}`);
    check((await student.locator('#answer-file-list input[name=file]').count()) === 1, 'the removed file is still in the form');
    await shoot(student, dir, '50-assignment-answer');
    await student.setViewportSize({ width: 390, height: 844 });
    await submit(student, '#answer-send');
    await expectPath(student, `/s/${slug}/lessons/${essay.id}`, `after sending${await pageProblems(student)}`);
    const status = await student.locator('#assignment-status').innerText();
    check(status.includes('ждёт проверки'), `the status reads ${status}`);
    check(
      (await student.locator('#assignment-thread a', { hasText: 'черновик.txt' }).count()) === 1,
      'the file is not in the thread',
    );
    await shoot(student, dir, '51-assignment-sent');
    log('ok 50 answer with a file sent from a phone');

    step = '52 the owner reviews';
    const owner = await newPage(browser);
    current = owner;
    await goto(owner, `${base}/login`, 'login page');
    await owner.fill('#email', ownerEmail);
    await owner.fill('#password', password);
    await submit(owner, SUBMIT);
    await expectPath(owner, '/cabinet', 'after the owner signs in');
    await goto(owner, `${base}/cabinet/submissions`, 'the queue');
    check((await owner.locator('#submissions-table tbody tr').count()) === 1, 'the work is not in the queue');
    await shoot(owner, dir, '52-submissions');
    await owner.locator('#submissions-table a').first().click();
    await owner.waitForSelector('#review-form');
    await owner.check('#decision-accept');
    await owner.fill('#grade', '90');
    await owner.fill('#review-comment', 'Отлично!');
    await shoot(owner, dir, '53-submission-review');
    await submit(owner, '#review-send');
    check(
      (await owner.locator('#submission-status').innerText()).includes('Принято'),
      `not accepted${await pageProblems(owner)}`,
    );
    log('ok 52 accepted with a grade in the cabinet');

    step = '54 the student reads the decision';
    current = student;
    await student.setViewportSize({ width: 390, height: 844 });
    await goto(student, `${base}/s/${slug}/lessons/${essay.id}`, 'the assignment after');
    check((await student.locator('#assignment-grade').innerText()).includes('90 / 100'), 'no grade');
    check(!(await student.locator('#lesson-complete').isHidden()), 'the lesson is not complete');
    await shoot(student, dir, '54-assignment-accepted');
    await goto(student, `${base}/s/${slug}/lessons/${next.id}`, 'the lesson after');
    check((await student.locator('#lesson-locked').count()) === 0, 'the lesson after is still closed');
    check(pathOf(student).endsWith(next.id), 'not at the lesson after');
    log('ok 54 accepted work opens the lesson after the stop-lesson');

    log('all steps passed');
  } catch (e) {
    throw await failed(current, dir, step, e);
  } finally {
    await browser.close().catch(() => {});
  }
}

await run(main);
