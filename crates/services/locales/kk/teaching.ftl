# Teaching (issue 19): the question bank's page.
questions-title = Сұрақтар банкі
questions-link = Сұрақтар банкі
questions-lead = Мектептің тесттерге арналған сұрақтары: бір немесе бірнеше жауапты таңдау, дұрыс/бұрыс, қысқа жауап, сандық, сәйкестендіру, эссе және сипаттама.
questions-import = Moodle-ден импорт
questions-import-lead = UTF-8 кодтауындағы GIFT немесе Moodle XML файлы, 1 МБ-қа дейін. Файлда сақталмайтын сұрақ болса, әдепкіде ештеңе импортталмайды — Moodle-дегідей; қабылданбаған әр сұрақ себебімен аталады.
questions-import-file = Файл
questions-import-format = Пішім
questions-import-category = Санат
questions-import-category-hint = Файлда санат көрсетілмейінше сұрақтар осы санатқа түседі; ішкі санаттар «/» арқылы жазылады. Әдепкі мәні — Default.
questions-import-skip = Жарамды сұрақтарды импорттап, қалғандарын өткізіп жіберу
questions-import-submit = Импорттау
questions-import-no-file = Файлды таңдаңыз.
questions-imported-some = Импортталған сұрақтар: { $count }. Импортталмағандары:
questions-refused = { $number }-сұрақ: { $why }
questions-refused-named = { $number }-сұрақ («{ $name }»): { $why }
questions-list = Сұрақтар
questions-none = Банкте әзірге сұрақ жоқ.
questions-more = Алғашқы { $max } сұрақ көрсетілді; барлығы — API арқылы (GET /api/v1/questions).
questions-name = Атауы
questions-type = Түрі
questions-category = Санат
questions-tags = Белгілер
questions-delete = Жою
question-type-description = Сипаттама
question-type-essay = Эссе
question-type-multichoice = Жауап таңдау
question-type-truefalse = Дұрыс/бұрыс
question-type-shortanswer = Қысқа жауап
question-type-numerical = Сандық
question-type-matching = Сәйкестендіру
flash-questions-imported = Сұрақтар импортталды.
flash-question-deleted = Сұрақ жойылды.
questions-import-bad-format = Пішімді таңдаңыз: GIFT немесе Moodle XML.

