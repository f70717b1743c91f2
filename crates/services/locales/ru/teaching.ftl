# Teaching (issue 19): the question bank's page.
questions-title = Банк вопросов
questions-link = Банк вопросов
questions-lead = Вопросы школы для тестов: с выбором одного или нескольких ответов, верно/неверно, короткий ответ, числовой, на соответствие, эссе и описание.
questions-import = Импорт из Moodle
questions-import-lead = Файл GIFT или Moodle XML в UTF-8, до 1 МБ. Если в файле есть вопрос, который нельзя сохранить, по умолчанию не импортируется ничего — как в Moodle; каждый отклонённый вопрос будет назван с причиной.
questions-import-file = Файл
questions-import-format = Формат
questions-import-category = Категория
questions-import-category-hint = Куда попадут вопросы, пока файл сам не назовёт категорию; вложенные через «/». По умолчанию — Default.
questions-import-skip = Импортировать корректные вопросы, пропустив некорректные
questions-import-submit = Импортировать
questions-import-no-file = Выберите файл.
questions-imported-some = Импортировано вопросов: { $count }. Не импортированы:
questions-refused = Вопрос { $number }: { $why }
questions-refused-named = Вопрос { $number } («{ $name }»): { $why }
questions-list = Вопросы
questions-none = В банке пока нет вопросов.
questions-more = Показаны первые { $max } вопросов; все — через API (GET /api/v1/questions).
questions-name = Название
questions-type = Тип
questions-category = Категория
questions-tags = Метки
questions-delete = Удалить
question-type-description = Описание
question-type-essay = Эссе
question-type-multichoice = Выбор ответа
question-type-truefalse = Верно/неверно
question-type-shortanswer = Короткий ответ
question-type-numerical = Числовой
question-type-matching = На соответствие
flash-questions-imported = Вопросы импортированы.
flash-question-deleted = Вопрос удалён.
questions-import-bad-format = Выберите формат: GIFT или Moodle XML.

