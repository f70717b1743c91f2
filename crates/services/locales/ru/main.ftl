app-name = EduCenter
app-tagline = Онлайн-школа для учебных центров, репетиторов и школ Казахстана
skip-to-content = Перейти к содержанию
nav-label = Основная навигация
nav-home = Главная
nav-features = Возможности
nav-api = API
lang-switch-label = Язык интерфейса
landing-title = Ваша онлайн-школа за один вечер
landing-lead = EduCenter — платформа, на которой учебный центр, репетитор или школа размещает свои курсы: текстовые, видео- и аудиоуроки, файлы и тесты — и обучает своих учеников на собственном сайте.
landing-trial = 14 дней бесплатно, без карты. Оплата в тенге, евро или долларах по счёту или онлайн.
landing-features-title = Что умеет платформа
feature-courses-title = Курсы и уроки
feature-courses-text = Модули, уроки с видео и аудио, файлы, тесты, открытие уроков по расписанию.
feature-students-title = Ученики и группы
feature-students-text = Приглашения, импорт из таблицы, группы, прогресс каждого ученика.
feature-billing-title = Честные документы
feature-billing-text = Счета и ежемесячные акты на русском и казахском языках, сумма прописью.
feature-languages-title = Три языка
feature-languages-text = Русский, казахский и английский — в каждом экране и каждом письме.
footer-rights = © EduCenter. Все права защищены.
footer-api = Документация API (OpenAPI)
flash-lang-changed = Язык интерфейса изменён.
error-404-title = Страница не найдена
error-404-text = Такой страницы нет. Проверьте адрес или вернитесь на главную.
error-generic-title = Что-то пошло не так
error-generic-text = Запрос не удалось выполнить. Попробуйте ещё раз чуть позже.
error-back-home = На главную
courses-count = { $count ->
    [one] { $count } курс
    [few] { $count } курса
   *[many] { $count } курсов
}
mail-access-subject = Доступ к кабинету EduCenter: { $org }
mail-access-body =
    Здравствуйте, { $name }!

    Кабинет «{ $org }» на платформе EduCenter создан. Пробный период длится по { $trial_ends } включительно; заявку на тариф можно подать до { $deadline }.

    Логин для входа: { $email }

    Подтвердите адрес электронной почты по ссылке (она действует 7 дней):
    { $verify_url }

    Команда EduCenter
verify-title = Подтверждение адреса
verify-ok = Адрес электронной почты подтверждён. Спасибо!
verify-expired = Срок действия ссылки истёк. Запросите новую ссылку.
verify-used = Эта ссылка уже использована.
verify-invalid = Ссылка недействительна. Проверьте, что она скопирована полностью.
mail-invite-subject = Приглашение в кабинет «{ $org }» на EduCenter
mail-invite-body =
    Здравствуйте, { $name }!

    Вас пригласили в кабинет «{ $org }» на платформе EduCenter с ролью «{ $role }».

    Чтобы принять приглашение, задайте пароль по ссылке (она действует 7 дней):
    { $accept_url }

    Ваш логин: { $email }

    Команда EduCenter
role-administrator = Администратор
role-teacher = Преподаватель
role-manager = Менеджер
role-accountant = Бухгалтер
invitation-title = Приглашение в кабинет
invitation-lead = Задайте пароль, чтобы принять приглашение.
invitation-password = Пароль (не менее 10 символов: буквы и цифры или знаки)
invitation-submit = Принять приглашение
invitation-accepted = Приглашение принято. Войдите в кабинет школы «{ $slug }» с адресом { $email }.
invitation-accepted-learner = Приглашение принято. Войдите на сайт школы с адресом { $email }, чтобы учиться.
invitation-expired = Срок действия приглашения истёк. Попросите владельца кабинета прислать новое.
invitation-used = Это приглашение уже принято.
invitation-invalid = Приглашение не найдено. Проверьте, что ссылка скопирована полностью.
mail-offer-subject = Новая редакция оферты EduCenter № { $number }
mail-offer-body =
    Здравствуйте, { $name }!

    { $published } опубликована новая редакция лицензионной оферты EduCenter (№ { $number }).

    Что изменилось: { $summary }

    Если вы не согласны с изменениями, до { $deadline } включительно заявите возражение в кабинете; договор тогда прекратится через 10 рабочих дней на прежних условиях. Без возражения новая редакция считается принятой.

    Команда EduCenter
offer-title = Лицензионный договор-оферта
offer-version = Редакция № { $number } от { $date }
offer-changes = Что изменилось
offer-archive = Все редакции
offer-current = действующая
offer-kk-missing = Текст на казахском языке готовится; ниже — текст на русском языке.
footer-offer = Публичная оферта
mail-reset-subject = Сброс пароля EduCenter: { $school }
mail-reset-body =
    Здравствуйте, { $name }!

    Чтобы задать новый пароль для входа в «{ $school }», перейдите по ссылке (она действует 1 час и только один раз):
    { $reset_url }

    Если вы не запрашивали сброс, просто проигнорируйте это письмо: пароль не изменится.

    Команда EduCenter

    Чтобы задать новый пароль, перейдите по ссылке (она действует 1 час и только один раз):
    { $reset_url }

    Если вы не запрашивали сброс, просто проигнорируйте это письмо: пароль не изменится.

    Команда EduCenter
