app-name = EduCenter
app-tagline = Қазақстандағы оқу орталықтарына, репетиторларға және мектептерге арналған онлайн-мектеп
skip-to-content = Мазмұнға өту
nav-label = Негізгі навигация
nav-home = Басты бет
nav-features = Мүмкіндіктер
nav-api = API
lang-switch-label = Интерфейс тілі
landing-title = Онлайн-мектебіңіз бір кеште дайын
landing-lead = EduCenter — оқу орталығы, репетитор немесе мектеп өз курстарын орналастыратын платформа: мәтіндік, бейне және аудио сабақтар, файлдар мен тесттер — және өз оқушыларын өз сайтында оқытады.
landing-trial = 14 күн тегін, картасыз. Төлем теңгемен, еуромен немесе доллармен шот бойынша немесе онлайн.
landing-features-title = Платформаның мүмкіндіктері
feature-courses-title = Курстар мен сабақтар
feature-courses-text = Модульдер, бейне және аудио сабақтар, файлдар, тесттер, сабақтарды кесте бойынша ашу.
feature-students-title = Оқушылар мен топтар
feature-students-text = Шақырулар, кестеден импорттау, топтар, әр оқушының үлгерімі.
feature-billing-title = Адал құжаттар
feature-billing-text = Орыс және қазақ тілдеріндегі шоттар мен ай сайынғы актілер, сомасы жазбаша.
feature-languages-title = Үш тіл
feature-languages-text = Орыс, қазақ және ағылшын тілдері — әр экранда және әр хатта.
footer-rights = © EduCenter. Барлық құқықтар қорғалған.
footer-api = API құжаттамасы (OpenAPI)
flash-lang-changed = Интерфейс тілі өзгертілді.
error-404-title = Бет табылмады
error-404-text = Мұндай бет жоқ. Мекенжайды тексеріңіз немесе басты бетке оралыңыз.
error-generic-title = Бірдеңе дұрыс болмады
error-generic-text = Сұрауды орындау мүмкін болмады. Сәлден кейін қайталап көріңіз.
error-back-home = Басты бетке
courses-count = { $count } курс
mail-access-subject = EduCenter кабинетіне кіру: { $org }
mail-access-body =
    Сәлеметсіз бе, { $name }!

    EduCenter платформасында «{ $org }» кабинеті құрылды. Сынақ кезеңі { $trial_ends } қоса алғанда жалғасады; тарифке өтінімді { $deadline } дейін беруге болады.

    Кіру логині: { $email }

    Электрондық пошта мекенжайын сілтеме арқылы растаңыз (ол 7 күн жарамды):
    { $verify_url }

    EduCenter командасы
verify-title = Мекенжайды растау
verify-ok = Электрондық пошта мекенжайы расталды. Рақмет!
verify-expired = Сілтеменің мерзімі өтіп кетті. Жаңа сілтеме сұраңыз.
verify-used = Бұл сілтеме бұрын пайдаланылған.
verify-invalid = Сілтеме жарамсыз. Оның толық көшірілгенін тексеріңіз.
mail-invite-subject = EduCenter-дегі «{ $org }» кабинетіне шақыру
mail-invite-body =
    Сәлеметсіз бе, { $name }!

    Сізді EduCenter платформасындағы «{ $org }» кабинетіне «{ $role }» рөлімен шақырды.

    Шақыруды қабылдау үшін сілтеме арқылы құпиясөз орнатыңыз (ол 7 күн жарамды):
    { $accept_url }

    Сіздің логиніңіз: { $email }

    EduCenter командасы
role-administrator = Әкімші
role-teacher = Оқытушы
role-manager = Менеджер
role-accountant = Бухгалтер
invitation-title = Кабинетке шақыру
invitation-lead = Шақыруды қабылдау үшін құпиясөз орнатыңыз.
invitation-password = Құпиясөз (кемінде 10 таңба: әріптер мен сандар немесе белгілер)
invitation-submit = Шақыруды қабылдау
invitation-accepted = Шақыру қабылданды. «{ $slug }» мектебінің кабинетіне { $email } мекенжайымен кіріңіз.
invitation-accepted-learner = Шақыру қабылданды. Оқу үшін мектеп сайтына { $email } мекенжайымен кіріңіз.
invitation-expired = Шақырудың мерзімі өтіп кетті. Кабинет иесінен жаңасын жіберуді сұраңыз.
invitation-used = Бұл шақыру бұрын қабылданған.
invitation-invalid = Шақыру табылмады. Сілтеменің толық көшірілгенін тексеріңіз.
mail-offer-subject = EduCenter офертасының жаңа редакциясы № { $number }
mail-offer-body =
    Сәлеметсіз бе, { $name }!

    { $published } EduCenter лицензиялық офертасының жаңа редакциясы (№ { $number }) жарияланды.

    Не өзгерді: { $summary }

    Өзгерістермен келіспесеңіз, { $deadline } қоса алғанда кабинетте қарсылық білдіріңіз; онда шарт бұрынғы талаптармен 10 жұмыс күнінен кейін тоқтатылады. Қарсылық болмаса, жаңа редакция қабылданды деп есептеледі.

    EduCenter командасы
offer-title = Лицензиялық шарт-оферта
offer-version = { $date } № { $number } редакция
offer-changes = Не өзгерді
offer-archive = Барлық редакциялар
offer-current = қолданыстағы
offer-kk-missing = Қазақ тіліндегі мәтін дайындалуда; төменде — орыс тіліндегі мәтін.
footer-offer = Жария оферта
mail-reset-subject = EduCenter құпиясөзін қалпына келтіру: { $school }
mail-reset-body =
    Сәлеметсіз бе, { $name }!

    «{ $school }» кіру үшін жаңа құпиясөз орнату үшін сілтемеге өтіңіз (ол 1 сағат және тек бір рет жарамды):
    { $reset_url }

    Егер сіз қалпына келтіруді сұрамасаңыз, бұл хатты елемеңіз: құпиясөз өзгермейді.

    EduCenter командасы

    Жаңа құпиясөз орнату үшін сілтемеге өтіңіз (ол 1 сағат және тек бір рет жарамды):
    { $reset_url }

    Егер сіз құпиясөзді қалпына келтіруді сұрамасаңыз, бұл хатты елемеңіз: құпиясөз өзгермейді.

    EduCenter командасы