## Quizzes (issue 19, item 3)
lesson-kind-quiz = тест
err-no-category = Такой категории вопросов нет.
err-no-quiz = Такого теста нет.
err-no-attempt = Такой попытки нет.
err-lesson-no-quiz = Настройки теста бывают только у урока-теста.
err-quiz-one-source = Укажите либо список вопросов, либо случайный выбор из категории, но не то и другое.
err-quiz-questions = Укажите вопросы теста или случайный выбор из категории.
err-quiz-question-twice = Этот вопрос уже есть в тесте.
err-quiz-marks-random = Баллы за вопросы задаются только для списка вопросов; для случайного выбора укажите random.marks.
err-quiz-marks-unknown = Баллы заданы для вопроса, которого нет в тесте.
err-quiz-complete-by-passing = Тест засчитывается, когда он сдан, а не по кнопке.
err-quiz-not-enough = В категории { $found } вопросов, а тест берёт { $count }.
err-quiz-empty = В тесте не осталось вопросов: попросите преподавателя их добавить.
err-no-attempts-left = Попыток больше нет: их было { $count }.
err-attempt-wait = Следующую попытку можно начать через { $minutes } мин.
err-attempt-busy = Попытка уже начата в другой вкладке: обновите страницу.
err-no-slot = В попытке нет такого вопроса.
err-answer-shape = Такой ответ не подходит к вопросу типа «{ $type }».
err-answer-choice = Такого варианта у вопроса нет, или он указан дважды.
err-answer-one-choice = В этом вопросе можно выбрать только один вариант.
err-answer-too-long = Ответ слишком длинный.
err-attempt-time-up = Время попытки вышло: она отправлена с ответами, сохранёнными до этого.
err-attempt-closed = Попытка уже отправлена: ответы больше не принимаются.
err-attempt-in-progress = Попытка ещё не отправлена: оценивать пока нечего.
quiz-title = Тест
quiz-attempts = Ваши попытки
quiz-attempt-number = №
quiz-attempt-state = Состояние
quiz-attempt-started = Начата
quiz-attempt-score = Баллы
quiz-attempt-open = Открыть попытку
quiz-grade = Ваша оценка: { $grade }
quiz-passed = сдан
quiz-not-passed = пока не сдан
quiz-start = Начать тест
quiz-continue = Продолжить попытку
quiz-preview-note = Здесь студенты видят правила теста, свои попытки и кнопку начала.
quiz-visitor-note = Запишитесь на курс, чтобы пройти тест.
quiz-rule-questions = { $count ->
    [one] { $count } вопрос
    [few] { $count } вопроса
   *[many] { $count } вопросов
}
quiz-rule-time = Ограничение времени: { $minutes } мин; когда время выйдет, попытка будет отправлена.
quiz-rule-no-time = Без ограничения времени.
quiz-rule-attempts = Разрешено попыток: { $count } (использовано: { $used }).
quiz-rule-any-attempts = Число попыток не ограничено.
quiz-rule-grading-highest = Оценка — по лучшей попытке.
quiz-rule-grading-average = Оценка — среднее по попыткам.
quiz-rule-grading-first = Оценка — по первой попытке.
quiz-rule-grading-last = Оценка — по последней попытке.
quiz-rule-pass = Проходной результат: { $percent }%.
quiz-rule-delay = Между попытками: { $minutes } мин.
attempt-state-in_progress = идёт
attempt-state-submitted = отправлена, ждёт преподавателя
attempt-state-graded = оценена
quiz-attempt-title = попытка { $number }
quiz-deadline = Время выйдет в { $at }.
quiz-autosaved = Ответы сохранены.
quiz-autosave-failed = Не удалось сохранить ответы: проверьте связь; в форме они остались.
quiz-question = Вопрос { $number }
quiz-marks = Баллов: { $marks }
quiz-mark = Баллы: { $mark }
quiz-true = Верно
quiz-false = Неверно
quiz-your-answer = Ваш ответ
quiz-choose = Выберите…
quiz-save = Сохранить ответы
quiz-submit = Отправить и завершить
quiz-result = Результат
quiz-waiting = Письменные ответы оценит преподаватель; тогда здесь появится оценка.
quiz-score = Баллы: { $score }
quiz-no-answer = нет ответа
quiz-right-answer = Правильный ответ
quiz-comment = Комментарий преподавателя
quiz-back = Вернуться к тесту
flash-attempt-closed = Попытка уже отправлена: вот её результат.
flash-answers-saved = Ответы сохранены.
flash-attempt-submitted = Попытка отправлена.
quiz-settings = Настройки теста
field-quiz_source = Вопросы
quiz-source-fixed = Вопросы, выбранные из банка
quiz-source-random = Случайные вопросы из категории
quiz-questions-hint = Отметьте вопросы теста, в показанном порядке; пустые баллы — собственные баллы вопроса. Импорт вопросов — на странице
quiz-bank-empty = В банке пока нет вопросов: сначала импортируйте файл GIFT или Moodle XML.
quiz-in-quiz = В тесте
quiz-question-marks = Баллы
field-quiz_category = Категория
field-quiz_count = Вопросов в попытке
field-quiz_random_marks = Баллы каждого выбранного вопроса
field-quiz_random_marks-hint = Пусто — собственные баллы вопроса.
field-quiz_time_limit = Ограничение времени, минут
field-quiz_time_limit-hint = Пусто или 0 — без ограничения. Когда время выйдет, попытка будет отправлена с сохранёнными ответами.
field-quiz_attempts = Разрешено попыток
field-quiz_attempts-hint = Пусто или 0 — без ограничения.
field-quiz_grading = Оценка по попыткам
field-quiz_pass_percent = Проходной результат, %
field-quiz_pass_percent-hint = Проходная оценка завершает урок; пусто — урок завершает любая отправленная попытка.
field-quiz_delay = Минут между попытками
field-quiz_shuffle = Перемешивать варианты в каждой попытке
field-quiz_review_score = После отправки студент видит баллы
field-quiz_review_feedback = … отзывы к ответам
field-quiz_review_right = … правильные ответы
quiz-grading-highest = Лучшая попытка
quiz-grading-average = Среднее по попыткам
quiz-grading-first = Первая попытка
quiz-grading-last = Последняя попытка
error-number = Укажите целое число.
error-quiz-marks = Укажите баллы числом, например 1 или 0,5.
flash-quiz-added = Тест добавлен: теперь выберите его вопросы.
quiz-time-left = Осталось:
quiz-attempts-title = Попытки
quiz-attempts-none = Тест ещё никто не проходил.
quiz-attempts-link = Попытки студентов и оценивание
quiz-grade-it = Оценить
quiz-to-grade = нужно оценить
quiz-student-answer = Ответ студента
quiz-attempt-running = Попытка ещё идёт: оценить её можно после отправки.
quiz-grade-mark = Баллы (из { $marks })
quiz-save-grades = Сохранить оценки
flash-attempt-graded = Оценки сохранены.
field-lesson_stop = Стоп-урок: следующие уроки откроются, когда студент его пройдёт (сдаст тест)
courses-stop-lesson = стоп-урок
lesson-locked-stop = Откроется, когда будет пройден стоп-урок «{ $lesson }».
lesson-stop-note = Стоп-урок: следующие уроки откроются, когда вы его пройдёте.
quiz-student-gone = (студента больше нет в школе)
quiz-attempts-more = Показаны { $shown } самых срочных из { $total } попыток (сначала ждущие оценки, затем новые); все — через GET /api/v1/quizzes/…/attempts.
quiz-grades-refused = Часть оценок не сохранена: см. отмеченные вопросы ниже. Ничего не изменено.
quiz-grade-mark-needed = Чтобы сохранить комментарий, укажите баллы.
quiz-grade-range = Укажите число от 0 до { $marks }.
quiz-outcome-right = верно
quiz-outcome-partial = частично верно
quiz-outcome-wrong = неверно
flash-attempt-unchanged = Ничего не изменилось.
quiz-answers-refused = Ничего не сохранено: ответ ниже не подходит к своему вопросу. Исправьте его — остальные ответы формы сохранятся вместе с ним.
quiz-autosave-signed-out = Вы вышли из системы: войдите снова в другой вкладке и вернитесь; ответы остались в этой форме.
quiz-time-warning = Осталось времени:
quiz-autosave-refused = Ответ не принят: нажмите «Сохранить ответы», чтобы увидеть какой.
quiz-grade-conflict = Пока вы оценивали, этот вопрос оценил кто-то другой: теперь показана его оценка. Укажите свою снова, если её нужно изменить.