reset-title = Новый пароль
reset-lead = Задайте новый пароль. После этого все сеансы входа будут завершены.
reset-submit = Сохранить пароль
reset-done = Пароль изменён. Войдите с новым паролем.
reset-expired = Срок действия ссылки истёк. Запросите сброс пароля ещё раз.
reset-used = Эта ссылка уже использована.
reset-invalid = Ссылка недействительна. Проверьте, что она скопирована полностью.
nav-cabinet = Мой кабинет
nav-sign-in = Войти
nav-sign-up = Начать бесплатно
nav-sign-out = Выйти
nav-sign-out-everywhere = Выйти на всех устройствах
flash-signed-in = Вы вошли.
flash-signed-up = Школа создана, пробный период начался. Мы отправили ссылку для подтверждения e-mail.
flash-signed-out = Вы вышли.
flash-signed-out-everywhere = Вы вышли на всех устройствах.
flash-staff-invited = Приглашение отправлено.
flash-staff-role-changed = Роль изменена.
flash-staff-removed = Сотрудник удалён; его сеансы и токены завершены.
flash-token-revoked = Токен отозван.
flash-objection-filed = Возражение принято; договор прекратится через 10 рабочих дней на прежних условиях.
flash-notice-filed = Уведомление о расторжении принято.
flash-notice-withdrawn = Уведомление о расторжении отозвано; договор продолжает действовать.
flash-calendar-saved = Календарь сохранён.
field-optional = необязательно
field-org_name = Организация или ваше ФИО
field-kind = Кто заключает договор
field-bin_iin = ИИН или БИН
field-bin_iin-hint = 12 цифр; для нерезидента — налоговый номер вашей страны.
field-resident = Резидент Республики Казахстан
field-full_name = ФИО
field-email = E-mail
field-phone = Телефон
field-phone-hint = Например +7 701 123 45 67 или 8 701 123 45 67.
field-password = Пароль
field-password-hint = Не менее 10 символов: буквы вместе с цифрами или знаками.
field-slug = Адрес школы
field-slug-hint = От 3 до 40 латинских букв, цифр и дефисов: сайт школы будет по адресу /s/адрес.
field-accept_offer = Я прочитал(а) и принимаю публичную оферту (лицензионный договор)
field-school = Адрес школы
field-school-hint = Оставьте пустым, если вы сотрудник EduCenter.
field-role = Роль
field-name = Название
field-scope = Доступ
field-expires_on = Действует до
field-non_working_days = Выходные в будни
field-non_working_days-hint = По одной дате в строке, ГГГГ-ММ-ДД: праздники и перенесённые дни.
field-working_days = Рабочие субботы и воскресенья
field-working_days-hint = По одной дате в строке, ГГГГ-ММ-ДД: выходные, объявленные рабочими.
error-expires_on = Укажите дату не раньше завтрашней или оставьте поле пустым.
error-slug-taken = Этот адрес занят; выберите другой.
error-trial-used = С этим ИИН/БИН, e-mail или телефоном пробный период уже был. Напишите в поддержку, если нужен ещё один.
error-email-taken = Человек с этим e-mail уже есть в кабинете.
error-forbidden = Нет доступа
error-conflict = Сейчас это сделать нельзя
error-confirm = Отметьте флажок, чтобы подтвердить.
error-not-a-date = «{ $value }» — не дата; пишите даты как ГГГГ-ММ-ДД.
error-calendar = Календарь не сохранён: { $detail }
kind-legal_entity = Юридическое лицо
kind-sole_proprietor = Индивидуальный предприниматель
kind-individual = Физическое лицо
signup-title = Создайте онлайн-школу
signup-lead = 14 дней бесплатно. Кабинет создаётся сразу, данные для входа придут на e-mail.
signup-submit = Создать школу
signup-read-offer = Прочитать публичную оферту
signup-have-account = У меня уже есть аккаунт
login-title = Вход
login-lead = Войдите с e-mail и паролем: школу мы найдём сами.
login-submit = Войти
login-forgot = Забыли пароль?
login-no-account = Создать школу
login-failed = Неверный e-mail или пароль.
login-blocked = Доступ к этой школе заблокирован. Напишите в поддержку.
login-throttled = Слишком много попыток. Повторите через { $minutes } мин.
forgot-title = Восстановление пароля
forgot-lead = Укажите e-mail, и мы пришлём ссылку для нового пароля (если e-mail есть в нескольких школах — ссылку для каждой).
forgot-submit = Отправить ссылку
forgot-back = Вернуться ко входу
forgot-sent = Если такой аккаунт есть, ссылка для нового пароля уже в пути. Она действует 1 час.
setup-title = Настройка EduCenter
setup-lead = Создайте первую учётную запись суперадминистратора платформы.
setup-submit = Создать учётную запись
setup-done = Учётная запись суперадминистратора создана. Войдите с ней, оставив адрес школы пустым.
setup-invalid = Эта ссылка для настройки недействительна: она использована, истекла или у платформы уже есть администратор.
cabinet-title = Кабинет
cabinet-address = Адрес школы
cabinet-licence = Лицензия
cabinet-trial = Пробный период действует по { $trial_ends } включительно. Подайте заявку на тариф до { $deadline } включительно.
cabinet-new-offer = Опубликована новая редакция оферты № { $number }. Если вы не согласны, заявите возражение до { $deadline } включительно; иначе она считается принятой.
cabinet-read-offer = Читать оферту
cabinet-object = Возразить против новой редакции
cabinet-notice-notice = Вы уведомили о расторжении: договор действует по { $end } включительно.
cabinet-notice-objection = Вы возразили против новой редакции оферты: договор действует по { $end } включительно на прежних условиях.
cabinet-notice-refusal = От пробного периода отказались: договор прекращается в конце дня { $end }
cabinet-withdraw = Отозвать уведомление
cabinet-token-created = Токен «{ $name }» создан
cabinet-token-once = Скопируйте его сейчас: он показывается только один раз. Передавайте его как Authorization: Bearer.
cabinet-staff = Сотрудники
cabinet-no-staff = Пока никто не приглашён.
cabinet-status = Статус
cabinet-actions = Действия
cabinet-save = Сохранить
cabinet-active = Активен
cabinet-invited = Приглашён
cabinet-remove = Удалить
cabinet-invite = Пригласить сотрудника
cabinet-invite-submit = Отправить приглашение
cabinet-tokens = API-токены
cabinet-tokens-lead = Токены позволяют вашим программам работать с API EduCenter от вашего имени. Только чтение, если вы не разрешите запись.
cabinet-last-used = Последнее использование
cabinet-never = не использовался
cabinet-revoke = Отозвать
cabinet-new-token = Новый токен
cabinet-create-token = Создать токен
cabinet-contract = Договор
cabinet-accepted = Вы приняли редакцию оферты № { $number }.
cabinet-notice-lead = Договор прекращается через 10 рабочих дней после уведомления; до тех пор его можно отозвать.
cabinet-give-notice = Уведомить о расторжении
cabinet-refusal = Отказ в пробный период
cabinet-refusal-lead = Письменный отказ сразу закрывает доступ вам, сотрудникам и вашим программам. Данные хранятся 60 дней, затем удаляются.
cabinet-refusal-confirm = Я понимаю, что доступ закроется сразу
cabinet-refuse = Отказаться от лицензии
cabinet-sessions = Сеансы
cabinet-sessions-lead = Если вы входили с чужого устройства, завершите все сеансы сразу.
scope-read = Только чтение
scope-read_write = Чтение и запись
refusal-title = Отказ принят
refusal-done = Ваш отказ записан, доступ закрыт. Данные школы хранятся до { $purge }; перед удалением мы напишем.
mail-refusal-subject = Отказ от лицензии EduCenter: { $org }
mail-refusal-body =
    Здравствуйте, { $name }!

    Мы записали ваш письменный отказ от лицензии для «{ $org }» в пробный период. Доступ к кабинету закрыт.

    Данные школы хранятся до { $purge }, затем удаляются; перед этим мы напомним. Чтобы возобновить работу, напишите в поддержку до этой даты.

    Команда EduCenter