## Quizzes (issue 19, item 3)
lesson-kind-quiz = тест
err-no-category = Мұндай сұрақтар санаты жоқ.
err-no-quiz = Мұндай тест жоқ.
err-no-attempt = Мұндай әрекет жоқ.
err-lesson-no-quiz = Тест баптаулары тек тест-сабақта болады.
err-quiz-one-source = Сұрақтар тізімін не санаттан кездейсоқ таңдауды көрсетіңіз, екеуін бірге емес.
err-quiz-questions = Тест сұрақтарын немесе санаттан кездейсоқ таңдауды көрсетіңіз.
err-quiz-question-twice = Бұл сұрақ тестте бар.
err-quiz-marks-random = Сұрақтарға балл тек сұрақтар тізіміне беріледі; кездейсоқ таңдау үшін random.marks көрсетіңіз.
err-quiz-marks-unknown = Балл тестте жоқ сұраққа берілген.
err-quiz-complete-by-passing = Тест батырмамен емес, тапсырылғанда есептеледі.
err-quiz-not-enough = Санатта { $found } сұрақ бар, ал тест { $count } алады.
err-quiz-empty = Тестте сұрақ қалмады: оқытушыдан қосуды сұраңыз.
err-no-attempts-left = Әрекет қалмады: олар { $count } болатын.
err-attempt-wait = Келесі әрекетті { $minutes } минуттан кейін бастауға болады.
err-attempt-busy = Әрекет басқа бетте басталып қойған: бетті жаңартыңыз.
err-no-slot = Әрекетте мұндай сұрақ жоқ.
err-answer-shape = Бұл жауап «{ $type }» түріндегі сұраққа сай емес.
err-answer-choice = Сұрақта мұндай нұсқа жоқ немесе ол екі рет көрсетілген.
err-answer-one-choice = Бұл сұрақта тек бір нұсқаны таңдауға болады.
err-answer-too-long = Жауап тым ұзын.
err-attempt-time-up = Әрекеттің уақыты бітті: ол бұрын сақталған жауаптармен жіберілді.
err-attempt-closed = Әрекет жіберіліп қойған: жауаптар енді қабылданбайды.
err-attempt-in-progress = Әрекет әлі жіберілмеген: бағалайтын ештеңе жоқ.
quiz-title = Тест
quiz-attempts = Сіздің әрекеттеріңіз
quiz-attempt-number = №
quiz-attempt-state = Күйі
quiz-attempt-started = Басталды
quiz-attempt-score = Балл
quiz-attempt-open = Әрекетті ашу
quiz-grade = Сіздің бағаңыз: { $grade }
quiz-passed = тапсырылды
quiz-not-passed = әлі тапсырылмады
quiz-start = Тестті бастау
quiz-continue = Әрекетті жалғастыру
quiz-preview-note = Мұнда студенттер тест ережелерін, өз әрекеттерін және бастау батырмасын көреді.
quiz-visitor-note = Тестті тапсыру үшін курсқа жазылыңыз.
quiz-rule-questions = { $count } сұрақ
quiz-rule-time = Уақыт шегі: { $minutes } мин; уақыт біткенде әрекет жіберіледі.
quiz-rule-no-time = Уақыт шектелмеген.
quiz-rule-attempts = Рұқсат етілген әрекеттер: { $count } (пайдаланылды: { $used }).
quiz-rule-any-attempts = Әрекеттер саны шектелмеген.
quiz-rule-grading-highest = Баға — ең үздік әрекет бойынша.
quiz-rule-grading-average = Баға — әрекеттердің орташасы.
quiz-rule-grading-first = Баға — бірінші әрекет бойынша.
quiz-rule-grading-last = Баға — соңғы әрекет бойынша.
quiz-rule-pass = Өту шегі: { $percent }%.
quiz-rule-delay = Әрекеттер арасында: { $minutes } мин.
attempt-state-in_progress = жүріп жатыр
attempt-state-submitted = жіберілді, оқытушыны күтуде
attempt-state-graded = бағаланды
quiz-attempt-title = { $number }-әрекет
quiz-deadline = Уақыт { $at } бітеді.
quiz-autosaved = Жауаптар сақталды.
quiz-autosave-failed = Жауаптар сақталмады: байланысты тексеріңіз; олар формада қалды.
quiz-question = { $number }-сұрақ
quiz-marks = Балл: { $marks }
quiz-mark = Балл: { $mark }
quiz-true = Дұрыс
quiz-false = Бұрыс
quiz-your-answer = Сіздің жауабыңыз
quiz-choose = Таңдаңыз…
quiz-save = Жауаптарды сақтау
quiz-submit = Жіберу және аяқтау
quiz-result = Нәтиже
quiz-waiting = Жазбаша жауаптарды оқытушы бағалайды; сонда баға осында шығады.
quiz-score = Балл: { $score }
quiz-no-answer = жауап жоқ
quiz-right-answer = Дұрыс жауап
quiz-comment = Оқытушының пікірі
quiz-back = Тестке оралу
flash-attempt-closed = Әрекет бұрын жіберілген: міне, оның нәтижесі.
flash-answers-saved = Жауаптар сақталды.
flash-attempt-submitted = Әрекет жіберілді.
quiz-settings = Тест баптаулары
field-quiz_source = Сұрақтар
quiz-source-fixed = Банктен таңдалған сұрақтар
quiz-source-random = Санаттан кездейсоқ сұрақтар
quiz-questions-hint = Тест сұрақтарын көрсетілген ретпен белгілеңіз; бос балл — сұрақтың өз баллы. Сұрақтарды импорттау — мына бетте
quiz-bank-empty = Банкте әзірге сұрақ жоқ: алдымен GIFT немесе Moodle XML файлын импорттаңыз.
quiz-in-quiz = Тестте
quiz-question-marks = Балл
field-quiz_category = Санат
field-quiz_count = Әрекеттегі сұрақтар саны
field-quiz_random_marks = Әр таңдалған сұрақтың баллы
field-quiz_random_marks-hint = Бос — сұрақтың өз баллы.
field-quiz_time_limit = Уақыт шегі, минут
field-quiz_time_limit-hint = Бос немесе 0 — шектеусіз. Уақыт біткенде әрекет сақталған жауаптармен жіберіледі.
field-quiz_attempts = Рұқсат етілген әрекеттер
field-quiz_attempts-hint = Бос немесе 0 — шектеусіз.
field-quiz_grading = Әрекеттер бойынша баға
field-quiz_pass_percent = Өту шегі, %
field-quiz_pass_percent-hint = Өту бағасы сабақты аяқтайды; бос болса — кез келген жіберілген әрекет аяқтайды.
field-quiz_delay = Әрекеттер арасындағы минуттар
field-quiz_shuffle = Әр әрекетте нұсқаларды араластыру
field-quiz_review_score = Жібергеннен кейін студент балды көреді
field-quiz_review_feedback = … жауаптарға пікірлерді
field-quiz_review_right = … дұрыс жауаптарды
quiz-grading-highest = Ең үздік әрекет
quiz-grading-average = Әрекеттердің орташасы
quiz-grading-first = Бірінші әрекет
quiz-grading-last = Соңғы әрекет
error-number = Бүтін сан көрсетіңіз.
error-quiz-marks = Балды санмен көрсетіңіз, мысалы 1 немесе 0,5.
flash-quiz-added = Тест қосылды: енді оның сұрақтарын таңдаңыз.
quiz-time-left = Қалды:
quiz-attempts-title = Әрекеттер
quiz-attempts-none = Тестті әлі ешкім тапсырған жоқ.
quiz-attempts-link = Студенттердің әрекеттері және бағалау
quiz-grade-it = Бағалау
quiz-to-grade = бағалау керек
quiz-student-answer = Студенттің жауабы
quiz-attempt-running = Әрекет әлі жүріп жатыр: жіберілгеннен кейін бағалауға болады.
quiz-grade-mark = Балл ({ $marks } ішінен)
quiz-save-grades = Бағаларды сақтау
flash-attempt-graded = Бағалар сақталды.
field-lesson_stop = Стоп-сабақ: келесі сабақтар студент оны өткенде ашылады (тестті тапсырғанда)
courses-stop-lesson = стоп-сабақ
lesson-locked-stop = «{ $lesson }» стоп-сабағы өтілгенде ашылады.
lesson-stop-note = Стоп-сабақ: келесі сабақтар сіз оны өткенде ашылады.
quiz-student-gone = (студент мектепте енді жоқ)
quiz-attempts-more = { $total } әрекеттің ең шұғыл { $shown } әрекеті көрсетілді (алдымен бағаны күтетіндер, сосын жаңалары); барлығы — GET /api/v1/quizzes/…/attempts арқылы.
quiz-grades-refused = Кейбір бағалар сақталмады: төмендегі белгіленген сұрақтарды қараңыз. Ештеңе өзгерген жоқ.
quiz-grade-mark-needed = Пікірді сақтау үшін балл көрсетіңіз.
quiz-grade-range = 0-ден { $marks }-ге дейінгі сан көрсетіңіз.
quiz-outcome-right = дұрыс
quiz-outcome-partial = ішінара дұрыс
quiz-outcome-wrong = бұрыс
flash-attempt-unchanged = Ештеңе өзгерген жоқ.
quiz-answers-refused = Ештеңе сақталмады: төмендегі жауап өз сұрағына сәйкес емес. Оны түзетіңіз — форманың басқа жауаптары онымен бірге сақталады.
quiz-autosave-signed-out = Сіз жүйеден шықтыңыз: басқа қойындыда қайта кіріп, оралыңыз; жауаптар осы формада қалды.
quiz-time-warning = Қалған уақыт:
quiz-autosave-refused = Жауап қабылданбады: қайсысы екенін көру үшін «Жауаптарды сақтау» батырмасын басыңыз.
quiz-grade-conflict = Сіз бағалап жатқанда бұл сұрақты басқа біреу бағалады: енді оның бағасы көрсетілген. Өзгерту керек болса, өз бағаңызды қайта көрсетіңіз.