## Assignments (issue 19, item 4)
lesson-kind-assignment = задание
err-no-assignment = Это не задание.
err-no-submission = Такой работы нет.
err-submission-waiting = Работа уже отправлена и ждёт проверки: ответить снова можно, когда её вернут на доработку.
err-submission-accepted = Работа уже принята.
err-submission-not-waiting = Работа не ждёт проверки: её уже проверили или ученик ещё не ответил после возврата.
err-answer-empty = Напишите ответ или приложите файл.
err-file-in-answer = Этот файл уже приложен к ответу.
err-assignment-complete-by-review = Задание засчитывается, когда преподаватель принимает работу, а не по кнопке.
mail-assignment-grade = Оценка: { $grade } из { $max }.
mail-assignment-submitted-subject = Работа по уроку «{ $lesson }» отправлена
mail-assignment-submitted-body =
    Здравствуйте, { $name }!

    Ваша работа по уроку «{ $lesson }» курса «{ $course }» отправлена на проверку. Мы напишем, когда преподаватель её проверит.

    Урок: { $url }

    { $school }
mail-assignment-returned-subject = Работу по уроку «{ $lesson }» вернули на доработку
mail-assignment-returned-body =
    Здравствуйте, { $name }!

    Преподаватель вернул вашу работу по уроку «{ $lesson }» курса «{ $course }» на доработку:

    { $details }Исправьте работу и отправьте её снова: { $url }

    { $school }
mail-assignment-accepted-subject = Работа по уроку «{ $lesson }» принята
mail-assignment-accepted-body =
    Здравствуйте, { $name }!

    Преподаватель принял вашу работу по уроку «{ $lesson }» курса «{ $course }».

    { $details }Урок: { $url }

    { $school }
mail-assignment-comment-subject = Новый комментарий к работе по уроку «{ $lesson }»
mail-assignment-comment-body =
    Здравствуйте, { $name }!

    Преподаватель прокомментировал вашу работу по уроку «{ $lesson }» курса «{ $course }»:

    { $details }Ответить: { $url }

    { $school }