operator-title = Бэк-офис
operator-your-role = Ваша роль
operator-role-super_admin = суперадминистратор
operator-role-billing = сотрудник биллинга
operator-role-support = агент поддержки
operator-role-compliance = комплаенс-офицер
operator-calendar = Производственный календарь
operator-tenants = Лицензиаты
operator-search = Адрес, название, ИИН/БИН или e-mail
operator-find = Найти
operator-none = Ничего не найдено.
operator-state = Состояние
operator-created = Создан
operator-licensee = Лицензиат
operator-non-resident = нерезидент
operator-trial-ends = Последний день пробного периода
operator-deadline = Срок подачи заявки
operator-owner = Владелец
operator-unverified = e-mail не подтверждён
operator-blocked = Заблокирован с { $since }: { $reason }; данные хранятся до { $purge }.
operator-contracts = Договоры
operator-status = Статус
operator-offer-version = Редакция оферты
operator-started = Начало
operator-acceptances = Акцепты оферты
operator-method = Способ
operator-when = Когда (Алматы)
operator-audit = Журнал аудита
operator-action = Действие
operator-actor = Кто
operator-details = Подробности
operator-calendar-lead = Суббота и воскресенье — выходные, если не указаны как рабочие. Даты другого года не принимаются.
operator-calendar-missing = Календарь на этот год не загружен: даты считаются с понедельника по пятницу и помечаются как предварительные. Сохранение формы загрузит его.
operator-calendar-save = Сохранить календарь
cabinet-blocked = Доступ к школе заблокирован: сотрудники, ученики и программы не могут работать. Напишите в поддержку.
cabinet-blocked-refusal = Вы отказались от лицензии: доступ сотрудников, учеников и программ закрыт. Данные хранятся до { $purge }.
licence-inactive-title = Школа ждёт оплаты
licence-inactive-text = Лицензия школы не оплачена, поэтому сотрудники, ученики и программы пока не могут работать. Владелец может оплатить в разделе «Оплата» кабинета.
state-trial = пробный период
state-trial-text = Идёт пробный период: всё работает.
state-trial_expired = пробный период завершён
state-trial_expired-text = Пробный период завершился. Сотрудники и ученики ждут, пока вы подадите заявку на тариф и оплатите её; это можно сделать в кабинете.
state-active = действует
state-active-text = Лицензия оплачена: всё работает.
state-overdue = оплата просрочена
state-overdue-text = Оплаченный период закончился. Сотрудники, ученики и программы приостановлены до оплаты счёта на продление; при оплате в течение 7 дней после окончания периода лицензия продолжится без перерыва.
state-lapsed = прекращена
state-lapsed-text = Лицензия прекращена, договор завершён. Данные сохраняются; оплата начнёт новый договор.
state-terminating = расторгается
state-terminating-text = Подано уведомление о расторжении; всё работает до окончания договора.
state-terminated = договор расторгнут
state-terminated-text = Договор завершён.
mail-state-subject = Лицензия EduCenter «{ $org }»: { $state }
mail-state-body =
    Здравствуйте, { $name }!

    Состояние лицензии «{ $org }»: { $state }.

    { $text }

    Команда EduCenter
mail-invoice-subject = Счёт { $number } на лицензию EduCenter
mail-invoice-body =
    Здравствуйте, { $name }!

    Для «{ $org }» выставлен счёт { $number } на { $amount }. Оплатите его до { $due }; он в разделе «Оплата» вашего кабинета.

    Команда EduCenter
mail-reminder-subject = Напоминание: счёт { $number } не оплачен
mail-reminder-body =
    Здравствуйте, { $name }!

    Счёт { $number } на { $amount } (срок оплаты { $due }) ещё не оплачен. Оплаченный период «{ $org }» заканчивается { $last_day }; при оплате в течение 7 дней после этого лицензия продолжится без перерыва.

    Команда EduCenter
mail-reissue-subject = Новый счёт { $number } на лицензию EduCenter
mail-reissue-body =
    Здравствуйте, { $name }!

    Счёт { $old } не был оплачен в течение 7 дней после окончания периода, поэтому лицензия «{ $org }» прекращена, а счёт аннулирован. Новый договор начнётся с оплатой счёта { $number } на { $amount }, срок оплаты { $due }.

    Команда EduCenter
pricing-title = Тарифы и цены
pricing-lead = Цены, действующие сегодня. Резиденты Казахстана платят в тенге; остальные — в евро или долларах.
pricing-none = Прайс-лист готовится.
pricing-limits = До { $students } учеников, { $staff } сотрудников, { $courses } курсов, { $storage } ГБ файлов.
pricing-term = { $months ->
    [one] { $months } месяц
    [few] { $months } месяца
   *[many] { $months } месяцев
}
billing-title = Оплата
billing-paid-through = Оплачено по
billing-contract = Договор
billing-credit = Баланс
billing-periods = Оплаченные периоды
billing-from = С
billing-to = По
billing-invoice = Счёт
billing-apply = Заявка на тариф
billing-apply-lead = Выберите тариф и срок; перед подтверждением вы увидите счёт.
billing-continue = Продолжить
billing-invoices = Счета
billing-no-invoices = Счетов пока нет.
billing-issued = Выставлен
billing-due = Оплатить до
billing-amount = Сумма
billing-confirm-title = Проверьте счёт
billing-confirm-lead = Такой счёт будет выставлен по вашей заявке. Оплата — в течение 3 рабочих дней.
billing-total = Итого
billing-confirm = Выставить счёт
billing-back = Изменить выбор
billing-supplier = Поставщик
billing-customer = Покупатель
billing-bin = БИН
billing-iin = ИИН
billing-iik = ИИК
billing-bik = БИК
billing-paid = Оплачено
billing-purpose = Назначение платежа: оплата лицензии EduCenter по счёту № { $number }, без НДС.
field-plan = Тариф
field-months = Срок
field-currency = Валюта
field-invoice_number = Номер счёта
field-amount = Сумма
field-amount-hint = Как в выписке банка, например 30 000,00.
field-received_on = Дата валютирования
field-reference = Референс платежа
error-plan = Выберите один из тарифов.
error-months = Выберите срок, на который продаётся тариф.
error-currency = Выберите доступную валюту (резиденты платят в KZT).
error-amount = Укажите сумму цифрами, не больше двух знаков после запятой, например 30 000,00; не больше 100 000 000 000,00.
error-invoice_number = Счёта с таким номером нет.
invoice-status-issued = выставлен
invoice-status-paid = оплачен
invoice-status-overdue = просрочен
invoice-status-void = аннулирован
operator-billing = Биллинг
operator-record-payment = Внести банковский платёж
operator-record = Внести
operator-all = все
flash-payment-recorded = Платёж внесён.
flash-payment-known = Этот референс уже внесён; ничего не добавлено.
billing-pay-online = Оплатить картой
sandbox-title = Тестовый платёжный шлюз
sandbox-note = Это тестовый шлюз, встроенный в EduCenter: деньги не списываются.
sandbox-amount = К оплате
sandbox-pay = Оплатить
sandbox-cancel = Отмена
cabinet-price-change = Цены тарифа «{ $plan }» меняются с { $date }: { $prices }. Уже оплаченные периоды сохраняют свою цену.
mail-price-subject = Новые цены тарифа EduCenter «{ $plan }» с { $effective }
mail-price-body =
    Здравствуйте, { $name }!

    Цены тарифа «{ $plan }», которым пользуется «{ $org }», меняются с { $effective }:
    { $prices }

    Уже оплаченные периоды сохраняют свою цену, как и счета, срок оплаты которых не наступил. Если вы не согласны, вы можете отказаться от договора в кабинете.

    Команда EduCenter
