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