## Assignments (issue 19, item 4)
lesson-kind-assignment = тапсырма
err-no-assignment = Бұл тапсырма емес.
err-no-submission = Мұндай жұмыс жоқ.
err-submission-waiting = Жұмыс жіберілді және тексеруді күтіп тұр: оны пысықтауға қайтарғанда қайта жауап беруге болады.
err-submission-accepted = Жұмыс қабылданып қойған.
err-submission-not-waiting = Жұмыс тексеруді күтіп тұрған жоқ: ол тексерілді немесе оқушы қайтарылғаннан кейін әлі жауап бермеді.
err-answer-empty = Жауап жазыңыз немесе файл тіркеңіз.
err-file-in-answer = Бұл файл жауапқа тіркеліп қойған.
err-assignment-complete-by-review = Тапсырма батырмамен емес, оқытушы жұмысты қабылдағанда есептеледі.
mail-assignment-grade = Баға: { $max } ішінен { $grade }.
mail-assignment-submitted-subject = «{ $lesson }» сабағы бойынша жұмыс жіберілді
mail-assignment-submitted-body =
    Сәлеметсіз бе, { $name }!

    «{ $course }» курсының «{ $lesson }» сабағы бойынша жұмысыңыз тексеруге жіберілді. Оқытушы тексергенде хабарлаймыз.

    Сабақ: { $url }

    { $school }
