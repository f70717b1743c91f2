// Quizzes of issue 19 in headless Chromium (playwright-core):
//
//   node crates/server/tests/browser/quiz.mjs <base_url> <screenshot_dir>
//
// Against a server in --test-mode on a fresh database: a school signs up and makes a published
// course (API); its owner imports GIFT questions on the question bank's page, adds a quiz lesson
// in the course editor and chooses its questions and rules on the lesson's page; a student
// signs up on the school's site and, on a phone (390 px), starts the quiz, answers each kind
// of question (each answer saved by the page's script as it is given, as a reload shows),
// submits and reads the result; the lesson page then shows the grade. Every page is shot at
// 390 and 1280 px and audited with axe. Exits 0 on success, else prints what failed and exits 1.

import { mkdir } from 'node:fs/promises';
import {
  SUBMIT,
  api,
  signUpSchool,
  check,
  expectPath,
  expectStatus,
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

const GIFT = `::Capital:: Столица Казахстана? {=Астана ~Алматы ~Шымкент}

::Sky:: Небо голубое. {T}

::Pi:: Число пи с точностью до сотых? {#3.14:0.01}

::Match:: Сопоставьте слова. {=cat -> кошка =dog -> собака}

::Even:: Выберите чётные числа. {~%50%2 ~%50%4 ~%-100%3}
`;

/** Waits for the page's script to save the answers after `act`. */
async function saved(page, act) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/answers') && r.request().method() === 'POST'),
    act(),
  ]);
  expectStatus(res, 200, 'saving the answers as they are given');
}