reset-title = Жаңа құпиясөз
reset-lead = Жаңа құпиясөз орнатыңыз. Осыдан кейін барлық кіру сеанстары аяқталады.
reset-submit = Құпиясөзді сақтау
reset-done = Құпиясөз өзгертілді. Жаңа құпиясөзбен кіріңіз.
reset-expired = Сілтеменің мерзімі өтіп кетті. Қалпына келтіруді қайта сұраңыз.
reset-used = Бұл сілтеме бұрын пайдаланылған.
reset-invalid = Сілтеме жарамсыз. Оның толық көшірілгенін тексеріңіз.
nav-cabinet = Менің кабинетім
nav-sign-in = Кіру
nav-sign-up = Тегін бастау
nav-sign-out = Шығу
nav-sign-out-everywhere = Барлық құрылғыдан шығу
flash-signed-in = Сіз кірдіңіз.
flash-signed-up = Мектеп құрылды, сынақ кезеңі басталды. E-mail-ді растау сілтемесін жібердік.
flash-signed-out = Сіз шықтыңыз.
flash-signed-out-everywhere = Сіз барлық құрылғыдан шықтыңыз.
flash-staff-invited = Шақыру жіберілді.
flash-staff-role-changed = Рөл өзгертілді.
flash-staff-removed = Қызметкер жойылды; оның сеанстары мен токендері тоқтатылды.
flash-token-revoked = Токен кері қайтарылды.
flash-objection-filed = Қарсылығыңыз қабылданды; шарт бұрынғы шарттармен 10 жұмыс күнінен кейін тоқтатылады.
flash-notice-filed = Шартты бұзу туралы хабарламаңыз қабылданды.
flash-notice-withdrawn = Шартты бұзу туралы хабарлама кері қайтарылды; шарт күшінде қалады.
flash-calendar-saved = Күнтізбе сақталды.
field-optional = міндетті емес
field-org_name = Ұйым немесе сіздің аты-жөніңіз
field-kind = Шартты кім жасайды
field-bin_iin = ЖСН немесе БСН
field-bin_iin-hint = 12 цифр; резидент емес үшін — еліңіздің салық нөмірі.
field-resident = Қазақстан Республикасының резиденті
field-full_name = Аты-жөні
field-email = E-mail
field-phone = Телефон
field-phone-hint = Мысалы +7 701 123 45 67 немесе 8 701 123 45 67.
field-password = Құпиясөз
field-password-hint = Кемінде 10 таңба: әріптер цифрлармен немесе белгілермен.
field-slug = Мектеп мекенжайы
field-slug-hint = 3-тен 40-қа дейін латын әрпі, цифр және сызықша: мектеп сайты /s/мекенжай бойынша болады.
field-accept_offer = Жария офертаны (лицензиялық шартты) оқыдым және қабылдаймын
field-school = Мектеп мекенжайы
field-school-hint = EduCenter қызметкері болсаңыз, бос қалдырыңыз.
field-role = Рөл
field-name = Атауы
field-scope = Қолжетімділік
field-expires_on = Жарамдылық мерзімі
field-non_working_days = Жұмыс күндеріндегі демалыс
field-non_working_days-hint = Әр жолға бір күн, ЖЖЖЖ-АА-КК: мерекелер мен ауыстырылған күндер.
field-working_days = Жұмыс сенбілері мен жексенбілері
field-working_days-hint = Әр жолға бір күн, ЖЖЖЖ-АА-КК: жұмыс күні деп жарияланған демалыстар.
error-expires_on = Ертеңнен бастап күн көрсетіңіз немесе өрісті бос қалдырыңыз.
error-slug-taken = Бұл мекенжай бос емес; басқасын таңдаңыз.
error-trial-used = Бұл ЖСН/БСН, e-mail немесе телефонмен сынақ кезеңі бұрын болған. Тағы біреу қажет болса, қолдау қызметіне жазыңыз.
error-email-taken = Бұл e-mail-мен адам кабинетте бар.
error-forbidden = Рұқсат жоқ
error-conflict = Қазір мұны істеу мүмкін емес
error-confirm = Растау үшін белгіні қойыңыз.
error-not-a-date = «{ $value }» — күн емес; күндерді ЖЖЖЖ-АА-КК түрінде жазыңыз.
error-calendar = Күнтізбе сақталмады: { $detail }
kind-legal_entity = Заңды тұлға
kind-sole_proprietor = Жеке кәсіпкер
kind-individual = Жеке тұлға
signup-title = Онлайн-мектебіңізді құрыңыз
signup-lead = 14 күн тегін. Кабинет бірден құрылады, кіру деректері e-mail-ге келеді.
signup-submit = Мектеп құру
signup-read-offer = Жария офертаны оқу
signup-have-account = Менде аккаунт бар
login-title = Кіру
login-lead = E-mail және құпиясөзбен кіріңіз: мектепті өзіміз табамыз.
login-submit = Кіру
login-forgot = Құпиясөзді ұмыттыңыз ба?
login-no-account = Мектеп құру
login-failed = E-mail немесе құпиясөз қате.
login-blocked = Бұл мектепке қолжетімділік бұғатталған. Қолдау қызметіне жазыңыз.
login-throttled = Тым көп әрекет. { $minutes } минуттан кейін қайталаңыз.
forgot-title = Құпиясөзді қалпына келтіру
forgot-lead = E-mail-ды көрсетіңіз, біз жаңа құпиясөзге сілтеме жібереміз (e-mail бірнеше мектепте болса — әрқайсысына сілтеме).
forgot-submit = Сілтемені жіберу
forgot-back = Кіруге оралу
forgot-sent = Мұндай аккаунт болса, жаңа құпиясөз сілтемесі жолда. Ол 1 сағат жарамды.
setup-title = EduCenter баптауы
setup-lead = Платформаның бас әкімшісінің алғашқы тіркелгісін құрыңыз.
setup-submit = Тіркелгі құру
setup-done = Бас әкімші тіркелгісі құрылды. Мектеп мекенжайын бос қалдырып, онымен кіріңіз.
setup-invalid = Бұл баптау сілтемесі жарамсыз: ол пайдаланылған, мерзімі өткен немесе платформада әкімші бар.
cabinet-title = Кабинет
cabinet-address = Мектеп мекенжайы
cabinet-licence = Лицензия
cabinet-trial = Сынақ кезеңі { $trial_ends } қоса алғанда жарамды. Тарифке өтінімді { $deadline } дейін беріңіз.
cabinet-new-offer = Офертаның жаңа № { $number } редакциясы жарияланды. Келіспесеңіз, { $deadline } қоса алғанда қарсылық білдіріңіз; әйтпесе ол қабылданды деп саналады.
cabinet-read-offer = Офертаны оқу
cabinet-object = Жаңа редакцияға қарсылық білдіру
cabinet-notice-notice = Сіз шартты бұзу туралы хабарладыңыз: шарт { $end } қоса алғанда күшінде.
cabinet-notice-objection = Сіз офертаның жаңа редакциясына қарсылық білдірдіңіз: шарт бұрынғы шарттармен { $end } қоса алғанда күшінде.
cabinet-notice-refusal = Сынақ кезеңінен бас тартылды: шарт { $end } тоқтатылады.
cabinet-withdraw = Хабарламаны кері қайтару
cabinet-token-created = «{ $name }» токені құрылды
cabinet-token-once = Оны қазір көшіріңіз: ол тек бір рет көрсетіледі. Authorization: Bearer ретінде жіберіңіз.
cabinet-staff = Қызметкерлер
cabinet-no-staff = Әзірге ешкім шақырылмаған.
cabinet-status = Мәртебе
cabinet-actions = Әрекеттер
cabinet-save = Сақтау
cabinet-active = Белсенді
cabinet-invited = Шақырылған
cabinet-remove = Жою
cabinet-invite = Қызметкерді шақыру
cabinet-invite-submit = Шақыру жіберу
cabinet-tokens = API токендері
cabinet-tokens-lead = Токендер бағдарламаларыңызға EduCenter API-мен сіздің атыңыздан жұмыс істеуге мүмкіндік береді. Жазуға рұқсат бермесеңіз, тек оқу.
cabinet-last-used = Соңғы пайдалану
cabinet-never = пайдаланылмаған
cabinet-revoke = Кері қайтару
cabinet-new-token = Жаңа токен
cabinet-create-token = Токен құру
cabinet-contract = Шарт
cabinet-accepted = Сіз офертаның № { $number } редакциясын қабылдадыңыз.
cabinet-notice-lead = Шарт хабарламадан кейін 10 жұмыс күнінен соң тоқтатылады; оған дейін оны кері қайтаруға болады.
cabinet-give-notice = Шартты бұзу туралы хабарлау
cabinet-refusal = Сынақ кезеңінде бас тарту
cabinet-refusal-lead = Жазбаша бас тарту сізге, қызметкерлерге және бағдарламаларыңызға қолжетімділікті бірден жабады. Деректер 60 күн сақталады, содан кейін жойылады.
cabinet-refusal-confirm = Қолжетімділік бірден жабылатынын түсінемін
cabinet-refuse = Лицензиядан бас тарту
cabinet-sessions = Сеанстар
cabinet-sessions-lead = Бөгде құрылғыдан кірген болсаңыз, барлық сеансты бірден аяқтаңыз.
scope-read = Тек оқу
scope-read_write = Оқу және жазу
refusal-title = Бас тарту қабылданды
refusal-done = Бас тартуыңыз жазылды, қолжетімділік жабылды. Мектеп деректері { $purge } дейін сақталады; жоймас бұрын жазамыз.
mail-refusal-subject = EduCenter лицензиясынан бас тарту: { $org }
mail-refusal-body =
    Сәлеметсіз бе, { $name }!

    «{ $org }» үшін лицензиядан сынақ кезеңіндегі жазбаша бас тартуыңызды жаздық. Кабинетке қолжетімділік жабылды.

    Мектеп деректері { $purge } дейін сақталады, содан кейін жойылады; оған дейін еске саламыз. Жұмысты жалғастыру үшін осы күнге дейін қолдау қызметіне жазыңыз.

    EduCenter командасы
