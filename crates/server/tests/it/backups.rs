//! Issue 18, items 1 and 2: backups. A set taken while a client writes is restored into scratch
//! and matches its manifest, media included, on the engine the suite runs on; a damaged set is
//! caught; the alerts fall 48 and 72 hours after the last success, to the second, and clear
//! with the next; sets are deleted after 30 days with the files only they named; and the
//! `educenter backup` commands do the same from a shell.

use std::path::{Path, PathBuf};

use educenter_domain::{backup::RunKind, roles::OperatorRole};
use educenter_services::backup;
use serde_json::json;

use crate::{
    given,
    harness::{ADMIN_PASSWORD, TestApp},
    learning::upload,
};

/// A backup key in a fresh folder, and a target folder beside it.
pub(crate) fn key_and_target() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = dir.path().join("backup.key");
    backup::keygen(&key, "2027-03-01T00:00:00Z".parse().unwrap()).expect("a key");
    let target = dir.path().join("target");
    (dir, key, target)
}

/// Every file under a folder, as paths relative to it, sorted.
fn files(root: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

/// A number the live database answers (a query of one `n` column).
async fn live_count(app: &TestApp, sql: &'static str) -> usize {
    use sqlx::Row;
    let row = sqlx::query(sql)
        .fetch_one(app.store().pool())
        .await
        .unwrap();
    row.try_get::<i64, _>("n").unwrap() as usize
}

fn flip_a_byte(path: &Path, from_end: usize) {
    let mut bytes = std::fs::read(path).unwrap();
    let at = bytes.len() - from_end;
    bytes[at] ^= 0x55;
    std::fs::write(path, bytes).unwrap();
}

/// A client adding `n` modules to a course one after another, and how many it has added.
pub(crate) fn add_modules(
    app: &TestApp,
    token: &str,
    course: &str,
    n: usize,
) -> (
    tokio::task::JoinHandle<()>,
    std::sync::Arc<std::sync::atomic::AtomicUsize>,
) {
    let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (base, token, id) = (app.base.clone(), token.to_owned(), course.to_owned());
    let counter = written.clone();
    let task = tokio::spawn(async move {
        let client = reqwest::Client::new();
        for i in 0..n {
            let res = client
                .post(format!("{base}/api/v1/courses/{id}/modules"))
                .bearer_auth(&token)
                .json(&json!({ "title": format!("Модуль {i}") }))
                .send()
                .await
                .expect("the server answers");
            assert_eq!(res.status(), 201, "{:?}", res.text().await);
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    });
    (task, written)
}

#[tokio::test]
async fn a_backup_taken_while_a_client_writes_restores_and_matches_its_manifest() {
    let (_dir, key, target) = key_and_target();
    let app = TestApp::builder().backups(&key, &target).start().await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let notes = upload(&app, &owner, "notes.txt", b"Alma's notes".to_vec(), None).await;
    upload(&app, &owner, "same.txt", b"Alma's notes".to_vec(), None).await;
    let video = upload(
        &app,
        &owner,
        "intro.mp4",
        crate::learning::mp4(40_000),
        Some("video"),
    )
    .await;

    let contents_before = live_count(
        &app,
        "SELECT COUNT(DISTINCT sha256) AS n FROM media WHERE deleted_at IS NULL",
    )
    .await
        - 2;

    // A client adds modules to a course, one after another, while the backup runs.
    let course = given::course(&app, &owner, "Алгебра").create().await;
    let (writer, written_so_far) = add_modules(&app, &owner, &course.id, 40);
    // The backup starts once the writes have begun, and some are acknowledged while it runs.
    while written_so_far.load(std::sync::atomic::Ordering::SeqCst) < 3 {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    let at_start = written_so_far.load(std::sync::atomic::Ordering::SeqCst);
    let written = backup::run(app.services()).await.expect("a backup");
    let at_end = written_so_far.load(std::sync::atomic::Ordering::SeqCst);
    writer.await.unwrap();
    assert_eq!(
        written.media,
        contents_before + 2,
        "two contents, three files: {written:?}"
    );
    assert_eq!(written.media_added, written.media);

    let sets = backup::list(app.services()).await.unwrap();
    assert_eq!(sets.len(), 1);
    let m = &sets[0];
    assert_eq!(m.set, written.set);
    assert_eq!(m.schema_version, educenter_store::latest_migration());
    let public = std::fs::read_to_string(&key).unwrap();
    assert!(
        public.contains(&format!("# public key: {}", m.key)),
        "{}",
        m.key
    );
    let rows = |name: &str| m.tables.iter().find(|t| t.name == name).unwrap().rows;
    assert_eq!(rows("tenants"), 1);
    // The copy holds the modules acknowledged before it began, and none that did not exist.
    assert!(
        (at_start as i64..=40).contains(&rows("course_modules")),
        "{} rows; {at_start} acknowledged when the backup began, {at_end} when it ended",
        rows("course_modules")
    );
    let shas: Vec<&str> = m.media.iter().map(|f| f.sha256.as_str()).collect();
    assert!(shas.contains(&notes["sha256"].as_str().unwrap()));
    assert!(shas.contains(&video["sha256"].as_str().unwrap()));

    // The set holds nothing readable: the plain notes appear in no file of the target.
    for f in files(&target) {
        let bytes = std::fs::read(target.join(&f)).unwrap();
        assert!(
            !bytes.windows(12).any(|w| w == b"Alma's notes"),
            "{f} holds the plain text"
        );
    }

    let v = backup::verify(app.services(), None, RunKind::Verify)
        .await
        .unwrap();
    assert!(v.ok(), "{:?}", v.problems);
    assert_eq!(
        v.rendered.as_deref(),
        Some("/s/alma-school/ (School alma-school)"),
        "the restored copy serves the school's site"
    );
    assert_eq!(
        (v.set.as_str(), v.schools, v.media),
        (m.set.as_str(), 1, written.media)
    );

    // A second backup stores no file twice.
    let again = backup::run(app.services()).await.unwrap();
    assert_eq!((again.media, again.media_added), (written.media, 0));
    let all = backup::list(app.services()).await.unwrap();
    let second = all.iter().find(|m| m.set == again.set).unwrap();
    assert_eq!(
        second
            .tables
            .iter()
            .find(|t| t.name == "course_modules")
            .unwrap()
            .rows,
        40,
        "every acknowledged module is in the next set"
    );

    // A damaged media file and a damaged database copy are each named; nothing else is.
    let media_file = target.join(&m.media[0].object);
    flip_a_byte(&media_file, 5);
    let v = backup::verify(app.services(), Some(&m.set), RunKind::Verify)
        .await
        .unwrap();
    assert_eq!(v.problems.len(), 1, "{:?}", v.problems);
    assert!(
        v.problems[0].starts_with(&m.media[0].object),
        "{:?}",
        v.problems
    );
    flip_a_byte(&media_file, 5);
    flip_a_byte(&target.join(&m.database.object), 40);
    let v = backup::verify(app.services(), Some(&m.set), RunKind::Verify)
        .await
        .unwrap();
    assert!(!v.ok());
    assert!(
        v.problems.iter().any(|p| p.contains("does not restore")),
        "{:?}",
        v.problems
    );

    // A file missing from the target is named.
    flip_a_byte(&target.join(&m.database.object), 40);
    std::fs::remove_file(&media_file).unwrap();
    let v = backup::verify(app.services(), Some(&m.set), RunKind::Verify)
        .await
        .unwrap();
    assert_eq!(v.problems.len(), 1, "{:?}", v.problems);
    assert!(
        v.problems[0].starts_with(&m.media[0].object),
        "{:?}",
        v.problems
    );

    // The infrastructure role sees the runs in the back office; the failed check stands out.
    let infra = given::operator(
        &app,
        "infra@educenter.test",
        OperatorRole::Infrastructure,
        "Servers-2027!",
    )
    .await;
    let page = infra.get("/operator/operations").await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains(&again.set), "{}", page.text);
    assert!(page.text.contains("row-warning"));
    assert!(
        !page.text.contains("AGE-SECRET-KEY"),
        "the secret never shows"
    );
    // "Back up now" queues a backup that runs at once; a billing officer may not.
    let before = backup::list(app.services()).await.unwrap().len();
    let res = infra.post_form("/operator/operations/backup", &[]).await;
    assert_eq!(res.status, 303, "{}", res.text);
    app.advance(0, 0, 0).await;
    assert_eq!(
        backup::list(app.services()).await.unwrap().len(),
        before + 1
    );
    let billing = given::operator(
        &app,
        "billing@educenter.test",
        OperatorRole::Billing,
        "Numbers-2027!",
    )
    .await;
    let res = billing.post_form("/operator/operations/backup", &[]).await;
    assert_eq!(res.status, 403, "{}", res.text);
    app.stop().await;
}

#[tokio::test]
async fn alerts_fall_48_and_72_hours_after_the_last_success_and_clear_with_the_next() {
    let (_dir, key, target) = key_and_target();
    let app = TestApp::builder()
        .clock("2027-03-01T00:00:00Z")
        .backups(&key, &target)
        .metrics_token()
        .start()
        .await;
    app.expect_leftovers();
    given::alma(&app).await;

    // 06:00 in Almaty on 1 March: a backup succeeds.
    app.set_clock("2027-03-01T01:00:00Z").await;
    backup::run(app.services()).await.unwrap();

    // Then the target breaks (a file where its folder was): every backup fails.
    std::fs::rename(&target, target.with_extension("gone")).unwrap();
    std::fs::write(&target, b"not a folder").unwrap();
    assert!(backup::run(app.services()).await.is_err());

    // One second before 48 hours: no alert; the scheduled runs at midnight UTC failed.
    app.set_clock("2027-03-03T00:59:59Z").await;
    let admin = app.browser();
    admin
        .sign_in("admin@educenter.test", ADMIN_PASSWORD, "")
        .await;
    let home = admin.get("/operator").await;
    assert!(!home.text.contains("backup-alert"), "{}", home.text);
    assert!(
        app.mail_to("admin@educenter.test")
            .await
            .iter()
            .all(|m| !m.subject.contains("Резервн"))
    );

    // At 48 hours exactly: the warning, raised at that instant, in the back office and by mail.
    app.set_clock("2027-03-03T01:00:00Z").await;
    let home = admin.get("/operator").await;
    assert!(home.text.contains("backup-alert"), "{}", home.text);
    assert!(home.text.contains("48 часов"), "{}", home.text);
    let mails = app.mail_to("admin@educenter.test").await;
    let warning: Vec<_> = mails
        .iter()
        .filter(|m| m.subject == "Резервная копия не создавалась 48 ч")
        .collect();
    assert_eq!(warning.len(), 1, "{mails:#?}");
    assert!(
        warning[0].text.contains("2027-03-01 06:00"),
        "{}",
        warning[0].text
    );
    let alerts = {
        let mut conn = app.store().conn().await.unwrap();
        educenter_store::backup::open_alerts(&mut conn)
            .await
            .unwrap()
    };
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].raised_at, "2027-03-03T01:00:00Z".parse().unwrap());
    assert!(
        app.metrics()
            .await
            .contains("educenter_backup_last_success_age_seconds 172800")
    );

    // At 72 hours: the critical alert.
    app.set_clock("2027-03-04T00:59:59Z").await;
    let admin = app.browser();
    admin
        .sign_in("admin@educenter.test", ADMIN_PASSWORD, "")
        .await;
    let home = admin.get("/operator").await;
    assert_eq!(home.status, 200);
    assert!(!home.text.contains("КРИТИЧНО"));
    app.set_clock("2027-03-04T01:00:00Z").await;
    let home = admin.get("/operator").await;
    let alerts = {
        let mut conn = app.store().conn().await.unwrap();
        educenter_store::backup::open_alerts(&mut conn)
            .await
            .unwrap()
    };
    assert!(home.text.contains("КРИТИЧНО"), "{alerts:?} {}", home.text);
    let critical = app
        .mail_to("admin@educenter.test")
        .await
        .into_iter()
        .filter(|m| m.subject.starts_with("КРИТИЧНО"))
        .count();
    assert_eq!(critical, 1);

    // The target is mended; the next backup clears both alerts.
    std::fs::remove_file(&target).unwrap();
    std::fs::rename(target.with_extension("gone"), &target).unwrap();
    backup::run(app.services()).await.unwrap();
    let home = admin.get("/operator").await;
    assert_eq!(home.status, 200);
    assert!(!home.text.contains("backup-alert"), "{}", home.text);
    let runs = {
        let mut conn = app.store().conn().await.unwrap();
        educenter_store::backup::recent_runs(&mut conn, 50)
            .await
            .unwrap()
    };
    assert!(runs.iter().filter(|r| r.kind == RunKind::Backup).count() >= 4);
    app.stop().await;
}