mail-assignment-returned-subject = «{ $lesson }» сабағы бойынша жұмыс пысықтауға қайтарылды
mail-assignment-returned-body =
    Сәлеметсіз бе, { $name }!

    Оқытушы «{ $course }» курсының «{ $lesson }» сабағы бойынша жұмысыңызды пысықтауға қайтарды:

    { $details }Жұмысты түзетіп, қайта жіберіңіз: { $url }

    { $school }
mail-assignment-accepted-subject = «{ $lesson }» сабағы бойынша жұмыс қабылданды
mail-assignment-accepted-body =
    Сәлеметсіз бе, { $name }!

    Оқытушы «{ $course }» курсының «{ $lesson }» сабағы бойынша жұмысыңызды қабылдады.

    { $details }Сабақ: { $url }

    { $school }
mail-assignment-comment-subject = «{ $lesson }» сабағы бойынша жұмысқа жаңа пікір
mail-assignment-comment-body =
    Сәлеметсіз бе, { $name }!

    Оқытушы «{ $course }» курсының «{ $lesson }» сабағы бойынша жұмысыңызға пікір жазды:

    { $details }Жауап беру: { $url }

    { $school }
assignment-title = Тапсырма
assignment-status-new = Әлі жіберілмеді
assignment-status-submitted = Жіберілді, тексеруді күтуде
assignment-status-returned = Пысықтауға қайтарылды
assignment-status-accepted = Қабылданды
assignment-status-all = Барлығы
assignment-grade = Баға
assignment-entry-answer = Жауап
assignment-entry-comment = Пікір
assignment-entry-returned = Пысықтауға қайтарылды
assignment-entry-accepted = Қабылданды
assignment-answer = Сіздің жауабыңыз
assignment-answer-again = Түзетілген жауап
assignment-text = Жауап мәтіні
assignment-files = Файлдар
assignment-files-hint = 10 файлға дейін; әрқайсысы таңдалған бойда жүктеледі.
assignment-files-need-script = Файл тіркеу үшін JavaScript қосыңыз; жауап мәтінін онсыз да жіберуге болады.
assignment-file-remove = Алып тастау
assignment-uploading = Жүктелуде…
assignment-upload-failed = «{ $name }» файлы жүктелмеді: { $reason }
assignment-send = Тексеруге жіберу
assignment-comment = Пікір
assignment-comment-send = Пікірді жіберу
assignment-preview-note = Мұнда оқушы жауап жібереді және оқытушының не айтқанын көреді.
assignment-visitor-note = Тапсырманы орындау үшін кіріп, курсқа жазылыңыз.
submissions-title = Оқушылардың жұмыстары
submissions-state = Күйі
submissions-course = Курс
submissions-all-courses = Барлық курстар
submissions-lesson = Сабақ
submissions-sent = Жіберілді
submissions-filter = Көрсету
submissions-none = Жұмыс жоқ.
submissions-review = Тексеру
submissions-open = Ашу
submissions-next = Әрі қарай →
submission-task = Тапсырма мәтіні
submission-decide = Тексеру
submission-decision = Шешім
submission-accept = Қабылдау
submission-return = Пысықтауға қайтару
submission-grade-label = 0-ден { $max }-ге дейінгі баға
submission-comment-label = Оқушыға пікір
submission-comment-hint = Жұмыс қайтарылса, міндетті: нені түзету керегін айтыңыз.
submission-send = Шешімді сақтау
submission-not-waiting-returned = Жұмыс пысықтауға қайтарылды: оқушы әлі жауап бермеді.
submission-not-waiting-accepted = Жұмыс қабылданды.
submission-not-waiting-submitted = Жұмыс тексеруді күтуде.
flash-answer-sent = Жауап тексеруге жіберілді.
flash-comment-sent = Пікір жіберілді.
flash-work-accepted = Жұмыс қабылданды; оқушыға хат кетті.
flash-work-returned = Жұмыс пысықтауға қайтарылды; оқушыға хат кетті.
flash-work-not-waiting = Жұмыс енді тексеруді күтпейді: оны басқа біреу тексерді. Міне, қазіргі күйі.