mail-repriced-subject = Счёт { $old } перевыставлен как { $number } по новой цене
mail-repriced-body =
    Здравствуйте, { $name }!

    Счёт { $old } для «{ $org }» не был оплачен в срок, а цены тарифа с тех пор изменились; он аннулирован и заменён счётом { $number } на { $amount }, срок оплаты { $due }. Уже внесённое по нему зачтено в новый счёт.

    Команда EduCenter
mail-price-alert-subject = Изменение цен тарифа { $plan }: не отправлено уведомлений — { $unsent }
mail-price-alert-body =
    По изменению цен тарифа { $plan }, решённому { $decided }, через 5 дней остаются недоставленными уведомления: { $unsent }. Проверьте очередь писем (educenter mail list --state dead) и сообщите этим лицензиатам иным способом.
metric-students = учеников
metric-staff = сотрудников
metric-storage_bytes = байт хранилища
metric-courses = курсов
mail-limit-subject = «{ $org }» использует { $level }% лимита тарифа: { $metric }
mail-limit-body =
    Здравствуйте, { $name }!

    У «{ $org }» сейчас { $used } { $metric } из { $limit }, разрешённых тарифом ({ $level }%). При достижении лимита добавление новых будет отклоняться, пока вы не смените тариф или не освободите место; всё существующее продолжит работать.

    Команда EduCenter
block-reason-illegal_content = незаконный контент
block-reason-licence_breach = нарушение лицензии
block-reason-spam_complaint = жалобы на спам
block-reason-over_limit = превышение лимитов тарифа
mail-blocked-subject = Доступ к «{ $org }» на EduCenter заблокирован
mail-blocked-body =
    Здравствуйте, { $name }!

    Доступ к «{ $org }» заблокирован, причина: { $reason }. Сотрудники, ученики и программы не могут работать, а сайт школы закрыт, пока блокировка не снята; вы по-прежнему можете войти в разделы оплаты, документов и договора. Чтобы решить вопрос, напишите в поддержку: { $support }.

    Команда EduCenter

    Доступ к «{ $org }» заблокирован, причина: { $reason }. Сотрудники, ученики и программы не могут работать, пока блокировка не снята; вы по-прежнему можете войти в раздел оплаты и документов. Ответьте на это письмо, чтобы решить вопрос.

    Команда EduCenter
field-reason = Причина
field-email_reference = Ссылка на письмо
field-tenant = Адрес школы
field-description = За что счёт
error-reason = Укажите причину: от 1 до 500 символов.
refund-title = Внести возврат
refund-lead = Только по договору, прекращённому до конца оплаченного периода; не больше оплаченного за вычетом использованного времени по обычной цене.
refund-submit = Внести возврат
quote-title = Внести коммерческое предложение
quote-lead = Цена, согласованная по e-mail: счёт выставляется сразу, его оплата означает согласие.
quote-submit = Выставить счёт
flash-refund-recorded = Возврат внесён.
flash-quote-recorded = Предложение внесено, счёт выставлен.
operator-promotions = Акции
operator-code = Код
operator-discount = Скидка
state-purged = данные удалены
state-purged-text = Данные школы удалены после окончания срока хранения.
mail-purge-warning-subject = Данные «{ $org }» будут удалены { $purge }
mail-purge-warning-body =
    Здравствуйте, { $name }!

    Договор с «{ $org }» прекращён, и { $purge } мы удалим данные школы:
    — курсы, модули и уроки;
    — все загруженные файлы: видео, аудио, документы, обложки и логотип;
    — учётные записи учеников, их записи на курсы, прогресс и согласия;
    — учётные записи сотрудников;
    — все входы в кабинет и API-токены.

    Сохранятся запись о школе, договоры, счета, платежи и акты, а ваша учётная запись владельца останется, чтобы вы видели счета и документы. Журнал действий хранится без персональных данных.

    Если оплатить лицензию в кабинете до { $purge }, данные не будут удалены.

    Команда EduCenter

    Лицензия «{ $org }» прекращена, и её данные (курсы, ученики, учётные записи сотрудников) будут удалены { $purge }. Чтобы сохранить их, оплатите тариф в кабинете до этой даты или выгрузите нужное.

    Команда EduCenter
mail-purged-subject = Данные «{ $org }» удалены
mail-purged-body =
    Здравствуйте, { $name }!

    Как мы предупреждали, { $purge } данные «{ $org }» удалены: курсы, файлы, ученики и сотрудники. Договоры, счета, платежи и акты сохранены, а ваша учётная запись осталась, чтобы вы видели счета и документы.

    Команда EduCenter

    Как мы предупреждали, данные «{ $org }» удалены { $purge }. Ваша учётная запись сохранена, чтобы вы видели свои счета и документы.

    Команда EduCenter
promotion-title = Создать или изменить акцию
promotion-lead = Промокод для заявок: процент или сумма скидки на лицензию, для некоторых тарифов или всех, между двумя датами. Об изменении никто не уведомляется.
promotion-submit = Сохранить акцию
promotion-kind-percent = Процент
promotion-kind-fixed = Фиксированная сумма
field-code = Код из письма
field-value = Скидка
field-value-hint = Процент от 1 до 100 или сумма, например 10 000,00.
field-plans = Тарифы
field-plans-hint = Коды тарифов через запятую; пусто — для всех.
field-valid_from = Действует с
field-valid_to = Действует по
error-code = От 2 до 32 латинских букв, цифр, дефисов или подчёркиваний.
error-value = Процент от 1 до 100 или положительная сумма.
error-kind-promotion = Выберите процент или фиксированную сумму.
error-valid_from = Укажите первый день.
error-valid_to = Укажите последний день, не раньше первого.
error-plans = Одного из этих тарифов нет.
flash-promotion-saved = Акция сохранена.
field-promo_kind = Вид скидки
mail-receipt-alert-subject = Неразнесённый платёж { $reference }: срок предоставления прав { $deadline }
mail-receipt-alert-body =
    Платёж { $reference } на { $amount } от { $payer }, поступивший { $received }, всё ещё не разнесён ни на один счёт. Права должны быть предоставлены до конца дня { $deadline } (3 рабочих дня после поступления). Найдите счёт и разнесите платёж в разделе «Биллинг» бэк-офиса.
