//! Mail: the outbox is transactional, the file sink and SMTP deliver it, failures retry or go
//! dead visibly, the test endpoint shows what was sent.

use educenter_domain::queues::MailState;
use educenter_store::outbox::{self, NewMail};
use serde_json::json;

use crate::{
    harness::{ADMIN_PASSWORD, TestApp, error_fields},
    smtp::SmtpServer,
};

fn mail(to: &str, subject: &str) -> NewMail {
    NewMail {
        to: to.to_owned(),
        subject: subject.to_owned(),
        text: format!("{subject}: open https://educenter.test/verify?t=abc within 7 days."),
        html: None,
        class: outbox::MailClass::Transactional,
    }
}

#[tokio::test]
async fn the_outbox_row_exists_exactly_when_its_transaction_commits() {
    let app = TestApp::start().await;
    let db = app.store();
    let now = app.now().await;

    let mut tx = db.begin().await.unwrap();
    outbox::queue(&mut tx, &mail("rolled@back.kz", "Never"), now)
        .await
        .unwrap();
    tx.rollback().await.unwrap();

    let mut tx = db.begin().await.unwrap();
    outbox::queue(&mut tx, &mail("owner@alma.kz", "Welcome"), now)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    assert!(app.mail_to("rolled@back.kz").await.is_empty());
    let sent = app.mail_to("owner@alma.kz").await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].subject, "Welcome");
    assert_eq!(sent[0].links, ["https://educenter.test/verify?t=abc"]);
    app.stop().await;
}

#[tokio::test]
async fn without_smtp_mail_is_written_as_eml_files_and_listed_newest_first() {
    let app = TestApp::start().await;
    for (i, subject) in ["First", "Second"].iter().enumerate() {
        let res = app
            .post_json(
                "/api/v1/test/mail",
                &json!({ "to": "a@b.kz", "subject": subject, "text": "Привет, мир! Сәлем!" }),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
        app.advance(0, 0, i as i64 + 1).await;
    }
    let sent = app.mail_to("a@b.kz").await;
    assert_eq!(
        sent.iter().map(|m| m.subject.as_str()).collect::<Vec<_>>(),
        ["Second", "First"]
    );
    assert!(sent[0].sent_at > sent[1].sent_at);
    assert_eq!(sent[0].text, "Привет, мир! Сәлем!");
    let files: Vec<_> = std::fs::read_dir(app.data_dir.path().join("mail"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 2);
    let eml = std::fs::read_to_string(&files[0]).unwrap();
    assert!(eml.contains("To: a@b.kz"), "{eml}");
    assert!(
        eml.contains("From: EduCenter <no-reply@educenter.test>"),
        "{eml}"
    );

    let res = app
        .post_json(
            "/api/v1/test/mail",
            &json!({ "to": "not an address", "subject": "", "text": "" }),
        )
        .await;
    let body = res.problem(422);
    let fields = error_fields(&body);
    assert_eq!(fields, ["to", "subject"]);
    app.stop().await;
}

#[tokio::test]
async fn smtp_delivers_to_a_real_listener() {
    let smtp = SmtpServer::start().await;
    let app = TestApp::builder().smtp(smtp.url()).start().await;
    let res = app
        .post_json(
            "/api/v1/test/mail",
            &json!({ "to": "owner@alma.kz", "subject": "Доступ к кабинету", "text": "Ссылка: https://educenter.test/v/1" }),
        )
        .await;
    assert_eq!(res.status, 201);
    let sent = app.mail_to("owner@alma.kz").await;
    assert_eq!(sent.len(), 1);
    let got = smtp.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].rcpt, ["owner@alma.kz"]);
    assert!(got[0].data.contains("Subject: =?utf-8?"), "{}", got[0].data);
    assert!(got[0].data.contains("Message-ID: <"), "{}", got[0].data);
    app.stop().await;
}