async function main() {
  const [baseArg, dir] = process.argv.slice(2);
  if (!baseArg || !dir) usage();
  const base = baseArg.replace(/\/+$/, '');
  await mkdir(dir, { recursive: true });
  const suffix = randomSuffix();
  const slug = `quiz-${suffix}`;
  const ownerEmail = `owner-${suffix}@example.kz`;
  const studentEmail = `pupil-${suffix}@example.kz`;
  const password = 'Kazakh-2027!';
  const studentPassword = 'Oqushy-2027!';
  log(`base ${base}, school ${slug}`);

  const token = await signUpSchool(base, slug, ownerEmail, password);
  const course = await api(base, 'POST', '/api/v1/courses', { title: 'География', self_enrol: true }, token);
  const module = await api(base, 'POST', `/api/v1/courses/${course.id}/modules`, { title: 'Казахстан' }, token);
  await api(
    base,
    'POST',
    `/api/v1/courses/${course.id}/lessons`,
    { module_id: module.id, title: 'Введение', kind: 'text', body: 'Начнём.' },
    token,
  );
  await api(base, 'PATCH', `/api/v1/courses/${course.id}`, { status: 'published' }, token);

  const browser = await launch();
  let step = 'launch';
  let current = null;
  try {
    const teacher = await newPage(browser);
    current = teacher;

    step = '40 question bank';
    await goto(teacher, `${base}/login`, 'login page');
    await teacher.fill('#email', ownerEmail);
    await teacher.fill('#password', password);
    await submit(teacher, SUBMIT);
    await expectPath(teacher, '/cabinet', 'after the owner signs in');
    await goto(teacher, `${base}/cabinet/questions`, 'question bank');
    await teacher.setInputFiles('#question-file', {
      name: 'geography.gift.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(GIFT, 'utf8'),
    });
    await teacher.selectOption('#question-format', 'gift');
    await teacher.fill('#question-category', 'Тесты/География');
    await submit(teacher, '#import-questions button[type=submit]');
    check(
      (await teacher.locator('#questions tbody tr').count()) === 5,
      `the five questions are not in the bank${await pageProblems(teacher)}`,
    );
    await shoot(teacher, dir, '40-question-bank');
    log('ok 40 five questions imported from GIFT');

    step = '41 quiz lesson';
    await goto(teacher, `${base}/cabinet/courses/${course.id}`, 'course editor');
    await teacher.fill('#lesson_title', 'Проверка');
    await teacher.selectOption('#lesson_kind', 'quiz');
    await submit(teacher, '#add-lesson');
    check(
      pathOf(teacher).startsWith('/cabinet/lessons/'),
      `a new quiz does not open its page: ${teacher.url()}${await pageProblems(teacher)}`,
    );
    const quizId = pathOf(teacher).split('/').pop();
    check((await teacher.locator('#quiz-editor').count()) === 1, 'no quiz settings on the page');
    await shoot(teacher, dir, '41-quiz-settings');
    for (const box of await teacher.locator('input[name=quiz_question]').all()) await box.check();
    await teacher.fill('#quiz_time_limit', '10');
    await teacher.fill('#quiz_attempts', '2');
    await teacher.fill('#quiz_pass_percent', '50');
    await teacher.check('#quiz_review_right');
    // A lesson added to a published course starts as a draft: published once it is ready.
    check(!(await teacher.isChecked('#lesson_published')), 'the new quiz is not a draft');
    await teacher.check('#lesson_published');
    const res = await submit(teacher, '#save-lesson');
    expectStatus(res, 200, 'saving the quiz');
    await expectPath(teacher, `/cabinet/courses/${course.id}`, `after saving the quiz${await pageProblems(teacher)}`);
    const settings = await api(base, 'GET', `/api/v1/quizzes/${quizId}`, null, token);
    check(settings.questions.length === 5, `the quiz asks ${JSON.stringify(settings.questions)}`);
    check(settings.time_limit_minutes === 10, `time limit ${settings.time_limit_minutes}`);
    log('ok 41 quiz built on its page');

    step = '42 student signs up';
    const student = await newPage(browser);
    current = student;
    await goto(student, `${base}/s/${slug}/signup?course=${course.id}`, 'student sign-up');
    await student.fill('#full_name', 'Әлия Нұрланқызы');
    await student.fill('#email', studentEmail);
    await student.fill('#password', studentPassword);
    await student.check('#privacy');
    await submit(student, SUBMIT);
    check(
      pathOf(student).startsWith(`/s/${slug}/lessons/`),
      `not at the course's first lesson: ${student.url()}${await pageProblems(student)}`,
    );
    await goto(student, `${base}/s/${slug}/lessons/${quizId}`, 'the quiz lesson');
    check((await student.locator('#quiz-rules li').count()) >= 4, 'the quiz rules are not shown');
    await shoot(student, dir, '42-quiz-lesson');
    log('ok 42 the student reads the quiz rules');

    step = '43 attempt on a phone';
    await student.setViewportSize({ width: 390, height: 844 });
    await submit(student, '#quiz-start');
    check(pathOf(student).startsWith(`/s/${slug}/attempts/`), `no attempt page: ${student.url()}`);
    const attemptPath = pathOf(student);
    await student.waitForFunction(() =>
      /^\d+:\d\d$/.test(document.getElementById('quiz-time-left').textContent),
    );
    const left = await student.locator('#quiz-time-left').innerText();
    check(left.startsWith('10:') || left.startsWith('9:'), `the countdown shows ${left}`);
    const q = (text) => student.locator('fieldset.question', { hasText: text });
    await saved(student, () => q('Столица').locator('label.choice', { hasText: 'Астана' }).click());
    await saved(student, () => q('Небо').locator('label.choice').filter({ hasText: /^\s*Верно\s*$/ }).click());
    await saved(student, () => q('Число пи').locator('input[type=text]').fill('3,14'));
    const selects = q('Сопоставьте').locator('select');
    await saved(student, () => selects.nth(0).selectOption({ label: 'кошка' }));
    await saved(student, () => selects.nth(1).selectOption({ label: 'собака' }));
    const even = q('чётные');
    await saved(student, () => even.locator('label.choice').filter({ hasText: /^\s*2\s*$/ }).click());
    await saved(student, () => even.locator('label.choice').filter({ hasText: /^\s*4\s*$/ }).click());
    check(
      (await student.locator('#autosave-status').innerText()).length > 0,
      'the page does not say the answers are saved',
    );
    await shoot(student, dir, '43-attempt');
    // Read again: every answer was kept by the server.
    await student.setViewportSize({ width: 390, height: 844 });
    await goto(student, `${base}${attemptPath}`, 'the attempt again');
    check((await student.locator('input:checked').count()) === 4, 'the choices given are not kept');
    check((await q('Число пи').locator('input[type=text]').inputValue()) === '3,14', 'the number is not kept');
    log(`ok 43 answered on a phone (countdown ${left}), each answer saved as given`);

    step = '44 result';
    await submit(student, '#attempt-submit');
    await expectPath(student, attemptPath, 'the result');
    const score = await student.locator('#attempt-score').innerText();
    check(score.includes('(100%)'), `the score reads ${score}`);
    check((await student.locator('.right-answer').count()) === 5, 'the right answers are not shown');
    await shoot(student, dir, '44-attempt-result');
    await goto(student, `${base}/s/${slug}/lessons/${quizId}`, 'the quiz lesson after');
    check((await student.locator('#quiz-grade').innerText()).includes('100%'), 'no grade on the lesson page');
    check(!(await student.locator('#lesson-complete').isHidden()), 'the lesson is not complete');
    await shoot(student, dir, '45-quiz-passed');
    log(`ok 44 submitted: ${score}`);

    log('all steps passed');
  } catch (e) {
    throw await failed(current, dir, step, e);
  } finally {
    await browser.close().catch(() => {});
  }
}

await run(main);