receipt-title = Внести поступление без счёта
receipt-lead = Деньги из выписки банка, которые не удалось сразу разнести на счёт. Права должны быть предоставлены в течение 3 рабочих дней после поступления: поступление видно в биллинге со сроком, а за рабочий день до срока операторы получают письмо.
receipt-submit = Внести поступление
field-payer = Плательщик
field-purpose = Назначение платежа
receipts-title = Неразнесённые поступления
receipts-lead = Поступления без счёта, по сроку предоставления прав. Укажите номер счёта, чтобы разнести платёж: период лицензии считается от даты поступления.
receipts-none = Неразнесённых поступлений нет.
receipts-deadline = Права до
receipts-match = Разнести
receipts-due-soon = срок близко
error-match-currency = Счёт выставлен в другой валюте.
error-match-done = Это поступление уже разнесено.
flash-receipt-recorded = Поступление внесено; оно ждёт разнесения на счёт.
flash-receipt-matched = Поступление разнесено на счёт.
plan-title = Новый тариф
plan-lead = Код, название на трёх языках, лимиты и первые цены. Пустая цена — срок не продаётся; нужна хотя бы одна.
plan-submit = Создать тариф
field-name_ru = Название (русский)
field-name_kk = Название (казахский)
field-name_en = Название (английский)
field-limit_students = Ученики
field-limit_students-hint = Сколько учеников может быть у школы; 0 — без учеников.
field-limit_staff = Сотрудники
field-limit_staff-hint = Места сотрудников, включая владельца.
field-limit_storage_gb = Хранилище, ГБ
field-limit_storage_gb-hint = Целое число гигабайт (1 ГБ = 1 000 000 000 байт; 100 ГБ так и показываются как 100 ГБ).
field-limit_courses = Курсы
field-limit_courses-hint = Сколько курсов может быть у школы.
field-effective_from = Действует с
field-effective_from-hint = Не раньше даты решения: цены не меняются задним числом.
field-decided_on = Дата решения
error-limit = Укажите целое число не меньше 0.
error-plan-prices = Укажите хотя бы одну цену.
error-effective_from = Укажите дату не раньше даты решения.
error-decided_on = Укажите дату решения, не будущую.
error-plan-code = От 2 до 32 символов: a-z, 0-9, - и _.
error-plan-name = Укажите название, до 100 символов.
error-plan-exists = Тариф с таким кодом уже есть.
flash-plan-created = Тариф создан.
price-title = Новая цена тарифа
price-lead = Новая версия цены с датой решения и датой вступления в силу. Каждая школа с договором на этом тарифе сразу получает письмо и уведомление в кабинете; уже выставленные счета сохраняют свою цену до срока оплаты.
price-submit = Добавить цену
flash-price-added = Цена добавлена; школы тарифа уведомлены.
mail-act-subject = Акт оказанных услуг № { $number } за { $month }
mail-act-body =
    Здравствуйте, { $name }!

    В кабинете «{ $org }» опубликован акт оказанных услуг № { $number } за { $month } на { $amount }. Его можно скачать в разделе «Биллинг» кабинета.

    Если вы не согласны с актом, заявите возражение в кабинете или письмом в службу поддержки до конца дня { $deadline }. Без возражения акт считается принятым (п. 5.9.1 оферты).
mail-act-alert-subject = Акты за { $month } не опубликованы: { $missing }
mail-act-alert-body =
    К концу 5-го числа у { $missing } лицензиатов с днями лицензии за { $month } нет опубликованного акта. Проверьте журнал задания documents.acts и опубликуйте акты.
mail-act-objection-subject = Возражение по акту № { $number } ({ $org })
mail-act-objection-body =
    Лицензиат { $org } (БИН/ИИН { $bin }) заявил возражение по акту № { $number } за { $month }:

    { $reason }
documents-title = Документы
documents-settings = Язык и адрес в документах
documents-save = Сохранить
documents-file = Файл
documents-download-pdf = Скачать PDF
field-document_lang = Язык счетов и актов
field-address = Адрес для документов
field-address-hint = Юридический или почтовый адрес, как его печатать в счетах и актах.
flash-documents-saved = Настройки документов сохранены.
acts-title = Акты оказанных услуг
acts-lead = Акт за месяц публикуется 1-го числа следующего месяца. Если вы не согласны с актом, заявите возражение в течение 3 дней после публикации (последний день переносится на рабочий); без возражения акт считается принятым.
acts-none = Актов пока нет.
acts-month = Месяц
acts-window = Возражение до
acts-actions = Действия
acts-copy-paper = Запросить бумажный экземпляр
acts-copy-electronic = Запросить электронный экземпляр
acts-object = Возразить
acts-object-submit = Отправить возражение
error-act-closed = Срок возражения по этому акту истёк или акт уже не открыт для возражений.
flash-act-objected = Возражение записано и отправлено в службу поддержки.
flash-copy-requested = Запрос экземпляра акта передан оператору.
act-status-published = опубликован
act-status-objected = оспорен
act-status-accepted = принят
operator-documents = Документы
acts-copies = Запросы экземпляров актов
acts-act = Акт
acts-copy-kind = Экземпляр
acts-copy-paper-kind = бумажный
acts-requested = Запрошен
acts-email-objection = Возражение по почте
acts-record = Записать
error-objection-email = Укажите причину и дату письма, не будущую.
profile-title = Реквизиты оператора
profile-lead = Печатаются в каждом счёте и акте. Сохранение создаёт новую версию; уже выставленные документы сохраняют свою.
profile-version = версия
profile-save = Сохранить новую версию
field-bin = БИН
field-bank = Банк
field-iik = ИИК (IBAN)
field-bik = БИК
field-kbe = Кбе
field-knp = КНП
field-signer = Подписант (должность и ФИО)
field-vat_percent = Ставка НДС, %
field-vat_percent-hint = Пусто — не плательщик НДС («Без НДС»).
error-vat_percent = Ставка от 1 до 30 или пусто.
flash-profile-saved = Реквизиты сохранены новой версией.
acts-copy-electronic-kind = электронный
acts-copy-done = Отправлен
flash-copy-done = Запрос экземпляра отмечен выполненным.