operator-title = Бэк-офис
operator-your-role = Сіздің рөліңіз
operator-role-super_admin = бас әкімші
operator-role-billing = биллинг қызметкері
operator-role-support = қолдау агенті
operator-role-compliance = комплаенс-офицер
operator-calendar = Өндірістік күнтізбе
operator-tenants = Лицензиаттар
operator-search = Мекенжай, атау, ЖСН/БСН немесе e-mail
operator-find = Табу
operator-none = Ештеңе табылмады.
operator-state = Күйі
operator-created = Құрылған
operator-licensee = Лицензиат
operator-non-resident = резидент емес
operator-trial-ends = Сынақ кезеңінің соңғы күні
operator-deadline = Өтінім беру мерзімі
operator-owner = Иесі
operator-unverified = e-mail расталмаған
operator-blocked = { $since } бастап бұғатталған: { $reason }; деректер { $purge } дейін сақталады.
operator-contracts = Шарттар
operator-status = Мәртебе
operator-offer-version = Оферта редакциясы
operator-started = Басталуы
operator-acceptances = Офертаны акцептеу
operator-method = Тәсілі
operator-when = Қашан (Алматы)
operator-audit = Аудит журналы
operator-action = Әрекет
operator-actor = Кім
operator-details = Толығырақ
operator-calendar-lead = Сенбі мен жексенбі жұмыс күні деп көрсетілмесе, демалыс. Басқа жылдың күндері қабылданбайды.
operator-calendar-missing = Бұл жылға күнтізбе жүктелмеген: күндер дүйсенбіден жұмаға дейін саналады және алдын ала деп белгіленеді. Форманы сақтау оны жүктейді.
operator-calendar-save = Күнтізбені сақтау
cabinet-blocked = Мектепке қолжетімділік бұғатталған: қызметкерлер, оқушылар және бағдарламалар жұмыс істей алмайды. Қолдау қызметіне жазыңыз.
cabinet-blocked-refusal = Сіз лицензиядан бас тарттыңыз: қызметкерлердің, оқушылардың және бағдарламалардың қолжетімділігі жабылды. Деректер { $purge } дейін сақталады.
licence-inactive-title = Мектеп төлемді күтуде
licence-inactive-text = Мектеп лицензиясы төленбеген, сондықтан қызметкерлер, оқушылар және бағдарламалар әзірге жұмыс істей алмайды. Иесі кабинеттің «Төлем» бөлімінде төлей алады.
state-trial = сынақ кезеңі
state-trial-text = Сынақ кезеңі жүріп жатыр: бәрі жұмыс істейді.
state-trial_expired = сынақ кезеңі аяқталды
state-trial_expired-text = Сынақ кезеңі аяқталды. Тарифке өтінім беріп, оны төлегенше қызметкерлер мен оқушылар күтеді; мұны кабинетте жасауға болады.
state-active = күшінде
state-active-text = Лицензия төленген: бәрі жұмыс істейді.
state-overdue = төлем мерзімі өтті
state-overdue-text = Төленген кезең аяқталды. Ұзарту шоты төленгенше қызметкерлер, оқушылар және бағдарламалар тоқтатылады; кезең аяқталғаннан кейін 7 күн ішінде төленсе, лицензия үзіліссіз жалғасады.
state-lapsed = тоқтатылды
state-lapsed-text = Лицензия тоқтатылды, шарт аяқталды. Деректер сақталады; төлем жаңа шартты бастайды.
state-terminating = бұзылуда
state-terminating-text = Шартты бұзу туралы хабарлама берілген; шарт аяқталғанша бәрі жұмыс істейді.
state-terminated = шарт бұзылды
state-terminated-text = Шарт аяқталды.
mail-state-subject = EduCenter лицензиясы «{ $org }»: { $state }
mail-state-body =
    Сәлеметсіз бе, { $name }!

    «{ $org }» лицензиясының күйі: { $state }.

    { $text }

    EduCenter командасы
mail-invoice-subject = EduCenter лицензиясына { $number } шоты
mail-invoice-body =
    Сәлеметсіз бе, { $name }!

    «{ $org }» үшін { $amount } сомасына { $number } шоты жазылды. Оны { $due } дейін төлеңіз; ол кабинетіңіздің «Төлем» бөлімінде.

    EduCenter командасы
mail-reminder-subject = Еске салу: { $number } шоты төленбеген
mail-reminder-body =
    Сәлеметсіз бе, { $name }!

    { $amount } сомасына { $number } шоты (төлеу мерзімі { $due }) әлі төленбеген. «{ $org }» төленген кезеңі { $last_day } аяқталады; одан кейін 7 күн ішінде төленсе, лицензия үзіліссіз жалғасады.

    EduCenter командасы
mail-reissue-subject = EduCenter лицензиясына жаңа { $number } шоты
mail-reissue-body =
    Сәлеметсіз бе, { $name }!

    { $old } шоты кезең аяқталғаннан кейін 7 күн ішінде төленбеді, сондықтан «{ $org }» лицензиясы тоқтатылды, ал шот жойылды. Жаңа шарт { $amount } сомасына { $number } шоты төленгенде басталады, төлеу мерзімі { $due }.

    EduCenter командасы
pricing-title = Тарифтер мен бағалар
pricing-lead = Бүгін қолданылатын бағалар. Қазақстан резиденттері теңгемен төлейді; басқалары еуро немесе долларменде төлей алады.
pricing-none = Баға тізімі дайындалуда.
pricing-limits = { $students } оқушыға, { $staff } қызметкерге, { $courses } курсқа, { $storage } ГБ файлға дейін.
pricing-term = { $months } ай
billing-title = Төлем
billing-paid-through = Төленген мерзім
billing-contract = Шарт
billing-credit = Баланс
billing-periods = Төленген кезеңдер
billing-from = Басы
billing-to = Соңы
billing-invoice = Шот
billing-apply = Тарифке өтінім
billing-apply-lead = Тариф пен мерзімді таңдаңыз; растамас бұрын шотты көресіз.
billing-continue = Жалғастыру
billing-invoices = Шоттар
billing-no-invoices = Әзірге шот жоқ.
billing-issued = Жазылған күні
billing-due = Төлеу мерзімі
billing-amount = Сомасы
billing-confirm-title = Шотты тексеріңіз
billing-confirm-lead = Өтініміңіз бойынша осындай шот жазылады. Төлем — 3 жұмыс күні ішінде.
billing-total = Барлығы
billing-confirm = Шот жазу
billing-back = Таңдауды өзгерту
billing-supplier = Жеткізуші
billing-customer = Сатып алушы
billing-bin = БСН
billing-iin = ЖСН
billing-iik = ЖСК
billing-bik = БСК
billing-paid = Төленді
billing-purpose = Төлем мақсаты: № { $number } шот бойынша EduCenter лицензиясына төлем, ҚҚС-сыз.
field-plan = Тариф
field-months = Мерзімі
field-currency = Валюта
field-invoice_number = Шот нөмірі
field-amount = Сомасы
field-amount-hint = Банк үзінді көшірмесіндегідей, мысалы 30 000,00.
field-received_on = Валюталау күні
field-reference = Төлем референсі
error-plan = Тарифтердің бірін таңдаңыз.
error-months = Тариф сатылатын мерзімді таңдаңыз.
error-currency = Қолжетімді валютаны таңдаңыз (резиденттер KZT-мен төлейді).
error-amount = Соманы цифрмен, үтірден кейін екі таңбадан аспай көрсетіңіз, мысалы 30 000,00; ең көбі 100 000 000 000,00.
error-invoice_number = Мұндай нөмірлі шот жоқ.
invoice-status-issued = жазылды
invoice-status-paid = төленді
invoice-status-overdue = мерзімі өтті
invoice-status-void = жойылды
operator-billing = Биллинг
operator-record-payment = Банк төлемін енгізу
operator-record = Енгізу
operator-all = барлығы
flash-payment-recorded = Төлем енгізілді.
flash-payment-known = Бұл референс бұрын енгізілген; ештеңе қосылмады.
billing-pay-online = Картамен төлеу
sandbox-title = Сынақ төлем шлюзі
sandbox-note = Бұл EduCenter-ге кірістірілген сынақ шлюзі: ақша шешілмейді.
sandbox-amount = Төлеуге
sandbox-pay = Төлеу
sandbox-cancel = Болдырмау
cabinet-price-change = «{ $plan }» тарифының бағалары { $date } бастап өзгереді: { $prices }. Төленген кезеңдер өз бағасын сақтайды.
mail-price-subject = EduCenter «{ $plan }» тарифының { $effective } бастап жаңа бағалары
mail-price-body =
    Сәлеметсіз бе, { $name }!

    «{ $org }» пайдаланатын «{ $plan }» тарифының бағалары { $effective } бастап өзгереді:
    { $prices }

    Төленген кезеңдер, сондай-ақ төлеу мерзімі келмеген шоттар өз бағасын сақтайды. Келіспесеңіз, кабинетте шарттан бас тарта аласыз.

    EduCenter командасы