## The gradebook (issue 19, item 5)
gradebook-title = Бағалар журналы
gradebook-caption = Оқушылар және олардың курс тесттері мен тапсырмалары бойынша бағалары
gradebook-student = Оқушы
gradebook-email = Эл. пошта
gradebook-course-grade = Курс бойынша баға
gradebook-done = Өтілген сабақтар
gradebook-completed = Курс өтілді
gradebook-all-students = Барлық оқушылар
gradebook-download = Жүктеп алу
gradebook-no-items = Курста әзірге тест пен тапсырма жоқ: бағалайтын ештеңе жоқ.
gradebook-mine = Менің бағаларым
grade-state-none = басталмаған
grade-state-waiting = тексеруді күтуде
grade-state-returned = пысықтауда
grade-state-failed = тапсырылмады
grade-state-passed = тапсырылды
err-gradebook-format = Пішім — json, csv немесе xlsx.

## Certificates (issue 19, item 6)
field-certificate = Курсты аяқтаған оқушы сертификат алады (барлық міндетті сабақтар өтілді, тесттер тапсырылды, тапсырмалар қабылданды)
certificate-title = Сертификат
certificate-intro = Осы арқылы расталады:
certificate-completed = курсты сәтті аяқтады
certificate-date = Күні
certificate-code = Тексеру коды
certificate-verify = Тексеру
certificate-download = PDF жүктеп алу
certificate-revoke = Кері қайтарып алу
certificate-revoked-short = кері қайтарылды
certificates-title = Сертификаттар
certificates-none = Әзірге сертификат жоқ.
certificates-off = Курс сертификат бермейді: оны курс баптауларында қосуға болады.
cert-check-title = Сертификатты тексеру
cert-check-code = Код
cert-check-valid = Сертификат жарамды.
cert-check-revoked = Мектеп сертификатты { $at } кері қайтарып алды: ол енді ештеңені растамайды.
cert-check-unknown = Мұндай кодпен сертификат жоқ. Кодты тексеріңіз: ол сертификатта QR-кодтың астында басылған.
cert-check-holder = Кімге берілді
cert-check-course = Курс
cert-check-school = Мектеп
cert-check-date = Берілген күні
flash-certificate-revoked = Сертификат кері қайтарылды.
err-no-certificate = Мұндай сертификат жоқ.
err-certificate-revoked = Сертификат кері қайтарылды.
questions-export = Банкті Moodle XML пішімінде жүктеп алу
content-copy-suffix = (көшірме)
courses-duplicate = Көшірмесін жасау
courses-copy = Курсты көшіру
flash-lesson-duplicated = Сабақ көшірілді: көшірмесі одан кейін тұр.
flash-course-copied = Курс көшірілді: бұл көшірме, жоба.
err-too-many-uploads = Әлі жіберілмеген { $max } файл таңдалып қойған: жауапты жіберіңіз немесе артығын алып тастаңыз.
flash-answer-refused = Жауап қабылданбады: жұмыс жіберіліп қойған немесе қабылданған.
err-export-too-many = Жүктеуде { $max } сұрақтан көп: санаттарды бір-бірлеп жүктеңіз.