assignment-title = Задание
assignment-status-new = Ещё не отправлено
assignment-status-submitted = Отправлено, ждёт проверки
assignment-status-returned = Возвращено на доработку
assignment-status-accepted = Принято
assignment-status-all = Все
assignment-grade = Оценка
assignment-entry-answer = Ответ
assignment-entry-comment = Комментарий
assignment-entry-returned = Возвращено на доработку
assignment-entry-accepted = Принято
assignment-answer = Ваш ответ
assignment-answer-again = Исправленный ответ
assignment-text = Текст ответа
assignment-files = Файлы
assignment-files-hint = До 10 файлов; каждый загружается сразу, как вы его выберете.
assignment-files-need-script = Чтобы приложить файлы, включите JavaScript; текст ответа можно отправить и без него.
assignment-file-remove = Убрать
assignment-uploading = Загружается…
assignment-upload-failed = Файл «{ $name }» не загрузился: { $reason }
assignment-send = Отправить на проверку
assignment-comment = Комментарий
assignment-comment-send = Отправить комментарий
assignment-preview-note = Здесь ученик отправит ответ и увидит, что скажет преподаватель.
assignment-visitor-note = Войдите и запишитесь на курс, чтобы выполнить задание.
submissions-title = Работы учеников
submissions-state = Состояние
submissions-course = Курс
submissions-all-courses = Все курсы
submissions-lesson = Урок
submissions-sent = Отправлено
submissions-filter = Показать
submissions-none = Работ нет.
submissions-review = Проверить
submissions-open = Открыть
submissions-next = Дальше →
submission-task = Текст задания
submission-decide = Проверка
submission-decision = Решение
submission-accept = Принять
submission-return = Вернуть на доработку
submission-grade-label = Оценка от 0 до { $max }
submission-comment-label = Комментарий ученику
submission-comment-hint = Обязателен, если работа возвращается: скажите, что исправить.
submission-send = Сохранить решение
submission-not-waiting-returned = Работа возвращена на доработку: ученик ещё не ответил.
submission-not-waiting-accepted = Работа принята.
submission-not-waiting-submitted = Работа ждёт проверки.
flash-answer-sent = Ответ отправлен на проверку.
flash-comment-sent = Комментарий отправлен.
flash-work-accepted = Работа принята; ученику ушло письмо.
flash-work-returned = Работа возвращена на доработку; ученику ушло письмо.
flash-work-not-waiting = Работа уже не ждёт проверки: её проверил кто-то другой. Вот она сейчас.

## The gradebook (issue 19, item 5)
gradebook-title = Журнал оценок
gradebook-caption = Ученики и их оценки за тесты и задания курса
gradebook-student = Ученик
gradebook-email = Эл. почта
gradebook-course-grade = Оценка за курс
gradebook-done = Пройдено уроков
gradebook-completed = Курс пройден
gradebook-all-students = Все ученики
gradebook-download = Скачать
gradebook-no-items = В курсе пока нет тестов и заданий: оценивать нечего.
gradebook-mine = Мои оценки
grade-state-none = не начато
grade-state-waiting = ждёт проверки
grade-state-returned = на доработке
grade-state-failed = не сдано
grade-state-passed = сдано
err-gradebook-format = Формат — json, csv или xlsx.

## Certificates (issue 19, item 6)
field-certificate = По окончании курса ученик получает сертификат (все обязательные уроки пройдены, тесты сданы, задания приняты)
certificate-title = Сертификат
certificate-intro = Настоящим подтверждается, что
certificate-completed = успешно прошёл(-ла) курс
certificate-date = Дата
certificate-code = Код проверки
certificate-verify = Проверить
certificate-download = скачать PDF
certificate-revoke = Отозвать
certificate-revoked-short = отозван
certificates-title = Сертификаты
certificates-none = Сертификатов пока нет.
certificates-off = Курс не выдаёт сертификаты: это включается в настройках курса.
cert-check-title = Проверка сертификата
cert-check-code = Код
cert-check-valid = Сертификат действителен.
cert-check-revoked = Сертификат отозван школой { $at }: он больше ничего не подтверждает.
cert-check-unknown = Сертификата с таким кодом нет. Проверьте код: он напечатан на сертификате под QR-кодом.
cert-check-holder = Кому выдан
cert-check-course = Курс
cert-check-school = Школа
cert-check-date = Дата выдачи
flash-certificate-revoked = Сертификат отозван.
err-no-certificate = Такого сертификата нет.
err-certificate-revoked = Сертификат отозван.
questions-export = Скачать банк в формате Moodle XML
content-copy-suffix = (копия)
courses-duplicate = Дублировать
courses-copy = Копировать курс
flash-lesson-duplicated = Урок скопирован: копия стоит сразу после него.
flash-course-copied = Курс скопирован: это копия, черновик.
err-too-many-uploads = Выбрано уже { $max } файлов, которые ещё не отправлены: отправьте ответ или уберите лишние.
flash-answer-refused = Ответ не принят: работа уже отправлена или принята.
err-export-too-many = В выгрузке больше { $max } вопросов: выгрузите категории по одной.

