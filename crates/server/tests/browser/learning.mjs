// The learning flow of issue 6 in headless Chromium (playwright-core):
//
//   node crates/server/tests/browser/learning.mjs <base_url> <screenshot_dir> <video.webm>
//
// Against a server in --test-mode on a fresh database: a school signs up (API), invites a
// teacher who accepts in the browser; the teacher creates a course with a text lesson and a
// video lesson (the file uploaded from the editor with its progress bar) and publishes it; a
// student signs up on the school's site, enrols, completes the text lesson, plays the video
// (the test checks the 206 answers and that the position was saved) and so completes the
// course; the teacher sees it in the progress table. Screenshots of each page at 390 and
// 1280 px. Exits 0 on success, else prints what failed and exits 1.

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
  mailLink,
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
  const [baseArg, dir, video] = process.argv.slice(2);
  if (!baseArg || !dir || !video) usage();
  const base = baseArg.replace(/\/+$/, '');
  await mkdir(dir, { recursive: true });
  const suffix = randomSuffix();
  const slug = `school-${suffix}`;
  const ownerEmail = `owner-${suffix}@example.kz`;
  const teacherEmail = `asel-${suffix}@example.kz`;
  const studentEmail = `pupil-${suffix}@example.kz`;
  const password = 'Kazakh-2027!';
  const teacherPassword = 'Sabaq-2027!';
  const studentPassword = 'Oqushy-2027!';
  log(`base ${base}, school ${slug}, video ${video}`);

  // The school and its teacher's invitation, through the API.
  const token = await signUpSchool(base, slug, ownerEmail, password);
  await api(
    base,
    'POST',
    '/api/v1/staff',
    { email: teacherEmail, full_name: 'Асель Нурланова', role: 'teacher' },
    token,
  );

  const browser = await launch();
  let step = 'launch';
  let current = null;
  try {
    const teacher = await newPage(browser);
    current = teacher;

    step = '20 teacher accepts';
    const invitation = await mailLink(base, teacherEmail, '/invitation?token=');
    await goto(teacher, invitation.link, 'invitation link');
    await teacher.fill('#password', teacherPassword);
    let res = await submit(teacher, SUBMIT);
    expectStatus(res, 200, `accepting the invitation${await pageProblems(teacher)}`);
    await goto(teacher, `${base}/login`, 'login page');
    await teacher.fill('#email', teacherEmail);
    await teacher.fill('#password', teacherPassword);
    await submit(teacher, SUBMIT);
    await expectPath(teacher, '/cabinet', 'after the teacher signs in');
    log('ok 20 teacher signed in');

    step = '21 new course';
    await teacher.click('#courses-link');
    await expectPath(teacher, '/cabinet/courses', 'courses page');
    await shoot(teacher, dir, '21-courses');
    await teacher.fill('#course_title', 'Қазақ тілі: бастауыш');
    await teacher.fill('#course_description', 'Алғашқы сабақтар');
    await submit(teacher, '#new-course button[type=submit]');
    const editorPath = new URL(teacher.url()).pathname;
    check(editorPath.startsWith('/cabinet/courses/'), `not in the editor: ${teacher.url()}`);
    const courseId = editorPath.split('/').pop();
    await teacher.fill('#module_title', 'Әліпби');
    await submit(teacher, '#new-module button[type=submit]');
    log('ok 21 course and module created');

    step = '22 text lesson';
    await teacher.fill('#lesson_title', 'Сәлемдесу');
    await teacher.selectOption('#lesson_kind', 'text');
    await teacher.fill('#lesson_body', '# Сәлем!\n\n**Сәлеметсіз бе** — здравствуйте.');
    await submit(teacher, '#add-lesson');
    check(
      (await teacher.locator('.flash-success').count()) > 0,
      `no success after adding the text lesson${await pageProblems(teacher)}`,
    );
    log('ok 22 text lesson added');

    step = '23 video lesson';
    await teacher.fill('#lesson_title', 'Әріптер');
    await teacher.selectOption('#lesson_kind', 'video');
    const uploaded = teacher.waitForResponse(
      (r) => r.url().includes('/cabinet/media') && r.request().method() === 'POST',
    );
    await teacher.setInputFiles('#lesson-file', video);
    const up = await uploaded;
    expectStatus(up, 201, 'uploading the video');
    await teacher.waitForFunction(() => document.getElementById('media_id').value !== '');
    const bar = await teacher.locator('#lesson-file-progress').evaluate((e) => e.value);
    check(bar === 100, `the upload's progress bar shows ${bar}`);
    await shoot(teacher, dir, '23-editor-uploaded');
    await submit(teacher, '#add-lesson');
    check(
      (await teacher.locator('.flash-success').count()) > 0,
      `no success after adding the video lesson${await pageProblems(teacher)}`,
    );
    log('ok 23 video uploaded and lesson added');

    step = '24 publish';
    await teacher.selectOption('#course_status', 'published');
    await teacher.check('#self_enrol');
    await submit(teacher, '#save-course');
    check(
      (await teacher.locator('#student-view').count()) === 1,
      `the course is not published${await pageProblems(teacher)}`,
    );
    await shoot(teacher, dir, '24-editor-published');
    log('ok 24 course published');

    step = '25 student signs up';
    const student = await newPage(browser);
    current = student;
    // Every partial answer to the player's range requests, from the first page on.
    const partial = [];
    student.on('response', (r) => {
      if (r.url().includes('/media/') && r.status() === 206) partial.push(r.headers()['content-range']);
    });
    await goto(student, `${base}/s/${slug}/`, "the school's site");
    check(
      (await student.locator('#catalogue').innerText()).includes('Қазақ тілі'),
      'the course is not in the catalogue',
    );
    await shoot(student, dir, '25-school-site');
    // The course's public page, read without signing in (issue 17, item 3).
    await Promise.all([
      student.waitForURL(`**/s/${slug}/courses/${courseId}`, { waitUntil: 'load' }),
      student.click(`#catalogue a[href="/s/${slug}/courses/${courseId}"]`),
    ]);
    check((await student.locator('.lesson-list li').count()) === 2, 'the public page does not show the outline');
    await shoot(student, dir, '25-course-public');
    await Promise.all([
      student.waitForURL(`**/s/${slug}/signup?course=${courseId}`, { waitUntil: 'load' }),
      student.click('#enrol-signup'),
    ]);
    await student.fill('#full_name', 'Әлия Нұрланқызы');
    await student.fill('#email', studentEmail);
    await student.fill('#password', studentPassword);
    await student.check('#privacy');
    await shoot(student, dir, '26-student-signup');
    await submit(student, SUBMIT);
    check(
      pathOf(student).startsWith(`/s/${slug}/lessons/`),
      `after signing up from the course, not at its first lesson: ${student.url()}${await pageProblems(student)}`,
    );
    log('ok 25 student signed up from the course page, at its first lesson');

    step = '28 enrolled';
    await goto(student, `${base}/s/${slug}/courses/${courseId}`, 'course page');
    check((await student.locator('#course-progress').count()) === 1, 'the student is not enrolled');
    await shoot(student, dir, '28-course-enrolled');
    log('ok 28 enrolled');

    step = '29 text lesson';
    await student.click('.lesson-list a >> nth=0');
    check(
      (await student.locator('.prose strong').innerText()) === 'Сәлеметсіз бе',
      'the text lesson is not rendered',
    );
    await shoot(student, dir, '29-text-lesson');
    await submit(student, '#mark-complete');
    log('ok 29 text lesson complete');

    step = '30 video';
    check((await student.locator('video#player').count()) === 1, `no video player on ${student.url()}`);
    const saved = student.waitForResponse(
      (r) => r.url().endsWith('/progress') && r.request().method() === 'POST',
    );
    await student.evaluate(async () => {
      const v = document.getElementById('player');
      v.muted = true;
      if (v.readyState < 1) await new Promise((ok) => v.addEventListener('loadedmetadata', ok, { once: true }));
      await v.play();
      await new Promise((ok) => v.addEventListener('ended', ok, { once: true }));
    });
    const progress = await saved;
    expectStatus(progress, 200, 'saving the position');
    await student.waitForFunction(
      () => document.getElementById('lesson').getAttribute('data-complete') === 'true',
    );
    // Shown completed without a reload (issue 17, item 9).
    await student.waitForFunction(() => !document.getElementById('lesson-complete').hidden);
    check((await student.locator('#mark-complete').count()) === 0, 'the "mark complete" button stays');
    check(partial.length > 0, 'the video was not fetched with HTTP ranges (no 206)');
    log(`  206 answers: ${partial.slice(0, 3).join(', ')}`);
    await shoot(student, dir, '30-video-lesson');
    await student.reload({ waitUntil: 'load' });
    const position = Number(await student.locator('#lesson').getAttribute('data-position-ms'));
    check(position > 0, `the saved position is ${position}`);
    log(`ok 30 video played, position ${position} ms saved`);

    step = '31 course complete';
    await goto(student, `${base}/s/${slug}/courses/${courseId}`, 'course page');
    check((await student.locator('#course-complete').count()) === 1, 'the course is not complete');
    await shoot(student, dir, '31-course-complete');
    await goto(student, `${base}/s/${slug}/my`, 'my courses');
    await shoot(student, dir, '32-my-courses');
    log('ok 31 course complete');

    step = '33 progress table';
    current = teacher;
    await goto(teacher, `${base}/cabinet/courses/${courseId}/progress`, 'progress table');
    const table = await teacher.locator('#progress-table').innerText();
    check(table.includes('Әлия Нұрланқызы'), 'the student is not in the progress table');
    check((await teacher.locator('#progress-table td.cell-complete').count()) === 2, 'not both lessons complete');
    await shoot(teacher, dir, '33-progress-table');
    log('ok 33 the teacher sees the progress');

    step = '34 lesson editor and trash';
    await goto(teacher, `${base}/cabinet/courses/${courseId}`, 'course editor');
    const editHref = await teacher
      .locator('.editor-lessons a[href^="/cabinet/lessons/"]:not([href$="/preview"])')
      .first()
      .getAttribute('href');
    await goto(teacher, `${base}${editHref}`, 'lesson editor');
    await shoot(teacher, dir, '34-lesson-editor');
    await teacher.fill('#lesson_title', 'Сәлем, әліпби!');
    const lessonSaved = await submit(teacher, '#save-lesson');
    expectStatus(lessonSaved, 200, 'saving the lesson');
    await expectPath(teacher, `/cabinet/courses/${courseId}`, 'back in the editor');
    check((await teacher.locator('.editor-lessons').innerText()).includes('Сәлем, әліпби!'), 'renamed lesson not shown');
    await goto(teacher, `${base}/cabinet/trash`, 'trash');
    await shoot(teacher, dir, '35-trash');
    log('ok 34 lesson edited, trash shown');
    await goto(teacher, `${base}/cabinet/questions`, 'question bank');
    check((await teacher.locator('#questions-none').count()) === 1, 'the empty bank says so');
    await shoot(teacher, dir, '36-question-bank');
    log('ok 35 question bank shown');

    log('all steps passed');
  } catch (e) {
    throw await failed(current, dir, step, e);
  } finally {
    await browser.close().catch(() => {});
  }
}

await run(main);