## Сайт школы для учеников (задача 6)
learner-privacy-consent = Я даю согласие { $school } и платформе EduCenter на обработку моих персональных данных (имя, e-mail, прогресс обучения) для доступа к курсам в соответствии с Законом Республики Казахстан «О персональных данных и их защите».
learner-marketing-consent = Я хочу получать новости и предложения { $school } по электронной почте (необязательно; согласие можно отозвать в любой момент).
mail-learner-welcome-subject = Добро пожаловать в { $school }
mail-learner-welcome-body =
    Здравствуйте, { $name }!

    Ваша учётная запись в { $school } создана: { $school_url }

    Подтвердите адрес электронной почты по ссылке (она действует 7 дней):
    { $verify_url }

    { $school }
school-signup-title = Регистрация ученика
school-signup-lead = Создайте учётную запись в { $school }, чтобы записаться на курсы.
school-signup-submit = Зарегистрироваться
school-signup-full = Школа сейчас не может принять новых учеников. Свяжитесь со школой.
school-have-account = У меня уже есть учётная запись
school-login-title = Вход для учеников
school-catalogue = Курсы
school-catalogue-empty = Школа ещё не опубликовала курсы.
school-my-courses = Мои курсы
school-my-empty = Вы пока не записаны ни на один курс.
school-progress = Прогресс
school-done-of = Пройдено уроков: { $done } из { $total }
school-course-complete = Курс пройден
school-enrol = Записаться на курс
school-enrol-by-school = На этот курс записывает школа.
school-powered-by = Работает на
error-email-taken-school = С этим e-mail уже есть учётная запись в этой школе: войдите или восстановите пароль.
lesson-locked-until = Откроется { $date }.
lesson-locked-previous = Откроется после прохождения предыдущего урока.
lesson-locked-enrol = Запишитесь на курс, чтобы открыть уроки.
lesson-done = Пройден
lesson-kind-text = текст
lesson-kind-video = видео
lesson-kind-audio = аудио
lesson-kind-file = файл
lesson-kind-embed = видео по ссылке
lesson-captions = Субтитры
lesson-download = Скачать
lesson-mark-complete = Отметить как пройденный
lesson-nav = Уроки
flash-student-signed-up = Добро пожаловать! Учётная запись создана; мы отправили ссылку для подтверждения e-mail.
flash-enrolled = Вы записаны на курс.
flash-lesson-complete = Урок пройден.
flash-course-complete = Поздравляем: курс пройден!
flash-course-created = Курс создан.
flash-course-saved = Курс сохранён.
flash-module-added = Модуль добавлен.
flash-lesson-added = Урок добавлен.
flash-lesson-deleted = Урок в корзине (его можно восстановить в течение 30 дней).

## Редактор курсов (задача 6)
courses-title = Курсы
courses-list = Курсы школы
courses-none = Курсов пока нет: создайте первый ниже.
courses-new = Новый курс
courses-create = Создать курс
courses-edit = Изменить
courses-progress = Прогресс
courses-progress-none = На этот курс пока никто не записан.
courses-progress-caption = Пройденные (✓) и начатые (…) уроки каждого ученика
courses-student = Ученик
courses-done = Пройдено
courses-started = начат
courses-student-view = Открыть на сайте школы
courses-content = Модули и уроки
courses-no-modules = Сначала добавьте модуль, затем уроки.
courses-no-lessons = В этом модуле пока нет уроков.
courses-optional = необязательный
courses-move-up = Выше
courses-move-down = Ниже
courses-delete = Удалить
courses-add-module = Добавить модуль
courses-add-lesson = Добавить урок
courses-file = Файл урока
courses-file-hint = для видео, аудио или файла; загружается сразу после выбора
courses-captions = Субтитры (WebVTT, для видео)
courses-upload-progress = Ход загрузки
courses-settings = Настройки и публикация курса
courses-save = Сохранить курс
course-status-draft = Черновик
course-status-published = Опубликован
course-status-archived = В архиве
field-course_title = Название
field-course_description = Описание
field-course_status = Статус
field-in_order = Уроки открываются по порядку (каждый после прохождения предыдущего)
field-self_enrol = Ученики могут записаться сами на сайте школы
field-module_title = Название модуля
field-lesson_module = Модуль
field-lesson_title = Название урока
field-lesson_kind = Вид
field-lesson_body = Текст (Markdown)
field-lesson_body-hint = **жирный**, *курсив*, # заголовки, списки и [ссылки](https://...).
field-embed_url = Ссылка на видео (YouTube, Vimeo или другой разрешённый платформой сайт)
field-embed_url-hint = Для урока-ссылки на видео: ссылка https.
field-available_from = Открывается с
field-available_after_days = Открывается через столько дней после записи
field-lesson_required = Нужен для завершения курса
error-available_after_days = Укажите число дней от 0 до 3650.
lesson-preview = Так урок видят ученики (ничего не записывается).
cabinet-school-site = Сайт школы
students-title = Ученики
mail-learner-invite-subject = { $school } приглашает вас на обучение
mail-learner-invite-body =
    Здравствуйте, { $name }!

    { $school } открыла для вас учётную запись для онлайн-обучения. Задайте пароль по ссылке (она действует 7 дней):
    { $accept_url }

    Затем войдите на сайте школы: { $school_url }

    { $school }
students-list = Ученики школы
students-search = Поиск по имени или e-mail
students-none = Учеников пока нет.
students-verified = E-mail подтверждён
students-add = Добавить ученика
students-add-lead = Ученик получит письмо, чтобы задать пароль и войти на сайт школы.
students-add-submit = Добавить и пригласить
students-import = Импорт из CSV
students-import-lead = Файл CSV из таблицы (UTF-8 или Windows-1251, разделитель — запятая или точка с запятой). Первая строка — названия столбцов: ФИО, E-mail, Телефон, Группа (или Аты-жөні, Электрондық пошта, Телефон, Топ; или full_name, email, phone, group). Сначала проверяется каждая строка: если хоть одна с ошибкой, ничего не импортируется.
students-import-file = Файл CSV
students-import-text = Или вставьте строки
students-import-submit = Импортировать
students-import-failed = Ничего не импортировано: исправьте ошибки ({ $count }).
students-import-row = Строка { $row }
students-no-courses = Не записан ни на один курс.
students-access = Доступ
students-enrol = Записать на курс
students-to-group = Добавить в группу
groups-title = Группы
groups-none = Групп пока нет.
groups-create = Создать группу
groups-enrol = Записать группу
field-group = Группа
field-group_name = Новая группа
field-course_id = Курс
field-group_id = Группа
field-access_from = Доступ с
field-access_to = Доступ до
flash-student-added = Ученик добавлен и приглашён по e-mail.
flash-students-imported = Ученики импортированы и приглашены по e-mail.
flash-group-created = Группа создана.
flash-student-enrolled = Ученик записан на курс.
flash-student-grouped = Ученик добавлен в группу.
flash-group-enrolled = Группа записана на курс.