mail-repriced-subject = { $old } шоты жаңа бағамен { $number } болып қайта жазылды
mail-repriced-body =
    Сәлеметсіз бе, { $name }!

    «{ $org }» үшін { $old } шоты мерзімінде төленбеді, ал тариф бағалары содан бері өзгерді; ол жойылып, { $amount } сомасына { $number } шотымен ауыстырылды, төлеу мерзімі { $due }. Ол бойынша төленгені жаңа шотқа есептелді.

    EduCenter командасы
mail-price-alert-subject = { $plan } тарифының бағасын өзгерту: жіберілмеген хабарламалар — { $unsent }
mail-price-alert-body =
    { $decided } шешілген { $plan } тарифының бағасын өзгерту бойынша 5 күннен кейін жеткізілмеген хабарламалар бар: { $unsent } Хат кезегін тексеріңіз (educenter mail list --state dead) және бұл лицензиаттарға басқа жолмен хабарлаңыз.
metric-students = оқушы
metric-staff = қызметкер
metric-storage_bytes = сақтау байты
metric-courses = курс
mail-limit-subject = «{ $org }» тариф лимитінің { $level }% пайдаланады: { $metric }
mail-limit-body =
    Сәлеметсіз бе, { $name }!

    «{ $org }» қазір тариф рұқсат еткен { $limit } ішінен { $used } { $metric } пайдаланады ({ $level }%). Лимитке жеткенде, тарифті ауыстырмайынша немесе орын босатпайынша жаңаларын қосу қабылданбайды; бар нәрсенің бәрі жұмыс істей береді.

    EduCenter командасы
block-reason-illegal_content = заңсыз контент
block-reason-licence_breach = лицензияны бұзу
block-reason-spam_complaint = спам туралы шағымдар
block-reason-over_limit = тариф лимиттерінен асу
mail-blocked-subject = EduCenter-дегі «{ $org }» қолжетімділігі бұғатталды
mail-blocked-body =
    Сәлеметсіз бе, { $name }!

    «{ $org }» қолжетімділігі бұғатталды, себебі: { $reason }. Бұғат алынғанша қызметкерлер, оқушылар және бағдарламалар жұмыс істей алмайды, мектеп сайты жабық; төлем, құжаттар және шарт бөлімдеріне кіре аласыз. Мәселені шешу үшін қолдау қызметіне жазыңыз: { $support }.

    EduCenter командасы

    «{ $org }» қолжетімділігі бұғатталды, себебі: { $reason }. Бұғат алынғанша қызметкерлер, оқушылар және бағдарламалар жұмыс істей алмайды; төлем және құжаттар бөліміне кіре аласыз. Мәселені шешу үшін осы хатқа жауап беріңіз.

    EduCenter командасы
field-reason = Себебі
field-email_reference = Хатқа сілтеме
field-tenant = Мектеп мекенжайы
field-description = Шот не үшін
error-reason = Себебін көрсетіңіз: 1-ден 500-ге дейін таңба.
refund-title = Қайтаруды енгізу
refund-lead = Тек төленген кезең аяқталғанша тоқтатылған шарт бойынша; төленгеннен қалыпты бағамен пайдаланылған уақытты шегергеннен аспайды.
refund-submit = Қайтаруды енгізу
quote-title = Коммерциялық ұсынысты енгізу
quote-lead = E-mail арқылы келісілген баға: шот бірден жазылады, оны төлеу келісімді білдіреді.
quote-submit = Шот жазу
flash-refund-recorded = Қайтару енгізілді.
flash-quote-recorded = Ұсыныс енгізілді, шот жазылды.
operator-promotions = Акциялар
operator-code = Коды
operator-discount = Жеңілдік
state-purged = деректер жойылды
state-purged-text = Мектеп деректері сақтау мерзімі аяқталғаннан кейін жойылды.
mail-purge-warning-subject = «{ $org }» деректері { $purge } жойылады
mail-purge-warning-body =
    Сәлеметсіз бе, { $name }!

    «{ $org }» шарты тоқтатылды, және { $purge } мектеп деректерін жоямыз:
    — курстар, модульдер және сабақтар;
    — барлық жүктелген файлдар: бейне, аудио, құжаттар, мұқабалар және логотип;
    — оқушылардың тіркелгілері, олардың курстарға жазылуы, үлгерімі және келісімдері;
    — қызметкерлердің тіркелгілері;
    — кабинетке барлық кірулер және API-токендер.

    Мектеп туралы жазба, шарттар, шоттар, төлемдер және актілер сақталады, ал сіздің иесі ретіндегі тіркелгіңіз шоттар мен құжаттарды көру үшін қалады. Әрекеттер журналы дербес деректерсіз сақталады.

    Лицензияны кабинетте { $purge } дейін төлесеңіз, деректер жойылмайды.

    EduCenter командасы

    «{ $org }» лицензиясы тоқтатылды, оның деректері (курстар, оқушылар, қызметкерлердің тіркелгілері) { $purge } жойылады. Оларды сақтау үшін осы күнге дейін кабинетте тарифті төлеңіз немесе қажетін жүктеп алыңыз.

    EduCenter командасы
mail-purged-subject = «{ $org }» деректері жойылды
mail-purged-body =
    Сәлеметсіз бе, { $name }!

    Ескерткеніміздей, { $purge } «{ $org }» деректері жойылды: курстар, файлдар, оқушылар және қызметкерлер. Шарттар, шоттар, төлемдер және актілер сақталды, ал сіздің тіркелгіңіз шоттар мен құжаттарды көру үшін қалды.

    EduCenter командасы

    Ескерткеніміздей, «{ $org }» деректері { $purge } жойылды. Шоттар мен құжаттарды көру үшін сіздің тіркелгіңіз сақталды.

    EduCenter командасы
promotion-title = Акция құру немесе өзгерту
promotion-lead = Өтінімдерге арналған промокод: лицензияға пайыздық немесе тіркелген жеңілдік, кейбір немесе барлық тарифтерге, екі күн аралығында. Өзгерту туралы ешкімге хабарланбайды.
promotion-submit = Акцияны сақтау
promotion-kind-percent = Пайыз
promotion-kind-fixed = Тіркелген сома
field-code = Хаттағы код
field-value = Жеңілдік
field-value-hint = 1-ден 100-ге дейін пайыз немесе сома, мысалы 10 000,00.
field-plans = Тарифтер
field-plans-hint = Тариф кодтары үтір арқылы; бос — барлығына.
field-valid_from = Басталуы
field-valid_to = Аяқталуы
error-code = 2-ден 32-ге дейін латын әрпі, цифр, сызықша немесе астын сызу.
error-value = 1-ден 100-ге дейін пайыз немесе оң сома.
error-kind-promotion = Пайызды немесе тіркелген соманы таңдаңыз.
error-valid_from = Бірінші күнді көрсетіңіз.
error-valid_to = Соңғы күнді көрсетіңіз, біріншіден ерте емес.
error-plans = Бұл тарифтердің бірі жоқ.
flash-promotion-saved = Акция сақталды.
field-promo_kind = Жеңілдік түрі
mail-receipt-alert-subject = Бөлінбеген төлем { $reference }: құқық беру мерзімі { $deadline }
mail-receipt-alert-body =
    { $received } түскен, { $payer } төлеген { $amount } сомасындағы { $reference } төлемі әлі ешбір шотқа бөлінбеген. Құқықтар { $deadline } күнінің соңына дейін берілуі тиіс (түскеннен кейін 3 жұмыс күні). Бэк-офистің «Биллинг» бөлімінде шотты тауып, төлемді бөліңіз.