#[tokio::test]
async fn smtp_failures_retry_with_back_off_or_go_dead_and_are_visible() {
    let smtp = SmtpServer::start().await;
    let app = TestApp::builder()
        .smtp(smtp.url())
        .metrics_token()
        .start()
        .await;
    let db = app.store();

    // Transient: 451 twice, then accepted.
    smtp.fail_next_transient(2);
    app.post_json(
        "/api/v1/test/mail",
        &json!({ "to": "t@x.kz", "subject": "Retry me", "text": "x" }),
    )
    .await;
    assert!(app.mail_to("t@x.kz").await.is_empty());
    let queued = outbox::list(db, Some(MailState::Queued), 10).await.unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].attempts, 1);
    assert!(
        queued[0].last_error.as_deref().unwrap().contains("451"),
        "{:?}",
        queued[0].last_error
    );
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("educenter_mail_outbox_depth 1"),
        "{metrics}"
    );
    app.advance(0, 0, 1).await; // 30 s back-off passed: second attempt, 451 again.
    assert!(app.mail_to("t@x.kz").await.is_empty());
    app.advance(0, 5, 0).await; // Third attempt succeeds.
    assert_eq!(app.mail_to("t@x.kz").await.len(), 1);
    assert_eq!(smtp.received().len(), 1);

    // Permanent: 550 means dead at once, with the reason kept.
    smtp.fail_next_permanent(1);
    app.post_json(
        "/api/v1/test/mail",
        &json!({ "to": "gone@x.kz", "subject": "No such box", "text": "x" }),
    )
    .await;
    assert!(app.mail_to("gone@x.kz").await.is_empty());
    let dead = outbox::list(db, Some(MailState::Dead), 10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert!(dead[0].last_error.as_deref().unwrap().contains("550"));
    // It fails work on purpose.
    app.expect_leftovers();
    app.stop().await;
}