# Issue 6: teachers, covers and logo, trash, group progress, invitations, embed hosts
flash-moved-to-trash = Перемещено в корзину: восстановить можно в течение 30 дней.
flash-restored = Восстановлено из корзины.
flash-teachers-saved = Преподаватели курса сохранены.
flash-logo-saved = Логотип школы сохранён.
flash-logo-missing = Сначала выберите файл изображения.
flash-invitation-resent = Новое приглашение отправлено; прежняя ссылка больше не действует.
flash-embed-hosts-saved = Список разрешённых сайтов сохранён.
flash-lesson-saved = Урок сохранён.
error-invalid = Проверьте данные
error-host = Укажите имя сайта, например player.example.com.
error-host-known = Этот сайт уже разрешён.
courses-cover = Обложка
courses-remove-cover = Убрать обложку
courses-teachers = Преподаватели
courses-teachers-hint = Преподаватель видит и редактирует только отмеченные для него курсы; администраторы видят все курсы.
courses-teachers-none = В школе пока нет сотрудников с ролью преподавателя. Пригласите их в кабинете.
courses-delete-course = Удалить курс
courses-delete-course-hint = Курс с модулями и уроками попадёт в корзину; его можно восстановить в течение 30 дней.
courses-edit-lesson = Редактирование урока
courses-replace-file = Заменить файл
trash-title = Корзина
trash-lead = Удалённые курсы, модули и уроки хранятся здесь { $days } дней, затем удаляются навсегда.
trash-empty = Корзина пуста.
trash-kind = Что
trash-deleted-at = Удалено
trash-kind-course = Курс
trash-kind-module = Модуль
trash-kind-lesson = Урок
trash-restore = Восстановить
school-logo-title = Сайт школы
school-logo = Логотип (PNG, JPEG, WebP или GIF)
school-remove-logo = Убрать логотип
students-not-joined = Ещё не задал пароль.
students-resend = Отправить приглашение ещё раз
group-progress = Прогресс группы
group-progress-none = Студенты группы пока не записаны ни на один курс.
group-not-enrolled = Не записан
embeds-title = Сайты для встраивания
embeds-lead = Уроки-встраивания могут показывать плееры только с этих сайтов (https). Если убрать сайт, его плееры скроются в уроках всех школ.
embeds-list = Разрешённые сайты
embeds-add = Разрешить сайт
embeds-remove = Убрать
field-host = Сайт
field-host-hint = Только имя сайта, например player.example.com
courses-preview = Просмотр глазами студента
error-image = Выберите изображение PNG, JPEG, WebP, GIF или AVIF, загруженное в школу.
error-lesson-file = Файл не подходит уроку: видеоуроку нужно видео, аудиоуроку — аудиофайл, а субтитры должны быть файлом WebVTT.
table-scroll = Таблица (на узком экране прокручивается вбок)
error-503-title = Временно недоступно
error-503-text = Сайт сейчас недоступен. Попробуйте зайти позже.
blocked-title = Доступ к школе заблокирован
blocked-text = Школа заблокирована: сотрудники, ученики и программы не могут работать, пока блокировка не снята. Владелец школы может войти в раздел оплаты и документов и написать в поддержку.
restricted-blocked = Кабинет заблокирован. Сотрудники, ученики и программы школы не могут работать, сайт школы закрыт. Вам доступны оплата, документы и договор; по вопросу блокировки напишите в поддержку: { $support }.
restricted-trial_expired = Пробный период закончился. Пока вы не подадите заявку и не оплатите лицензию, сотрудники, ученики и программы не могут работать, а сайт школы закрыт. Выберите тариф ниже.
restricted-overdue = Оплаченный период закончился. Пока счёт на продление не оплачен, сотрудники, ученики и программы не могут работать, а сайт школы закрыт. При оплате в течение 7 дней после окончания периода лицензия продолжится без перерыва.
restricted-lapsed = Лицензия прекращена из-за неоплаты. Сотрудники, ученики и программы не могут работать, сайт школы закрыт. Оплата новой лицензии вернёт доступ.
restricted-lapsed-purge = Лицензия прекращена из-за неоплаты. Сотрудники, ученики и программы не могут работать, сайт школы закрыт. Оплата новой лицензии вернёт доступ; без неё данные школы будут удалены { $purge }.
restricted-terminated = Договор прекращён. Сотрудники, ученики и программы не могут работать, сайт школы закрыт.
restricted-terminated-purge = Договор прекращён. Сотрудники, ученики и программы не могут работать, сайт школы закрыт. Данные школы хранятся до { $purge }, затем будут удалены.
restricted-purged = Договор прекращён, данные школы удалены. Счета, платежи и акты остаются доступны.
cabinet-contract-open = Открыть раздел «Договор»
field-support_email = E-mail поддержки
mail-blocked-silent-subject = Кабинет «{ $org }» на EduCenter заблокирован
mail-blocked-silent-body =
    Здравствуйте, { $name }!

    Кабинет «{ $org }» заблокирован. Сотрудники, ученики и программы не могут работать, а сайт школы закрыт, пока блокировка не снята; вы по-прежнему можете войти в разделы оплаты, документов и договора. По вопросам блокировки напишите в поддержку: { $support }.

    Команда EduCenter
mail-unblocked-subject = Доступ к «{ $org }» на EduCenter восстановлен
mail-unblocked-body =
    Здравствуйте, { $name }!

    Блокировка «{ $org }» снята: сотрудники, ученики и программы снова могут работать, сайт школы открыт.

    Команда EduCenter
mail-terminated-breach-subject = Договор с «{ $org }» расторгнут
mail-terminated-breach-body =
    Здравствуйте, { $name }!

    EduCenter расторгает лицензионный договор с «{ $org }» в связи с нарушением условий лицензии (пункт 2.8 оферты). Основание: { $grounds }

    Договор действовал по { $ended } включительно. Доступ к кабинету закрыт, кроме разделов оплаты, документов и договора. Данные школы хранятся до { $purge }, затем будут удалены; счета, платежи и акты сохраняются.

    Вопросы можно задать поддержке: { $support }.

    Команда EduCenter