receipt-title = Шотсыз түсімді енгізу
receipt-lead = Банк үзіндісіндегі бірден шотқа бөлінбеген ақша. Құқықтар түскеннен кейін 3 жұмыс күні ішінде берілуі тиіс: түсім биллингте мерзімімен көрінеді, ал мерзімнен бір жұмыс күні бұрын операторларға хат келеді.
receipt-submit = Түсімді енгізу
field-payer = Төлеуші
field-purpose = Төлем мақсаты
receipts-title = Бөлінбеген түсімдер
receipts-lead = Шотсыз түсімдер, құқық беру мерзімі бойынша. Төлемді бөлу үшін шот нөмірін көрсетіңіз: лицензия кезеңі түскен күннен есептеледі.
receipts-none = Бөлінбеген түсімдер жоқ.
receipts-deadline = Құқықтар мерзімі
receipts-match = Бөлу
receipts-due-soon = мерзім жақын
error-match-currency = Шот басқа валютада шығарылған.
error-match-done = Бұл түсім бұрын бөлінген.
flash-receipt-recorded = Түсім енгізілді; ол шотқа бөлінуді күтеді.
flash-receipt-matched = Түсім шотқа бөлінді.
plan-title = Жаңа тариф
plan-lead = Код, үш тілдегі атауы, лимиттер және алғашқы бағалар. Бос баға — мерзім сатылмайды; кемінде біреуі қажет.
plan-submit = Тариф құру
field-name_ru = Атауы (орысша)
field-name_kk = Атауы (қазақша)
field-name_en = Атауы (ағылшынша)
field-limit_students = Оқушылар
field-limit_students-hint = Мектептегі оқушылардың ең көп саны; 0 — оқушысыз.
field-limit_staff = Қызметкерлер
field-limit_staff-hint = Иесін қоса алғандағы қызметкер орындары.
field-limit_storage_gb = Сақтау орны, ГБ
field-limit_storage_gb-hint = Гигабайттың бүтін саны (1 ГБ = 1 000 000 000 байт; 100 ГБ дәл 100 ГБ болып көрсетіледі).
field-limit_courses = Курстар
field-limit_courses-hint = Мектептегі курстардың ең көп саны.
field-effective_from = Күшіне енетін күні
field-effective_from-hint = Шешім күнінен ерте емес: бағалар кері күнмен өзгермейді.
field-decided_on = Шешім күні
error-limit = 0-ден кем емес бүтін сан көрсетіңіз.
error-plan-prices = Кемінде бір баға көрсетіңіз.
error-effective_from = Шешім күнінен ерте емес күнді көрсетіңіз.
error-decided_on = Болашақ емес шешім күнін көрсетіңіз.
error-plan-code = 2-ден 32-ге дейін таңба: a-z, 0-9, - және _.
error-plan-name = Атауын көрсетіңіз, 100 таңбаға дейін.
error-plan-exists = Мұндай кодты тариф бар.
flash-plan-created = Тариф құрылды.
price-title = Тарифтің жаңа бағасы
price-lead = Шешім күні мен күшіне ену күні бар бағаның жаңа нұсқасы. Осы тарифтегі шарты бар әр мектепке бірден хат пен кабинетте хабарлама жіберіледі; шығарылған шоттар төлеу мерзіміне дейін өз бағасын сақтайды.
price-submit = Баға қосу
flash-price-added = Баға қосылды; тариф мектептеріне хабарланды.
mail-act-subject = { $month } үшін № { $number } көрсетілген қызметтер актісі
mail-act-body =
    Сәлеметсіз бе, { $name }!

    «{ $org }» кабинетінде { $month } үшін { $amount } сомасына № { $number } көрсетілген қызметтер актісі жарияланды. Оны кабинеттің «Биллинг» бөлімінен жүктеп алуға болады.

    Актімен келіспесеңіз, { $deadline } күнінің соңына дейін кабинетте немесе қолдау қызметіне хатпен қарсылық білдіріңіз. Қарсылық болмаса, акт қабылданды деп есептеледі (оферттің 5.9.1-тармағы).
mail-act-alert-subject = { $month } үшін актілер жарияланбаған: { $missing }
mail-act-alert-body =
    5-күннің соңына қарай { $month } үшін лицензия күндері бар { $missing } лицензиаттың жарияланған актісі жоқ. documents.acts тапсырмасының журналын тексеріп, актілерді жариялаңыз.
mail-act-objection-subject = № { $number } акт бойынша қарсылық ({ $org })
mail-act-objection-body =
    { $org } лицензиаты (БСН/ЖСН { $bin }) { $month } үшін № { $number } акт бойынша қарсылық білдірді:

    { $reason }
documents-title = Құжаттар
documents-settings = Құжаттардың тілі мен мекенжайы
documents-save = Сақтау
documents-file = Файл
documents-download-pdf = PDF жүктеп алу
field-document_lang = Шоттар мен актілердің тілі
field-address = Құжаттарға арналған мекенжай
field-address-hint = Шоттар мен актілерде басылатын заңды немесе пошталық мекенжай.
flash-documents-saved = Құжат баптаулары сақталды.
acts-title = Көрсетілген қызметтер актілері
acts-lead = Айдың актісі келесі айдың 1-күні жарияланады. Актімен келіспесеңіз, жарияланғаннан кейін 3 күн ішінде қарсылық білдіріңіз (соңғы күн жұмыс күніне ауыстырылады); қарсылық болмаса, акт қабылданды деп есептеледі.
acts-none = Әзірге актілер жоқ.
acts-month = Ай
acts-window = Қарсылық мерзімі
acts-actions = Әрекеттер
acts-copy-paper = Қағаз данасын сұрау
acts-copy-electronic = Электрондық данасын сұрау
acts-object = Қарсылық білдіру
acts-object-submit = Қарсылықты жіберу
error-act-closed = Бұл акт бойынша қарсылық мерзімі өтті немесе акт қарсылыққа ашық емес.
flash-act-objected = Қарсылық жазылды және қолдау қызметіне жіберілді.
flash-copy-requested = Акт данасына сұрау операторға жіберілді.
act-status-published = жарияланды
act-status-objected = дауланды
act-status-accepted = қабылданды
operator-documents = Құжаттар
acts-copies = Акт даналарына сұраулар
acts-act = Акт
acts-copy-kind = Дана
acts-copy-paper-kind = қағаз
acts-requested = Сұралды
acts-email-objection = Поштамен келген қарсылық
acts-record = Жазу
error-objection-email = Себебін және хаттың болашақ емес күнін көрсетіңіз.
profile-title = Оператордың деректемелері
profile-lead = Әр шот пен актіде басылады. Сақтау жаңа нұсқа жасайды; шығарылған құжаттар өз нұсқасын сақтайды.
profile-version = нұсқа
profile-save = Жаңа нұсқаны сақтау
field-bin = БСН
field-bank = Банк
field-iik = ЖСК (IBAN)
field-bik = БСК
field-kbe = Кбе
field-knp = ТТК
field-signer = Қол қоюшы (лауазымы мен аты-жөні)
field-vat_percent = ҚҚС мөлшерлемесі, %
field-vat_percent-hint = Бос — ҚҚС төлеуші емес («ҚҚС-сыз»).
error-vat_percent = Мөлшерлеме 1-ден 30-ға дейін немесе бос.
flash-profile-saved = Деректемелер жаңа нұсқа ретінде сақталды.
acts-copy-electronic-kind = электрондық
acts-copy-done = Жіберілді
flash-copy-done = Дана сұрауы орындалды деп белгіленді.

