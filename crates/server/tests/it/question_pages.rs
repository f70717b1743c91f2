//! Issue 19, item 2: questions written and changed on the bank's pages, each type with its own
//! fields, and the bank's categories renamed, moved and deleted (pages and API). Refused values
//! stay beside their fields and change nothing.

use serde_json::{Value, json};

use crate::{
    given,
    harness::{Browser, OWNER_PASSWORD, TestApp},
};

async fn questions(app: &TestApp, token: &str) -> Vec<Value> {
    app.call("GET", "/api/v1/questions", token, None)
        .await
        .items()
        .as_array()
        .unwrap()
        .clone()
}

async fn categories(app: &TestApp, token: &str) -> Vec<Value> {
    app.call("GET", "/api/v1/question-bank/categories", token, None)
        .await
        .items()
        .as_array()
        .unwrap()
        .clone()
}

fn category_id(all: &[Value], name: &str) -> String {
    all.iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no category {name}: {all:?}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn signed_in(app: &TestApp) -> Browser<'_> {
    let b = app.browser();
    b.sign_in("owner@alma.kz", OWNER_PASSWORD, "alma-school")
        .await;
    b
}

#[tokio::test]
async fn a_teacher_writes_and_changes_questions_of_each_type_on_the_page() {
    let app = TestApp::start().await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let b = signed_in(&app).await;
    let list = b.get("/cabinet/questions").await.text;
    assert!(list.contains("id=\"new-question\""), "{list}");
    let form = b.get("/cabinet/questions/new?type=multichoice").await;
    assert_eq!(form.status, 200);
    assert!(form.text.contains("name=\"answer_fraction_0\""));
    assert!(
        form.text.contains("<option value=\"-33.33333\">"),
        "{}",
        form.text
    );

    // Several right answers with negative marks for the wrong one.
    let choice = |sum_ok: bool| {
        vec![
            ("type", "multichoice"),
            ("format", "markdown"),
            ("name", "Дроби"),
            ("text", "Какие дроби равны **половине**?"),
            ("category", "Алгебра / Дроби"),
            ("tags", "дроби, 5 класс"),
            ("default_mark", "2"),
            ("general_feedback", "Сократите дробь."),
            ("shuffle", "on"),
            ("answer_text_0", "1/2"),
            ("answer_fraction_0", "50"),
            ("answer_feedback_0", "Да"),
            ("answer_text_1", "2/4"),
            ("answer_fraction_1", if sum_ok { "50" } else { "30" }),
            ("answer_text_2", "3/4"),
            ("answer_fraction_2", "-50"),
            ("answer_text_3", ""),
            ("answer_fraction_3", "0"),
        ]
    };
    // Positive shares that miss 100%: refused beside the answers, in Russian; nothing saved.
    let res = b.post_form("/cabinet/questions/new", &choice(false)).await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.text.contains("id=\"answers-error\""), "{}", res.text);
    assert!(res.text.contains("100%"), "{}", res.text);
    assert!(
        res.text.contains("value=\"2/4\""),
        "the form keeps what was sent"
    );
    assert!(questions(&app, &owner).await.is_empty());
    // A word for the marks and no name: each beside its field.
    let mut bad = choice(true);
    bad.retain(|(k, _)| *k != "name" && *k != "default_mark");
    bad.push(("default_mark", "два"));
    let res = b.post_form("/cabinet/questions/new", &bad).await;
    assert_eq!(res.status, 422);
    assert!(
        res.text.contains("id=\"default_mark-error\""),
        "{}",
        res.text
    );
    assert!(questions(&app, &owner).await.is_empty());

    // "Three more rows": the form again, longer, nothing saved.
    let mut more = choice(true);
    more.push(("more", "1"));
    let res = b.post_form("/cabinet/questions/new", &more).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.text.contains("name=\"answer_text_6\""), "{}", res.text);
    assert!(!res.text.contains("name=\"answer_text_7\""));
    assert!(questions(&app, &owner).await.is_empty());
    let res = b.post_form("/cabinet/questions/new", &choice(true)).await;
    assert_eq!(res.status, 303, "{}", res.text);
    let flash = b.get(res.header("location")).await.text;
    assert!(flash.contains("Вопрос добавлен в банк."), "{flash}");
    let saved = questions(&app, &owner).await;
    assert_eq!(saved.len(), 1);
    let q = &saved[0];
    assert_eq!(q["type"], "multichoice");
    assert_eq!(q["single"], false, "{q}");
    assert_eq!(q["default_mark"], 2.0);
    let fractions: Vec<f64> = q["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["fraction"].as_f64().unwrap())
        .collect();
    assert_eq!(fractions, [0.5, 0.5, -0.5]);
    assert_eq!(q["tags"], json!(["дроби", "5 класс"]));
    let cats = categories(&app, &owner).await;
    let fractions_cat = category_id(&cats, "Дроби");
    assert_eq!(q["category_id"], fractions_cat.as_str());
    let id = q["id"].as_str().unwrap().to_owned();

    // Its page shows what it holds; a change keeps the type whatever the form says.
    let page = b.get(&format!("/cabinet/questions/{id}")).await.text;
    assert!(page.contains("value=\"3/4\""), "{page}");
    assert!(page.contains("<option value=\"-50\" selected>"), "{page}");
    assert!(page.contains("value=\"Алгебра / Дроби\""), "{page}");
    let mut changed = choice(true);
    changed.retain(|(k, _)| *k != "name" && *k != "type");
    changed.extend([("name", "Половины"), ("type", "essay")]);
    let res = b
        .post_form(&format!("/cabinet/questions/{id}"), &changed)
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let q = app
        .call("GET", &format!("/api/v1/questions/{id}"), &owner, None)
        .await
        .json();
    assert_eq!(q["name"], "Половины");
    assert_eq!(q["type"], "multichoice");

    // True/false needs its answer chosen.
    let tf = [
        ("type", "truefalse"),
        ("name", "Небо"),
        ("text", "Небо зелёное?"),
        ("default_mark", "1"),
    ];
    let res = b.post_form("/cabinet/questions/new", &tf).await;
    assert_eq!(res.status, 422);
    assert!(
        res.text.contains("Выберите правильный ответ."),
        "{}",
        res.text
    );
    let mut tf = tf.to_vec();
    tf.push(("correct", "false"));
    assert_eq!(b.post_form("/cabinet/questions/new", &tf).await.status, 303);
    // A number within a tolerance written with a comma; a short answer with case; pairs with a
    // distractor; an essay; a description worth nothing.
    let forms: [&[(&str, &str)]; 5] = [
        &[
            ("type", "numerical"),
            ("name", "Пи"),
            ("text", "Число пи?"),
            ("default_mark", "1"),
            ("answer_text_0", "3,14"),
            ("answer_tolerance_0", "0,01"),
            ("answer_fraction_0", "100"),
        ],
        &[
            ("type", "shortanswer"),
            ("name", "Столица"),
            ("text", "Столица Казахстана?"),
            ("default_mark", "1"),
            ("case_sensitive", "on"),
            ("answer_text_0", "Астана"),
            ("answer_fraction_0", "100"),
            ("answer_text_1", "Нур*"),
            ("answer_fraction_1", "50"),
        ],
        &[
            ("type", "matching"),
            ("name", "Столицы"),
            ("text", "Сопоставьте"),
            ("default_mark", "1"),
            ("pair_item_0", "Казахстан"),
            ("pair_answer_0", "Астана"),
            ("pair_item_1", "Кыргызстан"),
            ("pair_answer_1", "Бишкек"),
            ("pair_item_2", ""),
            ("pair_answer_2", "Ташкент"),
        ],
        &[
            ("type", "essay"),
            ("name", "Эссе"),
            ("text", "Опишите лето"),
            ("default_mark", "5"),
        ],
        &[
            ("type", "description"),
            ("name", "Вступление"),
            ("text", "Далее — вопросы"),
        ],
    ];
    for form in forms {
        let res = b.post_form("/cabinet/questions/new", form).await;
        assert_eq!(res.status, 303, "{:?}: {}", form[0], res.text);
    }
    let all = questions(&app, &owner).await;
    let by_name = |name: &str| all.iter().find(|q| q["name"] == name).unwrap().clone();
    assert_eq!(by_name("Небо")["answers"][0]["fraction"], 0.0);
    assert_eq!(by_name("Небо")["answers"][1]["fraction"], 1.0);
    assert_eq!(by_name("Пи")["answers"][0]["tolerance"], 0.01);
    assert_eq!(by_name("Пи")["answers"][0]["text"], "3.14");
    assert_eq!(by_name("Столица")["case_sensitive"], true);
    assert_eq!(by_name("Столицы")["pairs"].as_array().unwrap().len(), 3);
    assert_eq!(by_name("Столицы")["pairs"][2]["item"], "");
    assert_eq!(by_name("Эссе")["default_mark"], 5.0);
    assert_eq!(by_name("Вступление")["default_mark"], 0.0);
    // The list narrows to a category.
    let narrowed = b
        .get(&format!("/cabinet/questions?category={fractions_cat}"))
        .await
        .text;
    assert!(narrowed.contains("Половины") && !narrowed.contains("Столицы"));

    // A question imported from Moodle keeps, when changed on its page, what the page does not
    // show: its penalty, idnumber, a true/false's feedback, its texts' format.
    let gift = "// [id:Q-1]\n::Земля::[html]<p>Земля <b>круглая</b>?</p>{T#<b>Да</b>, верно#Нет, круглая}\n";
    let res = app
        .call(
            "POST",
            "/api/v1/question-bank/import",
            &owner,
            Some(json!({ "format": "gift", "content": gift })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let gid = res.json()["questions"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = app
        .call("GET", &format!("/api/v1/questions/{gid}"), &owner, None)
        .await
        .json();
    let page = b.get(&format!("/cabinet/questions/{gid}")).await.text;
    assert!(page.contains("id=\"correct-true\" checked"), "{page}");
    let res = b
        .post_form(
            &format!("/cabinet/questions/{gid}"),
            &[
                ("name", "Форма Земли"),
                ("text", "<p>Земля <b>круглая</b>?</p>"),
                ("default_mark", "1"),
                ("correct", "true"),
                ("format", "markdown"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let after = app
        .call("GET", &format!("/api/v1/questions/{gid}"), &owner, None)
        .await
        .json();
    assert_eq!(after["name"], "Форма Земли");
    assert_eq!(before["idnumber"], "Q-1", "{before}");
    assert_eq!(
        before["answers"][1]["feedback"], "<b>Да</b>, верно",
        "{before}"
    );
    for kept in ["penalty", "idnumber", "text_format", "answers"] {
        assert_eq!(after[kept], before[kept], "{kept}: {after}");
    }

    // Another school's question is not found, and its form changes nothing.
    let beta = given::beta(&app).await;
    let theirs = app
        .call(
            "POST",
            "/api/v1/questions",
            &beta.owner_token,
            Some(json!({ "type": "essay", "name": "B", "text": "B?" })),
        )
        .await
        .json();
    let theirs = theirs["id"].as_str().unwrap();
    assert_eq!(
        b.get(&format!("/cabinet/questions/{theirs}")).await.status,
        404
    );
    let res = b
        .post_form(&format!("/cabinet/questions/{theirs}"), &choice(true))
        .await;
    assert_eq!(res.status, 404);
    app.stop().await;
}

#[tokio::test]
async fn categories_are_renamed_moved_and_deleted_once_empty() {
    let app = TestApp::start().await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    for (name, category) in [("A", "Алгебра / Дроби"), ("B", "Геометрия")] {
        let res = app
            .call(
                "POST",
                "/api/v1/questions",
                &owner,
                Some(json!({ "type": "essay", "name": name, "text": "?", "category": category })),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
    }
    let cats = categories(&app, &owner).await;
    let (algebra, fractions, geometry) = (
        category_id(&cats, "Алгебра"),
        category_id(&cats, "Дроби"),
        category_id(&cats, "Геометрия"),
    );
    let b = signed_in(&app).await;
    let page = b.get("/cabinet/questions").await.text;
    let listed = page
        .split("id=\"categories\"")
        .nth(1)
        .expect("the categories' table");
    assert!(listed.contains("<td>Алгебра / Дроби</td>"), "{page}");
    // Algebra holds a subcategory, so no delete button; Fractions holds a question.
    assert!(!page.contains(&format!(
        "action=\"/cabinet/questions/categories/{algebra}/delete\""
    )));

    // Renamed and moved under Geometry from the page.
    let res = b
        .post_form(
            &format!("/cabinet/questions/categories/{fractions}"),
            &[("name", "Доли"), ("parent_id", &geometry)],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let cats = categories(&app, &owner).await;
    let moved = cats.iter().find(|c| c["id"] == fractions.as_str()).unwrap();
    assert_eq!(moved["name"], "Доли");
    assert_eq!(moved["parent_id"], geometry.as_str());
    // Refused, each saying why, and nothing changes: under itself or a category beneath it,
    // a name with a slash, a name its new siblings have.
    for (form, why) in [
        (
            vec![("name", "Геометрия"), ("parent_id", fractions.as_str())],
            "не является этой же или вложенной",
        ),
        (vec![("name", "А/Б"), ("parent_id", "")], "без «/»"),
        (
            vec![("name", "Алгебра"), ("parent_id", "")],
            "с таким названием здесь уже есть",
        ),
    ] {
        let res = b
            .post_form(&format!("/cabinet/questions/categories/{geometry}"), &form)
            .await;
        assert_eq!(res.status, 422, "{form:?}");
        assert!(res.text.contains(why), "{why}: {}", res.text);
    }
    assert_eq!(categories(&app, &owner).await, cats);

    // Through the API: to the top, renamed; `null` is the top.
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/question-bank/categories/{fractions}"),
            &owner,
            Some(json!({ "parent_id": null })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["parent_id"], Value::Null);
    let p = app
        .call(
            "PATCH",
            &format!("/api/v1/question-bank/categories/{fractions}"),
            &owner,
            Some(json!({ "parent_id": "no-such" })),
        )
        .await
        .problem(422);
    assert_eq!(crate::harness::error_fields(&p), ["parent_id"], "{p}");

    // A category with a question is not deleted; once empty it is.
    let p = app
        .call(
            "DELETE",
            &format!("/api/v1/question-bank/categories/{fractions}"),
            &owner,
            None,
        )
        .await
        .problem(409);
    assert!(p["detail"].as_str().unwrap().contains("1 questions"), "{p}");
    let res = b
        .post_form(
            &format!("/cabinet/questions/categories/{fractions}/delete"),
            &[],
        )
        .await;
    assert_eq!(res.status, 409);
    assert!(res.text.contains("Категория не пуста"), "{}", res.text);
    // Algebra is empty now (its subcategory moved away): deleted from the page.
    let res = b
        .post_form(
            &format!("/cabinet/questions/categories/{algebra}/delete"),
            &[],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    assert!(
        !categories(&app, &owner)
            .await
            .iter()
            .any(|c| c["id"] == algebra.as_str())
    );
    // An empty category a quiz draws from stays.
    let empty = app
        .call(
            "POST",
            "/api/v1/questions",
            &owner,
            Some(
                json!({ "type": "truefalse", "name": "T", "text": "?", "correct": true,
                         "category": "Тесты" }),
            ),
        )
        .await
        .json();
    let tests = category_id(&categories(&app, &owner).await, "Тесты");
    let course = given::course(&app, &owner, "Курс")
        .module("М")
        .lesson(json!({ "title": "Тест", "kind": "quiz",
                        "quiz": { "random": { "category": tests, "count": 1 } } }))
        .create()
        .await;
    assert_eq!(course.lessons.len(), 1);
    let res = app
        .call(
            "DELETE",
            &format!("/api/v1/questions/{}", empty["id"].as_str().unwrap()),
            &owner,
            None,
        )
        .await;
    assert_eq!(res.status, 204);
    let p = app
        .call(
            "DELETE",
            &format!("/api/v1/question-bank/categories/{tests}"),
            &owner,
            None,
        )
        .await
        .problem(409);
    assert!(p["detail"].as_str().unwrap().contains("1 quizzes"), "{p}");
    app.stop().await;
}