# The course builder (issue 19, item 1)
field-lesson_published = Опубликован: студенты видят урок (черновик видят только преподаватели)
outline-hint = Перетащите модуль или урок за значок ⠿ или нажмите на значок, двигайте стрелками ↑ и ↓ и нажмите ещё раз (Esc вернёт на место). Ссылки ↑/↓ делают то же по одному шагу.
outline-move = Переместить
outline-grabbed = Взято; двигайте стрелками ↑ и ↓, нажмите ещё раз, чтобы поставить, Esc — отмена
outline-moved = Теперь на месте
outline-dropped = Сохранено на новом месте
outline-cancelled = Возвращено на прежнее место
outline-failed = Новый порядок не сохранился: страница обновится.
lesson-status-draft = черновик
courses-free-preview-badge = бесплатный предпросмотр
lesson-publish = Опубликовать
lesson-unpublish = В черновики
flash-lesson-published = Урок опубликован: студенты его видят.
flash-lesson-unpublished = Урок снова черновик: студенты его больше не видят.
md-toolbar = Оформление
md-heading = Заголовок
md-bold = Жирный
md-italic = Курсив
md-ul = Маркированный список
md-ol = Нумерованный список
md-link = Ссылка
md-quote = Цитата
md-code = Код
md-table = Таблица
md-image = Картинка (или вставьте/перетащите её в текст)
md-uploading = Загрузка
md-upload-failed = Картинка не загрузилась:
md-sample = текст
md-table-sample = | Столбец | Столбец |\n| --- | --- |\n| ячейка | ячейка |
md-preview = Предпросмотр
md-preview-hint = как увидят студенты

# Questions and categories on the bank's pages (issue 19, item 2)
question-new-title = Новый вопрос
question-edit-title = Вопрос
question-format-markdown = Тексты пишутся в Markdown.
question-format-html = Тексты в HTML (как импортированы).
question-format-moodle = Тексты в простом формате Moodle (как импортированы).
question-format-plain = Тексты — простой текст.
question-field-text = Текст вопроса
question-field-category = Категория (вложенные через «/»; создаётся, если её нет)
question-field-tags = Метки через запятую
question-field-mark = Баллы
question-field-feedback = Общий отзыв (показывается после ответа, каким бы он ни был)
question-correct = Правильный ответ
question-true = Верно
question-false = Неверно
question-single = Только один ответ (переключатели); иначе несколько (флажки)
question-shuffle = Перемешивать ответы в каждой попытке
question-case-sensitive = Регистр букв важен
question-answers-multichoice = Варианты ответа
question-answers-multichoice-hint = Нужен вариант на 100%; при нескольких ответах положительные доли в сумме дают 100%, а неверные могут снимать баллы. Пустые строки пропускаются.
question-answers-shortanswer = Принимаемые ответы
question-answers-shortanswer-hint = Нужен ответ на 100%; * заменяет любые символы (\* — сама звёздочка). Пустые строки пропускаются.
question-answers-numerical = Принимаемые числа
question-answers-numerical-hint = Нужен ответ на 100%; число засчитывается в пределах погрешности (3,14 ± 0,01). * принимает любое число. Пустые строки пропускаются.
question-answer-n = Ответ { $n }
question-tolerance = Погрешность ±
question-fraction = Доля баллов
question-answer-feedback = Отзыв на этот ответ
question-pairs = Вопросы и их ответы
question-pairs-hint = Хотя бы два вопроса с ответом; ответ без вопроса — лишний вариант для отвлечения. Пустые строки пропускаются.
question-pair-item = Вопрос { $n }
question-pair-answer = Его ответ { $n }
question-more-rows = Ещё три строки
question-save = Сохранить вопрос
flash-question-saved = Вопрос сохранён.
flash-question-created = Вопрос добавлен в банк.
questions-new = Новый вопрос
questions-new-type = Тип
questions-new-submit = Написать вопрос
questions-edit = Изменить
questions-filter-category = Категория
questions-filter-all = Все категории
questions-filter-submit = Показать
categories-title = Категории
categories-lead = Переименуйте категорию, перенесите её в другую (вместе с вопросами и подкатегориями) или удалите пустую.
categories-none = Категорий пока нет: они появятся с первым вопросом или импортом.
categories-path = Категория
categories-questions = Вопросов
categories-name = Название
categories-parent = Внутри
categories-top = (верхний уровень)
categories-save = Сохранить
categories-delete = Удалить
flash-category-saved = Категория сохранена.
flash-category-deleted = Категория удалена.
question-correct-missing = Выберите правильный ответ.