## Мектептің оқушыларға арналған сайты (6-тапсырма)
learner-privacy-consent = Мен { $school } және EduCenter платформасына курстарға қол жеткізу үшін дербес деректерімді (аты-жөні, e-mail, оқу барысы) Қазақстан Республикасының «Дербес деректер және оларды қорғау туралы» Заңына сәйкес өңдеуге келісім беремін.
learner-marketing-consent = { $school } жаңалықтары мен ұсыныстарын электрондық пошта арқылы алғым келеді (міндетті емес; келісімді кез келген уақытта қайтарып алуға болады).
mail-learner-welcome-subject = { $school } мектебіне қош келдіңіз
mail-learner-welcome-body =
    Сәлеметсіз бе, { $name }!

    { $school } мектебінде есептік жазбаңыз ашылды: { $school_url }

    Электрондық пошта мекенжайыңызды сілтеме арқылы растаңыз (7 күн жарамды):
    { $verify_url }

    { $school }
school-signup-title = Оқушы ретінде тіркелу
school-signup-lead = Курстарға жазылу үшін { $school } мектебінде есептік жазба ашыңыз.
school-signup-submit = Тіркелу
school-signup-full = Мектеп қазір жаңа оқушыларды қабылдай алмайды. Мектеппен байланысыңыз.
school-have-account = Менің есептік жазбам бар
school-login-title = Оқушылардың кіруі
school-catalogue = Курстар
school-catalogue-empty = Мектеп әлі курс жарияламаған.
school-my-courses = Менің курстарым
school-my-empty = Сіз әлі ешбір курсқа жазылмағансыз.
school-progress = Оқу барысы
school-done-of = Өтілген сабақтар: { $total } ішінен { $done }
school-course-complete = Курс аяқталды
school-enrol = Курсқа жазылу
school-enrol-by-school = Бұл курсқа мектептің өзі жазады.
school-powered-by = Платформа:
error-email-taken-school = Бұл e-mail бойынша осы мектепте есептік жазба бар: кіріңіз немесе құпиясөзді қалпына келтіріңіз.
lesson-locked-until = { $date } ашылады.
lesson-locked-previous = Алдыңғы сабақ өтілгеннен кейін ашылады.
lesson-locked-enrol = Сабақтарды ашу үшін курсқа жазылыңыз.
lesson-done = Өтілді
lesson-kind-text = мәтін
lesson-kind-video = бейне
lesson-kind-audio = аудио
lesson-kind-file = файл
lesson-kind-embed = сілтемедегі бейне
lesson-captions = Субтитрлер
lesson-download = Жүктеп алу
lesson-mark-complete = Өтілді деп белгілеу
lesson-nav = Сабақтар
flash-student-signed-up = Қош келдіңіз! Есептік жазба ашылды; e-mail растау сілтемесін жібердік.
flash-enrolled = Сіз курсқа жазылдыңыз.
flash-lesson-complete = Сабақ өтілді.
flash-course-complete = Құттықтаймыз: курс аяқталды!
flash-course-created = Курс құрылды.
flash-course-saved = Курс сақталды.
flash-module-added = Модуль қосылды.
flash-lesson-added = Сабақ қосылды.
flash-lesson-deleted = Сабақ себетте (30 күн ішінде қалпына келтіруге болады).

## Курс редакторы (6-тапсырма)
courses-title = Курстар
courses-list = Мектеп курстары
courses-none = Әзірге курс жоқ: біріншісін төменде құрыңыз.
courses-new = Жаңа курс
courses-create = Курс құру
courses-edit = Өзгерту
courses-progress = Оқу барысы
courses-progress-none = Бұл курсқа әлі ешкім жазылмаған.
courses-progress-caption = Әр оқушының өткен (✓) және бастаған (…) сабақтары
courses-student = Оқушы
courses-done = Өтілді
courses-started = басталды
courses-student-view = Мектеп сайтында ашу
courses-content = Модульдер мен сабақтар
courses-no-modules = Алдымен модуль, содан кейін сабақтар қосыңыз.
courses-no-lessons = Бұл модульде әлі сабақ жоқ.
courses-optional = міндетті емес
courses-move-up = Жоғары
courses-move-down = Төмен
courses-delete = Жою
courses-add-module = Модуль қосу
courses-add-lesson = Сабақ қосу
courses-file = Сабақ файлы
courses-file-hint = бейне, аудио немесе файл сабағы үшін; таңдалған бойда жүктеледі
courses-captions = Субтитрлер (WebVTT, бейне үшін)
courses-upload-progress = Жүктеу барысы
courses-settings = Курс баптаулары және жариялау
courses-save = Курсты сақтау
course-status-draft = Жоба
course-status-published = Жарияланған
course-status-archived = Мұрағатта
field-course_title = Атауы
field-course_description = Сипаттамасы
field-course_status = Күйі
field-in_order = Сабақтар ретімен ашылады (әрқайсысы алдыңғысы өтілгеннен кейін)
field-self_enrol = Оқушылар мектеп сайтында өздері жазыла алады
field-module_title = Модуль атауы
field-lesson_module = Модуль
field-lesson_title = Сабақ атауы
field-lesson_kind = Түрі
field-lesson_body = Мәтін (Markdown)
field-lesson_body-hint = **қалың**, *курсив*, # тақырыптар, тізімдер және [сілтемелер](https://...).
field-embed_url = Бейнеге сілтеме (YouTube, Vimeo немесе платформа рұқсат еткен басқа сайт)
field-embed_url-hint = Бейне-сілтеме сабағы үшін: https сілтемесі.
field-available_from = Ашылатын күні
field-available_after_days = Жазылғаннан кейін осынша күннен соң ашылады
field-lesson_required = Курсты аяқтау үшін қажет
error-available_after_days = 0-ден 3650-ге дейінгі күн санын көрсетіңіз.
lesson-preview = Оқушылар сабақты осылай көреді (ештеңе жазылмайды).
cabinet-school-site = Мектеп сайты
students-title = Оқушылар
mail-learner-invite-subject = { $school } сізді оқуға шақырады
mail-learner-invite-body =
    Сәлеметсіз бе, { $name }!

    { $school } сізге онлайн оқу үшін есептік жазба ашты. Құпиясөзді сілтеме арқылы орнатыңыз (7 күн жарамды):
    { $accept_url }

    Содан кейін мектеп сайтына кіріңіз: { $school_url }

    { $school }
students-list = Мектеп оқушылары
students-search = Аты-жөні немесе e-mail бойынша іздеу
students-none = Әзірге оқушы жоқ.
students-verified = E-mail расталған
students-add = Оқушы қосу
students-add-lead = Оқушы құпиясөз орнатып, мектеп сайтына кіру үшін хат алады.
students-add-submit = Қосу және шақыру
students-import = CSV-ден импорттау
students-import-lead = Кестеден CSV файлы (UTF-8 немесе Windows-1251, бөлгіш — үтір немесе нүктелі үтір). Бірінші жол — бағандар атаулары: Аты-жөні, Электрондық пошта, Телефон, Топ (немесе ФИО, E-mail, Телефон, Группа; немесе full_name, email, phone, group). Алдымен әр жол тексеріледі: біреуінде қате болса, ештеңе импортталмайды.
students-import-file = CSV файлы
students-import-text = Немесе жолдарды қойыңыз
students-import-submit = Импорттау
students-import-failed = Ештеңе импортталмады: қателерді түзетіңіз ({ $count }).
students-import-row = { $row }-жол
students-no-courses = Ешбір курсқа жазылмаған.
students-access = Қолжетімділік
students-enrol = Курсқа жазу
students-to-group = Топқа қосу
groups-title = Топтар
groups-none = Әзірге топ жоқ.
groups-create = Топ құру
groups-enrol = Топты жазу
field-group = Топ
field-group_name = Жаңа топ
field-course_id = Курс
field-group_id = Топ
field-access_from = Қолжетімділік басталуы
field-access_to = Қолжетімділік аяқталуы
flash-student-added = Оқушы қосылып, e-mail арқылы шақырылды.
flash-students-imported = Оқушылар импортталып, e-mail арқылы шақырылды.
flash-group-created = Топ құрылды.
flash-student-enrolled = Оқушы курсқа жазылды.
flash-student-grouped = Оқушы топқа қосылды.
flash-group-enrolled = Топ курсқа жазылды.

