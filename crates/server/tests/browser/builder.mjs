// The course builder of issue 19 (item 1) in headless Chromium (playwright-core):
//
//   node crates/server/tests/browser/builder.mjs <base_url> <screenshot_dir>
//
// Against a server in --test-mode on a fresh database: a school signs up and makes a course of
// two modules (API). The owner, in the cabinet, moves a lesson with the keyboard alone (the
// handle, ↑, Enter) into the module above and drags another with the mouse; both orders are
// saved (read again through the API). The new-lesson form shows only the chosen kind's fields.
// In a text lesson's editor the toolbar makes Markdown, the live preview shows it as students
// will, and an image uploaded by the toolbar's button appears in the preview through a signed
// link. A question is written on the bank's page, with the category it names. Every page is shot at 390 and 1280 px and audited with axe. Exits 0 on success, else
// prints what failed and exits 1.

import { mkdir } from 'node:fs/promises';
import zlib from 'node:zlib';
import {
  SUBMIT,
  api,
  check,
  expectPath,
  failed,
  goto,
  launch,
  log,
  newPage,
  pageProblems,
  randomSuffix,
  run,
  shoot,
  signUpSchool,
  submit,
  usage,
} from './common.mjs';

// A 64×40 PNG of two colours, made here (zlib from Node itself).
function png() {
  const [w, h] = [64, 40];
  const rows = [];
  for (let y = 0; y < h; y++) {
    rows.push(0);
    for (let x = 0; x < w; x++) rows.push(...(y < h / 2 ? [0, 175, 202] : [254, 197, 12]));
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function order(base, token, courseId) {
  const course = await api(base, 'GET', `/api/v1/courses/${courseId}`, undefined, token);
  return course.modules.map((m) => `${m.title}: ${m.lessons.map((l) => l.title).join(', ')}`).join(' | ');
}

async function main() {
  const [baseArg, dir] = process.argv.slice(2);
  if (!baseArg || !dir) usage();
  const base = baseArg.replace(/\/+$/, '');
  await mkdir(dir, { recursive: true });
  const suffix = randomSuffix();
  const slug = `build-${suffix}`;
  const ownerEmail = `owner-${suffix}@example.kz`;
  const password = 'Kazakh-2027!';
  log(`base ${base}, school ${slug}`);

  const token = await signUpSchool(base, slug, ownerEmail, password);
  const course = await api(base, 'POST', '/api/v1/courses', { title: 'Биология' }, token);
  const m1 = await api(base, 'POST', `/api/v1/courses/${course.id}/modules`, { title: 'Клетка' }, token);
  const m2 = await api(base, 'POST', `/api/v1/courses/${course.id}/modules`, { title: 'Ткани' }, token);
  const lesson = (module, title) =>
    api(base, 'POST', `/api/v1/courses/${course.id}/lessons`, { module_id: module.id, title, body: title }, token);
  const membrane = await lesson(m1, 'Мембрана');
  await lesson(m1, 'Ядро');
  const epithelium = await lesson(m2, 'Эпителий');
  await lesson(m2, 'Мышцы');

  const browser = await launch();
  let step = 'launch';
  let current = null;
  try {
    step = '60 the owner moves a lesson with the keyboard';
    const owner = await newPage(browser);
    current = owner;
    await goto(owner, `${base}/login`, 'login page');
    await owner.fill('#email', ownerEmail);
    await owner.fill('#password', password);
    await submit(owner, SUBMIT);
    await expectPath(owner, '/cabinet', 'after the owner signs in');
    await goto(owner, `${base}/cabinet/courses/${course.id}`, 'the course builder');
    check(!(await owner.locator('#outline-hint').isHidden()), 'the builder hint stays hidden');
    const handle = owner.locator(`#lesson-${epithelium.id} .drag-handle`);
    check(!(await handle.isHidden()), 'the drag handle stays hidden');
    await handle.focus();
    await owner.keyboard.press('Enter');
    check((await handle.getAttribute('aria-pressed')) === 'true', 'the handle did not pick the lesson up');
    await owner.keyboard.press('ArrowUp');
    const status = await owner.locator('#outline-status').innerText();
    check(status.includes('Клетка'), `the move was not announced: ${status}`);
    await shoot(owner, dir, '60-builder-grabbed');
    await owner.locator(`#lesson-${epithelium.id} .drag-handle`).focus();
    const [saved] = await Promise.all([
      owner.waitForResponse((r) => r.url().endsWith('/outline') && r.request().method() === 'POST'),
      owner.keyboard.press('Enter'),
    ]);
    check(saved.status() === 204, `saving the order answered ${saved.status()}`);
    let now = await order(base, token, course.id);
    check(now === 'Клетка: Мембрана, Ядро, Эпителий | Ткани: Мышцы', `after the keyboard move: ${now}`);
    log('ok 60 moved with the keyboard alone and saved');

    step = '61 the owner drags a lesson with the mouse';
    const [dragged] = await Promise.all([
      owner.waitForResponse((r) => r.url().endsWith('/outline') && r.request().method() === 'POST'),
      owner.locator(`#lesson-${membrane.id}`).dragTo(owner.locator(`[data-module="${m2.id}"] [data-lesson]`).first(), {
        targetPosition: { x: 10, y: 2 },
      }),
    ]);
    check(dragged.status() === 204, `saving the dragged order answered ${dragged.status()}`);
    now = await order(base, token, course.id);
    check(now === 'Клетка: Ядро, Эпителий | Ткани: Мембрана, Мышцы', `after the drag: ${now}`);
    log('ok 61 dragged into the other module and saved');

    step = '62 the new-lesson form shows the kind\'s fields';
    await goto(owner, `${base}/cabinet/courses/${course.id}`, 'the builder again');
    check(!(await owner.locator('#lesson_body').isHidden()), 'a text lesson has no text field');
    check(await owner.locator('#embed_url').isHidden(), 'a text lesson shows the embed link');
    await owner.selectOption('#lesson_kind', 'embed');
    check(await owner.locator('#lesson_body').isHidden(), 'an embed shows the text field');
    check(!(await owner.locator('#embed_url').isHidden()), 'an embed has no link field');
    await owner.selectOption('#lesson_kind', 'video');
    check(!(await owner.locator('#lesson-file').isHidden()), 'a video has no file field');
    check(!(await owner.locator('#lesson-captions').isHidden()), 'a video has no captions field');
    await owner.selectOption('#lesson_kind', 'text');
    await shoot(owner, dir, '62-builder');
    log('ok 62 only the chosen kind\'s fields');

    step = '63 the Markdown editor';
    await goto(owner, `${base}/cabinet/lessons/${membrane.id}`, 'the lesson editor');
    await owner.fill('#lesson_body', '');
    await owner.locator('#lesson_body').focus();
    await owner.locator('[data-md="heading"]').click();
    await owner.keyboard.type('Строение');
    await owner.keyboard.press('End');
    await owner.keyboard.press('Enter');
    await owner.keyboard.press('Enter');
    await owner.locator('[data-md="bold"]').click();
    await owner.keyboard.type('липиды');
    await owner.locator('#md-preview strong', { hasText: 'липиды' }).waitFor();
    await owner.locator('#md-preview h2', { hasText: 'Строение' }).waitFor();
    // Past the bold's closing marks, then a new paragraph for the image.
    await owner.keyboard.press('End');
    const [uploaded] = await Promise.all([
      owner.waitForResponse((r) => r.url().includes('/cabinet/media?') && r.request().method() === 'POST'),
      owner.locator('.md-image-input').setInputFiles({ name: 'клетка.png', mimeType: 'image/png', buffer: png() }),
    ]);
    check(uploaded.status() === 201, `the image upload answered ${uploaded.status()}`);
    const img = owner.locator('#md-preview img[alt="клетка"]');
    await img.waitFor();
    const src = await img.getAttribute('src');
    check(src.startsWith('/media/') && src.includes('&s='), `the preview image is not signed: ${src}`);
    check(
      await img.evaluate((e) => e.complete && e.naturalWidth === 64),
      'the preview image did not load',
    );
    const text = await owner.inputValue('#lesson_body');
    check(/!\[клетка\]\(media:[0-9a-f-]{36}\)/.test(text), `the text names no image: ${text}`);
    await shoot(owner, dir, '63-markdown-editor');
    await submit(owner, '#save-lesson');
    await expectPath(owner, `/cabinet/courses/${course.id}`, `after saving${await pageProblems(owner)}`);
    const saved2 = await api(base, 'GET', `/api/v1/lessons/${membrane.id}`, undefined, token);
    const body = saved2.body.replace(/\r/g, '');
    check(body.startsWith('## Строение\n\n**липиды**\n\n![клетка](media:'), `saved text: ${body}`);
    log('ok 63 toolbar, live preview and an uploaded image');

    step = '64 a question written on the bank\'s page';
    await goto(owner, `${base}/cabinet/questions/new?type=multichoice`, 'a new question');
    await owner.fill('#name', 'Органеллы');
    await owner.fill('#text', 'Что есть в **клетке** растения?');
    await owner.fill('#category', 'Биология / Клетка');
    await owner.uncheck('#single');
    await owner.fill('#answer_text_0', 'Хлоропласты');
    await owner.selectOption('#answer_fraction_0', '50');
    await owner.fill('#answer_text_1', 'Клеточная стенка');
    await owner.selectOption('#answer_fraction_1', '50');
    await owner.fill('#answer_text_2', 'Скелет');
    await owner.selectOption('#answer_fraction_2', '-100');
    await shoot(owner, dir, '64-question-form');
    await submit(owner, '#save-question');
    await expectPath(owner, '/cabinet/questions', `after saving the question${await pageProblems(owner)}`);
    check((await owner.locator('#questions tbody tr', { hasText: 'Органеллы' }).count()) === 1, 'the question is not listed');
    check((await owner.locator('#categories tbody td:first-child', { hasText: 'Биология / Клетка' }).count()) === 1, 'its category is not listed');
    await shoot(owner, dir, '65-question-bank');
    log('ok 64 a question written on the page');

    log('all steps passed');
  } catch (e) {
    throw await failed(current, dir, step, e);
  } finally {
    await browser.close().catch(() => {});
  }
}

await run(main);