#[tokio::test]
async fn an_interrupted_delivery_is_retried_after_its_lease_and_the_stale_sender_cannot_undo_it() {
    // A sender that died (or stalled) mid-delivery leaves the row `sending`; another sender
    // takes it over only when the lease (by the wall clock) has run out, and from then on the
    // first sender's late answer changes nothing.
    let app = TestApp::start().await;
    let db = app.store();
    // Due tomorrow by the app's clock, so the app's own sender leaves it alone.
    let now = app.now().await + jiff::SignedDuration::from_hours(24);
    let mut tx = db.begin().await.unwrap();
    let id = outbox::queue(&mut tx, &mail("x@y.kz", "Lease"), now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let lease = std::time::Duration::from_secs(120);
    let wall: jiff::Timestamp = "2030-01-01T00:00:00Z".parse().unwrap();
    let secs = |n| wall + jiff::SignedDuration::from_secs(n);
    let first = outbox::claim(db, now, wall, lease, 3)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.mail.id, id);
    assert!(
        outbox::claim(db, now, secs(119), lease, 3)
            .await
            .unwrap()
            .is_none()
    );
    let second = outbox::claim(db, now, secs(121), lease, 3)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (second.mail.id.as_str(), second.mail.attempts),
        (id.as_str(), 2)
    );
    // The stalled first sender finally answers: its claim is gone.
    assert!(
        !outbox::mark_failed(db, &first, "timed out", Some(now))
            .await
            .unwrap()
    );
    assert!(outbox::mark_sent(db, &second, now).await.unwrap());
    assert!(!outbox::mark_sent(db, &first, now).await.unwrap());
    let sent = outbox::list(db, Some(MailState::Sent), 10).await.unwrap();
    assert_eq!(sent.len(), 1);

    // A message whose sender died during its last allowed attempt is dead, not retried forever.
    let mut tx = db.begin().await.unwrap();
    outbox::queue(&mut tx, &mail("z@y.kz", "Last"), now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    outbox::claim(db, now, wall, lease, 1)
        .await
        .unwrap()
        .unwrap();
    assert!(
        outbox::claim(db, now, secs(121), lease, 1)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(outbox::bury_abandoned(db, secs(121), 1).await.unwrap(), 1);
    let dead = outbox::list(db, Some(MailState::Dead), 10).await.unwrap();
    assert_eq!(dead[0].to, "z@y.kz");
    // It fails work on purpose.
    app.expect_leftovers();
    app.stop().await;
}

fn bulk(to: &str, tenant: &str) -> NewMail {
    NewMail {
        class: outbox::MailClass::Bulk {
            tenant_id: educenter_domain::ids::TenantId::new(tenant),
        },
        ..mail(to, "Notice")
    }
}

#[tokio::test]
async fn transactional_mail_goes_first_and_bulk_mail_takes_turns_between_schools() {
    let app = TestApp::start().await;
    let db = app.store();
    // Due tomorrow by the app's clock, so the app's own sender leaves them alone; the claims
    // below are made at that time.
    let at = app.now().await + jiff::SignedDuration::from_hours(24);
    let wall: jiff::Timestamp = "2030-01-01T00:00:00Z".parse().unwrap();
    let lease = std::time::Duration::from_secs(120);
    let queue = |mails: Vec<NewMail>| async move {
        let mut tx = db.begin().await.unwrap();
        for m in &mails {
            outbox::queue(&mut tx, m, at).await.unwrap();
        }
        tx.commit().await.unwrap();
    };
    let claim_next = |n: usize| async move {
        let mut to = Vec::new();
        for _ in 0..n {
            let Some(c) = outbox::claim(db, at, wall, lease, 8).await.unwrap() else {
                break;
            };
            assert!(outbox::mark_sent(db, &c, at).await.unwrap());
            to.push(c.mail.to);
        }
        to
    };

    // School A imports 500 students; then school B's owner asks for a reset link, and B adds
    // one student by import too.
    queue(
        (0..500)
            .map(|i| bulk(&format!("a{i}@alma.kz"), "school-a"))
            .collect(),
    )
    .await;
    queue(vec![
        mail("owner@bota.kz", "Reset"),
        bulk("b0@bota.kz", "school-b"),
    ])
    .await;
    let first = claim_next(3).await;
    assert_eq!(first, ["owner@bota.kz", "a0@alma.kz", "b0@bota.kz"]);

    // In the middle of A's backlog, B's next three take turns with A's, not after them.
    let served = claim_next(100).await;
    assert_eq!(served[99], "a100@alma.kz");
    queue(
        (1..4)
            .map(|i| bulk(&format!("b{i}@bota.kz"), "school-b"))
            .collect(),
    )
    .await;
    let next = claim_next(6).await;
    assert_eq!(
        next,
        [
            "a101@alma.kz",
            "b1@bota.kz",
            "a102@alma.kz",
            "b2@bota.kz",
            "a103@alma.kz",
            "b3@bota.kz"
        ]
    );
    // A's own order is kept to the end.
    let rest = claim_next(1000).await;
    assert_eq!(rest.len(), 396);
    assert_eq!(rest.first().map(String::as_str), Some("a104@alma.kz"));
    assert_eq!(rest.last().map(String::as_str), Some("a499@alma.kz"));
    app.stop().await;
}

#[tokio::test]
async fn a_schools_big_import_holds_up_neither_another_schools_reset_nor_its_notices() {
    let smtp = SmtpServer::start().await;
    let app = TestApp::builder().smtp(smtp.url()).start().await;
    app.create_plan(json!({
        "code": "large",
        "name": { "ru": "Большой", "kk": "Үлкен", "en": "Large" },
        "limits": { "students": 1000, "staff": 5, "storage_bytes": 1_000_000_000i64, "courses": 10 },
        "prices": [{ "currency": "KZT", "months": 1, "amount_minor": 3_000_000, "effective_from": "2024-01-01" }],
    }))
    .await;
    let admin = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    let res = app
        .call(
            "PUT",
            "/api/v1/operator/trial-plan",
            &admin,
            Some(json!({ "plan": "large" })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let alma = app
        .school(
            "alma-school",
            "123456789013",
            "owner@alma.kz",
            "+77011234567",
        )
        .await;
    let bota = app
        .school(
            "bota-school",
            "900101300007",
            "owner@bota.kz",
            "+77017654321",
        )
        .await;
    // What the sign-ups sent is out of the way.
    app.mail_to("owner@bota.kz").await;
    app.mail_to("owner@alma.kz").await;
    let before = smtp.received().len();

    // The relay is slow: the first message of A's import is stuck in delivery while the rest
    // is queued behind it.
    smtp.hold();
    let csv: String = std::iter::once("full_name,email\n".to_owned())
        .chain((0..500).map(|i| format!("Оқушы {i},a{i}@alma.kz\n")))
        .collect();
    let res = app
        .call(
            "POST",
            "/api/v1/students/import",
            &alma,
            Some(json!({ "csv": csv })),
        )
        .await;
    assert!(res.status < 300, "{}", res.text);
    smtp.wait_held(1).await;
    let res = app
        .post_json(
            "/api/v1/auth/password-reset",
            &json!({ "email": "owner@bota.kz" }),
        )
        .await;
    assert_eq!(res.status, 202, "{}", res.text);
    let res = app
        .call(
            "POST",
            "/api/v1/students/import",
            &bota,
            Some(json!({ "csv": "full_name,email\nБота,b0@bota.kz\n" })),
        )
        .await;
    assert!(res.status < 300, "{}", res.text);
    smtp.release();

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while smtp.received().len() < before + 502 {
        assert!(
            std::time::Instant::now() < deadline,
            "only {} of 502 delivered",
            smtp.received().len() - before
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let order: Vec<String> = smtp.received()[before..]
        .iter()
        .map(|m| m.rcpt.join(","))
        .collect();
    // A's first message was in hand already; the reset goes next, and B's invitation takes
    // its turn beside A's second, not after all 500.
    assert_eq!(order[0], "a0@alma.kz");
    assert_eq!(order[1], "owner@bota.kz");
    let b = order.iter().position(|to| to == "b0@bota.kz").unwrap();
    assert_eq!(b, 3, "{:?}", &order[..6]);
    app.stop().await;
}