# Issue 6: teachers, covers and logo, trash, group progress, invitations, embed hosts
flash-moved-to-trash = Себетке жіберілді: 30 күн ішінде қалпына келтіруге болады.
flash-restored = Себеттен қалпына келтірілді.
flash-teachers-saved = Курс оқытушылары сақталды.
flash-logo-saved = Мектеп логотипі сақталды.
flash-logo-missing = Алдымен сурет файлын таңдаңыз.
flash-invitation-resent = Жаңа шақыру жіберілді; бұрынғы сілтеме енді жарамайды.
flash-embed-hosts-saved = Рұқсат етілген сайттар тізімі сақталды.
flash-lesson-saved = Сабақ сақталды.
error-invalid = Деректерді тексеріңіз
error-host = Сайт атауын көрсетіңіз, мысалы player.example.com.
error-host-known = Бұл сайтқа рұқсат бұрыннан бар.
courses-cover = Мұқаба
courses-remove-cover = Мұқабаны алып тастау
courses-teachers = Оқытушылар
courses-teachers-hint = Оқытушы тек өзіне белгіленген курстарды көріп, өңдейді; әкімшілер барлық курсты көреді.
courses-teachers-none = Мектепте әзірге оқытушы рөлі бар қызметкер жоқ. Оларды кабинетте шақырыңыз.
courses-delete-course = Курсты жою
courses-delete-course-hint = Курс модульдерімен және сабақтарымен себетке түседі; оны 30 күн ішінде қалпына келтіруге болады.
courses-edit-lesson = Сабақты өңдеу
courses-replace-file = Файлды ауыстыру
trash-title = Себет
trash-lead = Жойылған курстар, модульдер мен сабақтар мұнда { $days } күн сақталады, содан кейін біржола жойылады.
trash-empty = Себет бос.
trash-kind = Не
trash-deleted-at = Жойылды
trash-kind-course = Курс
trash-kind-module = Модуль
trash-kind-lesson = Сабақ
trash-restore = Қалпына келтіру
school-logo-title = Мектеп сайты
school-logo = Логотип (PNG, JPEG, WebP немесе GIF)
school-remove-logo = Логотипті алып тастау
students-not-joined = Әлі құпиясөз орнатпаған.
students-resend = Шақыруды қайта жіберу
group-progress = Топтың үлгерімі
group-progress-none = Топ студенттері әлі ешбір курсқа жазылмаған.
group-not-enrolled = Жазылмаған
embeds-title = Ендіру сайттары
embeds-lead = Ендіру сабақтары тек осы сайттардың ойнатқыштарын көрсете алады (https). Сайтты алып тастасаңыз, оның ойнатқыштары барлық мектептің сабақтарында жасырылады.
embeds-list = Рұқсат етілген сайттар
embeds-add = Сайтқа рұқсат беру
embeds-remove = Алып тастау
field-host = Сайт
field-host-hint = Тек сайт атауы, мысалы player.example.com
courses-preview = Студент ретінде қарау
error-image = Мектепке жүктелген PNG, JPEG, WebP, GIF немесе AVIF суретін таңдаңыз.
error-lesson-file = Файл бұл сабаққа сәйкес келмейді: бейнесабаққа бейне, аудиосабаққа аудиофайл керек, ал субтитрлер WebVTT файлы болуы тиіс.
table-scroll = Кесте (тар экранда көлденең жылжиды)
error-503-title = Уақытша қолжетімсіз
error-503-text = Сайт қазір қолжетімсіз. Кейінірек кіріп көріңіз.
blocked-title = Мектепке кіру бұғатталған
blocked-text = Мектеп бұғатталған: бұғат алынғанша қызметкерлер, оқушылар және бағдарламалар жұмыс істей алмайды. Мектеп иесі төлем мен құжаттар бөліміне кіріп, қолдау қызметіне жаза алады.
restricted-blocked = Кабинет бұғатталған. Мектеп қызметкерлері, оқушылары және бағдарламалары жұмыс істей алмайды, мектеп сайты жабық. Сізге төлем, құжаттар және шарт қолжетімді; бұғат туралы қолдау қызметіне жазыңыз: { $support }.
restricted-trial_expired = Сынақ мерзімі аяқталды. Өтінім беріп, лицензияны төлегенше қызметкерлер, оқушылар және бағдарламалар жұмыс істей алмайды, ал мектеп сайты жабық. Төменде тарифті таңдаңыз.
restricted-overdue = Төленген кезең аяқталды. Ұзарту шоты төленгенше қызметкерлер, оқушылар және бағдарламалар жұмыс істей алмайды, ал мектеп сайты жабық. Кезең аяқталғаннан кейін 7 күн ішінде төлесеңіз, лицензия үзіліссіз жалғасады.
restricted-lapsed = Лицензия төленбегендіктен тоқтатылды. Қызметкерлер, оқушылар және бағдарламалар жұмыс істей алмайды, мектеп сайты жабық. Жаңа лицензияны төлеу қолжетімділікті қайтарады.
restricted-lapsed-purge = Лицензия төленбегендіктен тоқтатылды. Қызметкерлер, оқушылар және бағдарламалар жұмыс істей алмайды, мектеп сайты жабық. Жаңа лицензияны төлеу қолжетімділікті қайтарады; әйтпесе мектеп деректері { $purge } жойылады.
restricted-terminated = Шарт тоқтатылды. Қызметкерлер, оқушылар және бағдарламалар жұмыс істей алмайды, мектеп сайты жабық.
restricted-terminated-purge = Шарт тоқтатылды. Қызметкерлер, оқушылар және бағдарламалар жұмыс істей алмайды, мектеп сайты жабық. Мектеп деректері { $purge } дейін сақталады, содан кейін жойылады.
restricted-purged = Шарт тоқтатылды, мектеп деректері жойылды. Шоттар, төлемдер және актілер қолжетімді болып қалады.
cabinet-contract-open = «Шарт» бөлімін ашу
field-support_email = Қолдау қызметінің e-mail-ы
mail-blocked-silent-subject = EduCenter-дегі «{ $org }» кабинеті бұғатталды
mail-blocked-silent-body =
    Сәлеметсіз бе, { $name }!

    «{ $org }» кабинеті бұғатталды. Бұғат алынғанша қызметкерлер, оқушылар және бағдарламалар жұмыс істей алмайды, мектеп сайты жабық; төлем, құжаттар және шарт бөлімдеріне кіре аласыз. Бұғат туралы қолдау қызметіне жазыңыз: { $support }.

    EduCenter командасы
mail-unblocked-subject = EduCenter-дегі «{ $org }» қолжетімділігі қалпына келтірілді
mail-unblocked-body =
    Сәлеметсіз бе, { $name }!

    «{ $org }» бұғаты алынды: қызметкерлер, оқушылар және бағдарламалар қайта жұмыс істей алады, мектеп сайты ашық.

    EduCenter командасы
mail-terminated-breach-subject = «{ $org }» шарты бұзылды
mail-terminated-breach-body =
    Сәлеметсіз бе, { $name }!

    EduCenter лицензия шарттарының бұзылуына байланысты «{ $org }» лицензиялық шартын бұзады (офертаның 2.8-тармағы). Негіздеме: { $grounds }

    Шарт { $ended } қоса алғанда әрекет етті. Кабинетке кіру жабық, төлем, құжаттар және шарт бөлімдерінен басқа. Мектеп деректері { $purge } дейін сақталады, содан кейін жойылады; шоттар, төлемдер және актілер сақталады.

    Сұрақтарды қолдау қызметіне қоюға болады: { $support }.

    EduCenter командасы