operator-blocked-since = Заблокирован с { $since }: { $reason }.
operator-compliance = Блокировка и расторжение
operator-no-blocks = Школа не заблокирована.
operator-unblock = Снять блокировку
operator-block = Заблокировать школу
operator-block-submit = Заблокировать
operator-terminate = Расторгнуть договор за нарушение лицензии
operator-terminate-lead = Договор прекратится сегодня (пункт 2.8 оферты). Владелец получит письмо с основанием; данные школы хранятся 60 дней, затем удаляются.
operator-terminate-submit = Расторгнуть договор
operator-compliance-role = Блокировать школу, снимать блокировку и расторгать договор может комплаенс-офицер.
field-note = Внутренняя заметка
field-note-hint = Видна только сотрудникам оператора; школе не показывается.
field-grounds = Основание расторжения
field-grounds-hint = Будет отправлено владельцу школы.
error-compliance-conflict = Сейчас это сделать нельзя: состояние школы изменилось. Обновите страницу.
flash-tenant-blocked = Школа заблокирована, владелец получит письмо.
flash-tenant-unblocked = Блокировка снята.
flash-tenant-terminated = Договор расторгнут, владелец получит письмо.
trial-plan-title = Тариф пробного периода
trial-plan-lead = Пробный период идёт с лимитами этого тарифа: учеников, сотрудников, курсов и места для файлов.
trial-plan-submit = Сохранить
trial-plan-builtin = Встроенные лимиты: 100 учеников, 5 сотрудников, 10 курсов, 5 ГБ
flash-trial-plan-saved = Тариф пробного периода сохранён.
billing-due-provisional = предварительно: производственный календарь этого года ещё не загружен, срок посчитан по рабочим дням с понедельника по пятницу без переносов
operator-calendar-gap = Производственный календарь на { $year } год не загружен: сроки, которые до него доходят, считаются предварительно (понедельник–пятница без переносов).
operator-calendar-load = Загрузить календарь
mail-calendar-gap-subject = Производственный календарь на { $year } год не загружен
mail-calendar-gap-body =
    Здравствуйте!

    Расчёт срока дошёл до { $year } года, а производственный календарь на этот год не загружен. Пока его нет, сроки считаются предварительно: понедельник–пятница без праздников с фиксированной датой, без переносов и Курбан айта, и помечаются как предварительные (в том числе в счетах).

    Загрузите календарь в бэк-офисе: раздел «Производственный календарь», { $year } год.

    EduCenter
mail-service-price-subject = Новые цены услуги EduCenter «{ $service }» с { $effective }
mail-service-price-body =
    Здравствуйте, { $name }!

    Цены услуги «{ $service }», которую заказывала «{ $org }», меняются с { $effective }: { $prices } за единицу.

    Оплаченные услуги сохраняют свою цену, как и счета, срок оплаты которых не наступил. Если вы не согласны, вы можете отказаться от договора в кабинете.

    Команда EduCenter
mail-service-price-alert-subject = Изменение цен услуги { $service }: не отправлено уведомлений — { $unsent }
mail-service-price-alert-body = По изменению цен услуги { $service }, решённому { $decided }, через 5 дней остаются недоставленными уведомления: { $unsent }. Проверьте очередь писем (educenter mail list --state dead) и сообщите этим лицензиатам иным способом.
cabinet-service-price-change = Цены услуги «{ $service }» меняются с { $date }: { $prices } за единицу.
service-price-title = Новая цена услуги
service-price-lead = Новая версия цены дополнительной услуги с датой решения и датой вступления в силу. Каждая школа, заказывавшая услугу, сразу получает письмо и уведомление в кабинете; уже выставленные счета сохраняют свою цену.
service-price-submit = Добавить цену
field-service = Услуга
error-service = Выберите услугу с ценой из списка (у услуги «по запросу» цену согласуют по почте).
cabinet-api-write = Разрешить изменения через API
cabinet-api-write-lead = Пока изменения через API выключены, новые токены только читают данные, а токены «чтение и запись» работают как токены чтения. Каждое изменение через токен записывается в журнал с номером токена.
cabinet-api-write-off = Изменения через API выключены: токены только читают данные. Включить их может владелец школы.
flash-api-write-on = Изменения через API разрешены.
flash-api-write-off = Изменения через API выключены: все токены теперь только читают.
school-privacy-title = Политика конфиденциальности
school-privacy-agree = Я прочитал(а) политику конфиденциальности { $school } и даю согласие на обработку моих персональных данных на её условиях.
school-profile-title = Профиль
school-consents = Мои согласия
school-consent-privacy = Согласие на обработку персональных данных дано { $given }.
school-consent-privacy-withdrawn = Согласие на обработку персональных данных дано { $given }, отозвано { $withdrawn }.
school-consent-marketing = Согласие на рассылки школы дано { $given }.
school-consent-marketing-withdrawn = Согласие на рассылки школы дано { $given }, отозвано { $withdrawn }.
school-marketing-lead = Вы можете в любой момент отказаться от рекламных и информационных рассылок школы. Письма о ваших курсах, паролях и входе продолжат приходить.
school-marketing-withdraw = Отказаться от рассылок
school-marketing-none = Вы не получаете рассылки школы.
flash-marketing-withdrawn = Вы отказались от рассылок школы.
privacy-edit-title = Политика конфиденциальности для учеников
privacy-edit-lead = Школа — оператор персональных данных своих учеников. Здесь её собственный текст, который ученики принимают при регистрации; каждая новая редакция получает номер, и согласие ученика хранит номер той редакции, которую он видел. Без своего текста ученики видят стандартный текст платформы.
privacy-edit-version = Редакция № { $version }
privacy-edit-default = Сейчас ученики видят стандартный текст платформы
privacy-edit-submit = Сохранить новую редакцию
privacy-edit-history = Редакции
field-text = Текст
field-text-hint = От 20 до 20 000 знаков; абзацы разделяйте пустой строкой.
login-code-sent = Слишком много неудачных попыток входа с этим e-mail. Если пароль верный, мы отправили на него код: введите пароль и код.
field-code-hint = Шесть цифр; код действует 15 минут.
mail-login-code-subject = Код для входа в EduCenter
mail-login-code-body =
    Здравствуйте!

    С вашим e-mail было много неудачных попыток входа, поэтому для входа теперь нужен код: { $code }

    Он действует { $minutes } минут. Введите его вместе с паролем. Если это были не вы, пароль стоит сменить: без кода из этого письма в учётную запись никто не войдёт.

    Команда EduCenter
login-choose-title = Выберите школу
login-choose-lead = Этот e-mail и пароль подходят для входа в несколько школ. Куда войти?
students-import-row-error = Строка { $row }, «{ $column }»: { $why }
field-csv = Строка