#[tokio::test]
async fn sets_are_deleted_after_30_days_with_the_files_only_they_named() {
    let (_dir, key, target) = key_and_target();
    let app = TestApp::builder()
        .clock("2027-03-01T00:00:00Z")
        .backups(&key, &target)
        .start()
        .await;
    let alma = given::alma(&app).await;
    let kept = upload(&app, &alma.owner_token, "kept.txt", b"kept".to_vec(), None).await;
    let gone = upload(&app, &alma.owner_token, "gone.txt", b"gone".to_vec(), None).await;
    app.set_clock("2027-03-01T01:00:00Z").await;
    let first = backup::run(app.services()).await.unwrap();
    assert!(first.media >= 2);

    // The school deletes a file. Backups run daily, so a set goes at the last run before it
    // would turn 30 days old: 29 days on, the first set is still kept, to the second.
    let res = app
        .call(
            "DELETE",
            &format!("/api/v1/media/{}", gone["id"].as_str().unwrap()),
            &alma.owner_token,
            None,
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    app.set_clock("2027-03-30T01:00:00Z").await;
    backup::run(app.services()).await.unwrap();
    let key_id = backup::Key::load(&key).unwrap().id();
    let gone_object = format!("media/{key_id}/{}.age", gone["sha256"].as_str().unwrap());
    let kept_object = format!("media/{key_id}/{}.age", kept["sha256"].as_str().unwrap());
    let sets: Vec<String> = backup::list(app.services())
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.set)
        .collect();
    assert!(sets.contains(&first.set), "{sets:?}");
    assert!(files(&target).contains(&gone_object));

    // A second later it is past keeping: the set goes, and the deleted file with it, and so
    // do the leftovers of a run interrupted a day ago.
    let leftover = target.join("sets/20270329T000000Z-deadbeef");
    std::fs::create_dir_all(&leftover).unwrap();
    std::fs::write(leftover.join("database.sqlite.zst.age"), b"cut short").unwrap();
    let fresh = target.join("sets/20270330T003000Z-0badf00d");
    std::fs::create_dir_all(&fresh).unwrap();
    std::fs::write(fresh.join("database.sqlite.zst.age"), b"still writing").unwrap();
    app.set_clock("2027-03-30T01:00:01Z").await;
    backup::run(app.services()).await.unwrap();
    let sets: Vec<String> = backup::list(app.services())
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.set)
        .collect();
    assert!(!sets.contains(&first.set), "{sets:?}");
    // The daily scheduled backups (2 to 30 March at 00:00 UTC) and the two by hand are kept.
    assert_eq!(sets.len(), 31, "{sets:?}");
    let left = files(&target);
    assert!(!left.contains(&gone_object), "{left:?}");
    assert!(left.contains(&kept_object), "{left:?}");
    assert!(!left.iter().any(|f| f.contains(&first.set)), "{left:?}");
    assert!(!left.iter().any(|f| f.contains("deadbeef")), "{left:?}");
    assert!(left.iter().any(|f| f.contains("0badf00d")), "{left:?}");
    app.stop().await;
}