operator-blocked-since = { $since } бастап бұғатталған: { $reason }.
operator-compliance = Бұғаттау және шартты бұзу
operator-no-blocks = Мектеп бұғатталмаған.
operator-unblock = Бұғатты алу
operator-block = Мектепті бұғаттау
operator-block-submit = Бұғаттау
operator-terminate = Лицензияны бұзғаны үшін шартты бұзу
operator-terminate-lead = Шарт бүгін тоқтатылады (офертаның 2.8-тармағы). Иесі негіздемесі бар хат алады; мектеп деректері 60 күн сақталады, содан кейін жойылады.
operator-terminate-submit = Шартты бұзу
operator-compliance-role = Мектепті бұғаттауға, бұғатты алуға және шартты бұзуға комплаенс-офицер құқылы.
field-note = Ішкі жазба
field-note-hint = Тек оператор қызметкерлеріне көрінеді; мектепке көрсетілмейді.
field-grounds = Шартты бұзу негіздемесі
field-grounds-hint = Мектеп иесіне жіберіледі.
error-compliance-conflict = Қазір мұны істеу мүмкін емес: мектептің жағдайы өзгерді. Бетті жаңартыңыз.
flash-tenant-blocked = Мектеп бұғатталды, иесі хат алады.
flash-tenant-unblocked = Бұғат алынды.
flash-tenant-terminated = Шарт бұзылды, иесі хат алады.
trial-plan-title = Сынақ мерзімінің тарифі
trial-plan-lead = Сынақ мерзімі осы тарифтің лимиттерімен өтеді: оқушылар, қызметкерлер, курстар және файлдарға арналған орын.
trial-plan-submit = Сақтау
trial-plan-builtin = Кірістірілген лимиттер: 100 оқушы, 5 қызметкер, 10 курс, 5 ГБ
flash-trial-plan-saved = Сынақ мерзімінің тарифі сақталды.
billing-due-provisional = алдын ала: осы жылдың өндірістік күнтізбесі әлі жүктелмеген, мерзім ауыстыруларсыз дүйсенбіден жұмаға дейінгі жұмыс күндерімен есептелді
operator-calendar-gap = { $year } жылға арналған өндірістік күнтізбе жүктелмеген: оған жететін мерзімдер алдын ала есептеледі (ауыстыруларсыз дүйсенбі–жұма).
operator-calendar-load = Күнтізбені жүктеу
mail-calendar-gap-subject = { $year } жылға арналған өндірістік күнтізбе жүктелмеген
mail-calendar-gap-body =
    Сәлеметсіз бе!

    Мерзімді есептеу { $year } жылға жетті, ал осы жылдың өндірістік күнтізбесі жүктелмеген. Ол жүктелгенше мерзімдер алдын ала есептеледі: тұрақты күнді мерекелерсіз дүйсенбі–жұма, ауыстыруларсыз және Құрбан айтсыз, және алдын ала деп белгіленеді (шоттарда да).

    Күнтізбені бэк-офисте жүктеңіз: «Өндірістік күнтізбе» бөлімі, { $year } жыл.

    EduCenter
mail-service-price-subject = EduCenter «{ $service }» қызметінің жаңа бағалары { $effective } бастап
mail-service-price-body =
    Сәлеметсіз бе, { $name }!

    «{ $org }» тапсырыс берген «{ $service }» қызметінің бағалары { $effective } бастап өзгереді: бірлігі үшін { $prices }.

    Төленген қызметтер, сондай-ақ төлеу мерзімі келмеген шоттар өз бағасын сақтайды. Келіспесеңіз, кабинетте шарттан бас тарта аласыз.

    EduCenter командасы
mail-service-price-alert-subject = { $service } қызметі бағасының өзгеруі: жіберілмеген хабарламалар — { $unsent }
mail-service-price-alert-body = { $decided } шешілген { $service } қызметі бағасының өзгеруі бойынша 5 күннен кейін жеткізілмеген хабарламалар қалды: { $unsent }. Хаттар кезегін тексеріңіз (educenter mail list --state dead) және осы лицензиаттарға басқа жолмен хабарлаңыз.
cabinet-service-price-change = «{ $service }» қызметінің бағалары { $date } бастап өзгереді: бірлігі үшін { $prices }.
service-price-title = Қызметтің жаңа бағасы
service-price-lead = Қосымша қызмет бағасының шешім күні мен күшіне ену күні бар жаңа нұсқасы. Қызметке тапсырыс берген әр мектеп бірден хат және кабинетте хабарлама алады; бұрын шығарылған шоттар өз бағасын сақтайды.
service-price-submit = Бағаны қосу
field-service = Қызмет
error-service = Тізімнен бағасы бар қызметті таңдаңыз («сұрау бойынша» қызметтің бағасы поштамен келісіледі).
cabinet-api-write = API арқылы өзгертуге рұқсат беру
cabinet-api-write-lead = API арқылы өзгерту өшірулі кезде жаңа токендер деректерді тек оқиды, ал «оқу және жазу» токендері оқу токендері сияқты жұмыс істейді. Токен арқылы әр өзгеріс токен нөмірімен журналға жазылады.
cabinet-api-write-off = API арқылы өзгерту өшірулі: токендер деректерді тек оқиды. Оны мектеп иесі қоса алады.
flash-api-write-on = API арқылы өзгертуге рұқсат берілді.
flash-api-write-off = API арқылы өзгерту өшірілді: барлық токендер енді тек оқиды.
school-privacy-title = Құпиялылық саясаты
school-privacy-agree = Мен { $school } құпиялылық саясатын оқыдым және дербес деректерімді оның шарттарымен өңдеуге келісім беремін.
school-profile-title = Профиль
school-consents = Менің келісімдерім
school-consent-privacy = Дербес деректерді өңдеуге келісім { $given } берілді.
school-consent-privacy-withdrawn = Дербес деректерді өңдеуге келісім { $given } берілді, { $withdrawn } қайтарылды.
school-consent-marketing = Мектеп таратылымдарына келісім { $given } берілді.
school-consent-marketing-withdrawn = Мектеп таратылымдарына келісім { $given } берілді, { $withdrawn } қайтарылды.
school-marketing-lead = Мектептің жарнамалық және ақпараттық таратылымдарынан кез келген уақытта бас тарта аласыз. Курстарыңыз, құпиясөз және кіру туралы хаттар келе береді.
school-marketing-withdraw = Таратылымдардан бас тарту
school-marketing-none = Сіз мектеп таратылымдарын алмайсыз.
flash-marketing-withdrawn = Сіз мектеп таратылымдарынан бас тарттыңыз.
privacy-edit-title = Оқушыларға арналған құпиялылық саясаты
privacy-edit-lead = Мектеп — өз оқушыларының дербес деректерінің операторы. Мұнда оқушылар тіркелу кезінде қабылдайтын оның өз мәтіні; әр жаңа редакция нөмір алады, ал оқушының келісімі ол көрген редакцияның нөмірін сақтайды. Өз мәтіні болмаса, оқушылар платформаның стандартты мәтінін көреді.
privacy-edit-version = № { $version } редакция
privacy-edit-default = Қазір оқушылар платформаның стандартты мәтінін көреді
privacy-edit-submit = Жаңа редакцияны сақтау
privacy-edit-history = Редакциялар
field-text = Мәтін
field-text-hint = 20-дан 20 000-ға дейін таңба; азат жолдарды бос жолмен бөліңіз.
login-code-sent = Осы e-mail арқылы кіру әрекеттері тым көп сәтсіз болды. Құпиясөз дұрыс болса, оған код жібердік: құпиясөзді және кодты енгізіңіз.
field-code-hint = Алты цифр; код 15 минут жарамды.
mail-login-code-subject = EduCenter-ге кіру коды
mail-login-code-body =
    Сәлеметсіз бе!

    Сіздің e-mail-мен кіру әрекеттері көп рет сәтсіз болды, сондықтан енді кіру үшін код керек: { $code }

    Ол { $minutes } минут жарамды. Оны құпиясөзбен бірге енгізіңіз. Егер бұл сіз болмасаңыз, құпиясөзді ауыстырған жөн: осы хаттағы кодсыз тіркелгіге ешкім кіре алмайды.

    EduCenter командасы
login-choose-title = Мектепті таңдаңыз
login-choose-lead = Бұл e-mail және құпиясөз бірнеше мектепке кіруге жарайды. Қайда кіресіз?
students-import-row-error = { $row }-жол, «{ $column }»: { $why }
field-csv = Жол