# The course builder (issue 19, item 1)
field-lesson_published = Жарияланған: студенттер сабақты көреді (жобаны тек оқытушылар көреді)
outline-hint = Модульді не сабақты ⠿ белгісінен сүйреңіз немесе белгіні басып, ↑ және ↓ пернелерімен жылжытып, қайта басыңыз (Esc орнына қайтарады). ↑/↓ сілтемелері де бір қадамнан жылжытады.
outline-move = Жылжыту
outline-grabbed = Алынды; ↑ және ↓ арқылы жылжытыңыз, қою үшін қайта басыңыз, Esc — болдырмау
outline-moved = Енді орны
outline-dropped = Жаңа орнында сақталды
outline-cancelled = Бұрынғы орнына қайтарылды
outline-failed = Жаңа рет сақталмады: бет жаңартылады.
lesson-status-draft = жоба
courses-free-preview-badge = тегін алдын ала қарау
lesson-publish = Жариялау
lesson-unpublish = Жобаларға
flash-lesson-published = Сабақ жарияланды: студенттер оны көреді.
flash-lesson-unpublished = Сабақ қайтадан жоба: студенттер оны енді көрмейді.
md-toolbar = Безендіру
md-heading = Тақырып
md-bold = Қалың
md-italic = Курсив
md-ul = Таңбаланған тізім
md-ol = Нөмірленген тізім
md-link = Сілтеме
md-quote = Дәйексөз
md-code = Код
md-table = Кесте
md-image = Сурет (немесе оны мәтінге қойыңыз/сүйреңіз)
md-uploading = Жүктелуде
md-upload-failed = Сурет жүктелмеді:
md-sample = мәтін
md-table-sample = | Баған | Баған |\n| --- | --- |\n| ұяшық | ұяшық |
md-preview = Алдын ала қарау
md-preview-hint = студенттер көретіндей

# Questions and categories on the bank's pages (issue 19, item 2)
question-new-title = Жаңа сұрақ
question-edit-title = Сұрақ
question-format-markdown = Мәтіндер Markdown-пен жазылады.
question-format-html = Мәтіндер HTML-де (импортталғандай).
question-format-moodle = Мәтіндер Moodle-дің қарапайым пішімінде (импортталғандай).
question-format-plain = Мәтіндер — қарапайым мәтін.
question-field-text = Сұрақ мәтіні
question-field-category = Санат (ішкілері «/» арқылы; жоқ болса, жасалады)
question-field-tags = Белгілер үтір арқылы
question-field-mark = Ұпайлар
question-field-feedback = Жалпы пікір (жауаптан кейін, қандай болса да, көрсетіледі)
question-correct = Дұрыс жауап
question-true = Дұрыс
question-false = Бұрыс
question-single = Тек бір жауап (ауыстырғыштар); әйтпесе бірнешеу (белгішелер)
question-shuffle = Әр әрекетте жауаптарды араластыру
question-case-sensitive = Әріп регистрі маңызды
question-answers-multichoice = Жауап нұсқалары
question-answers-multichoice-hint = 100% нұсқа қажет; бірнеше жауапта оң үлестер қосындысы 100% болады, ал қате жауаптар ұпайды азайта алады. Бос жолдар өткізіледі.
question-answers-shortanswer = Қабылданатын жауаптар
question-answers-shortanswer-hint = 100% жауап қажет; * кез келген таңбаларды алмастырады (\* — жұлдызшаның өзі). Бос жолдар өткізіледі.
question-answers-numerical = Қабылданатын сандар
question-answers-numerical-hint = 100% жауап қажет; сан өз қателігі шегінде есептеледі (3,14 ± 0,01). * кез келген санды қабылдайды. Бос жолдар өткізіледі.
question-answer-n = { $n }-жауап
question-tolerance = Қателік ±
question-fraction = Ұпай үлесі
question-answer-feedback = Осы жауапқа пікір
question-pairs = Сұрақтар және олардың жауаптары
question-pairs-hint = Жауабы бар кемінде екі сұрақ; сұрақсыз жауап — алаңдататын артық нұсқа. Бос жолдар өткізіледі.
question-pair-item = { $n }-сұрақ
question-pair-answer = Оның жауабы { $n }
question-more-rows = Тағы үш жол
question-save = Сұрақты сақтау
flash-question-saved = Сұрақ сақталды.
flash-question-created = Сұрақ банкке қосылды.
questions-new = Жаңа сұрақ
questions-new-type = Түрі
questions-new-submit = Сұрақ жазу
questions-edit = Өзгерту
questions-filter-category = Санат
questions-filter-all = Барлық санаттар
questions-filter-submit = Көрсету
categories-title = Санаттар
categories-lead = Санатты қайта атаңыз, басқасына көшіріңіз (сұрақтарымен және ішкі санаттарымен) немесе босын жойыңыз.
categories-none = Әзірге санаттар жоқ: олар алғашқы сұрақпен немесе импортпен пайда болады.
categories-path = Санат
categories-questions = Сұрақтар
categories-name = Атауы
categories-parent = Ішінде
categories-top = (жоғарғы деңгей)
categories-save = Сақтау
categories-delete = Жою
flash-category-saved = Санат сақталды.
flash-category-deleted = Санат жойылды.
question-correct-missing = Дұрыс жауапты таңдаңыз.
