//! Issue 18, item 9: media and backups on a real S3-compatible server. `scripts/s3-server`
//! installs s3s-fs (crates.io) and starts it; `.ci/run` and `scripts/test` call it and name the
//! server in `EDUCENTER_TEST_S3_ENDPOINT`. The tests here use it on either engine; with
//! `EDUCENTER_TEST_MEDIA=s3` every test app keeps its media there too (CI's PostgreSQL run), so
//! the whole suite's uploads, ranges, links, exports, restores and purges run on it. Without a
//! server these tests fail and say how to start one, unless `EDUCENTER_SKIP_S3_TESTS=1`.

use bytes::Bytes;
use educenter_domain::backup::RunKind;
use educenter_services::{
    backup,
    media::{self, UploadInput},
    storage::{self, S3Options},
    store::audit::Origin,
};
use object_store::{ObjectStoreExt, path::Path};
use sha2::{Digest, Sha256};

use crate::{
    given,
    harness::TestApp,
    learning::{get_with, upload},
};

/// The bucket `scripts/s3-server` makes.
pub const BUCKET: &str = "educenter-test";
const ENDPOINT_ENV: &str = "EDUCENTER_TEST_S3_ENDPOINT";
/// The keys `scripts/s3-server` starts the server with.
const ACCESS_KEY: &str = "educenter-test";
const SECRET_KEY: &str = "educenter-test-secret";

fn endpoint() -> Option<String> {
    std::env::var(ENDPOINT_ENV).ok().filter(|e| !e.is_empty())
}

/// How the test apps reach the server (nothing when there is none).
pub fn options() -> S3Options {
    match endpoint() {
        Some(e) => S3Options {
            endpoint: Some(e),
            region: Some("us-east-1".into()),
            access_key_id: Some(ACCESS_KEY.into()),
            secret_access_key: Some(SECRET_KEY.into()),
        },
        None => S3Options::default(),
    }
}

/// Whether every test app keeps its media on the server (`EDUCENTER_TEST_MEDIA=s3`).
pub fn all_media() -> bool {
    let on = std::env::var("EDUCENTER_TEST_MEDIA").is_ok_and(|v| v == "s3");
    assert!(
        !on || endpoint().is_some(),
        "EDUCENTER_TEST_MEDIA=s3 needs {ENDPOINT_ENV} (eval \"$(scripts/s3-server)\")"
    );
    on
}

/// A prefix of the test bucket no other test uses.
pub fn fresh_url() -> String {
    assert!(
        endpoint().is_some(),
        "this test needs an S3-compatible server: eval \"$(scripts/s3-server)\" starts one \
         and sets {ENDPOINT_ENV} (or set EDUCENTER_SKIP_S3_TESTS=1)"
    );
    format!("s3://{BUCKET}/{}", uuid::Uuid::new_v4().simple())
}

/// Whether the tests here run: they fail without a server unless skipped on purpose.
fn wanted() -> bool {
    if std::env::var("EDUCENTER_SKIP_S3_TESTS").is_ok_and(|v| v == "1") {
        eprintln!("S3 test skipped: EDUCENTER_SKIP_S3_TESTS=1");
        return false;
    }
    true
}

/// Bytes that repeat nowhere within a part, so a part out of place would show.
fn content(len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 32);
    let mut block = Sha256::digest(b"educenter").to_vec();
    while out.len() < len {
        block = Sha256::digest(&block).to_vec();
        out.extend_from_slice(&block);
    }
    out.truncate(len);
    out
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    use sqlx::Row;
    sqlx::query(sql)
        .fetch_one(app.store().pool())
        .await
        .unwrap()
        .try_get::<i64, _>("n")
        .unwrap()
}

#[tokio::test]
async fn media_on_s3_go_up_in_parts_serve_ranges_and_leave_with_their_file() {
    if !wanted() {
        return;
    }
    let app = TestApp::builder().media_on_s3().start().await;
    let plan = given::plan().storage_bytes(200_000_000).price(3, 8_000_000);
    let alma = given::alma(&app).on_plan(plan).licence(1).await;
    let owner = alma.owner_token.clone();
    let tenant = alma.tenant_id(&app).await;

    // 20 MiB and a bit: three parts of a multipart upload, the last a short one.
    let bytes = content(20 * 1024 * 1024 + 12_345);
    let big = upload(&app, &owner, "lecture.bin", bytes.clone(), None).await;
    assert_eq!(big["sha256"], hex::encode(Sha256::digest(&bytes)));
    let key = format!("{tenant}/{}", big["id"].as_str().unwrap());
    assert_eq!(
        app.stored_objects(tenant.as_str()).await,
        std::slice::from_ref(&key)
    );
    assert!(
        app.stored_bytes(&key).await.as_deref() == Some(&bytes[..]),
        "the object holds the upload's bytes in order"
    );
    // A small file is one request.
    let notes = upload(&app, &owner, "notes.txt", b"Alma's notes".to_vec(), None).await;
    assert_eq!(app.stored_objects(tenant.as_str()).await.len(), 2);
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM media_uploads").await,
        0,
        "no upload is left noted as under way"
    );

    // A signed link serves the whole file and ranges, across a part's edge too.
    let url = given::media_link(&app, &owner, &big).await;
    let (status, _, body) = get_with(&app, &url, &[]).await;
    assert_eq!((status, body.len()), (200, bytes.len()));
    assert!(body == bytes);
    let edge = 8 * 1024 * 1024;
    let range = format!("bytes={}-{}", edge - 10, edge + 9);
    let (status, headers, body) = get_with(&app, &url, &[("range", &range)]).await;
    assert_eq!(status, 206);
    assert_eq!(
        headers["content-range"].to_str().unwrap(),
        format!("bytes {}-{}/{}", edge - 10, edge + 9, bytes.len())
    );
    assert_eq!(body, &bytes[edge - 10..edge + 10]);
    let (status, _, body) = get_with(&app, &url, &[("range", "bytes=-5")]).await;
    assert_eq!((status, &body[..]), (206, &bytes[bytes.len() - 5..]));

    // An upload that breaks off after a part went up leaves nothing: its multipart upload is
    // aborted, and its note forgotten only once that worked.
    let first = Bytes::from(content(12 * 1024 * 1024));
    let body = futures::stream::iter(vec![
        Ok(first),
        Err(std::io::Error::other("the connection dropped")),
    ]);
    let who = educenter_services::sessions::authenticate(app.services(), &owner)
        .await
        .unwrap()
        .expect("the owner's session");
    let broke = media::upload(
        app.services(),
        &who,
        UploadInput {
            filename: "cut.bin".into(),
            length: Some(30 * 1024 * 1024),
            expect: None,
        },
        body,
        Origin::default(),
    )
    .await;
    assert!(broke.is_err(), "{broke:?}");
    assert_eq!(app.stored_objects(tenant.as_str()).await.len(), 2);
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM media_uploads").await,
        0
    );

    // Deleting a file deletes its object.
    let nid = notes["id"].as_str().unwrap();
    let res = app
        .call("DELETE", &format!("/api/v1/media/{nid}"), &owner, None)
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    assert_eq!(app.stored_objects(tenant.as_str()).await, [key]);
    app.stop().await;
}

#[tokio::test]
async fn uploads_a_crash_cut_short_are_aborted_by_the_nightly_sweep() {
    if !wanted() {
        return;
    }
    let app = TestApp::builder()
        .media_on_s3()
        .clock("2027-03-01T10:00:00+05:00")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let tenant = alma.tenant_id(&app).await;
    let services = app.services();
    let parts = services
        .media
        .multipart()
        .expect("S3 has multipart uploads")
        .clone();
    let objects = services.media.objects().clone();
    let now = services.clock.now();

    // A crash in the middle of a large upload: its multipart upload holds a part; and a crash
    // after a small one was stored but before it was recorded: an object no file names.
    let cut = Path::from(format!("{tenant}/cut-short"));
    let upload_id = parts.create_multipart(&cut).await.unwrap();
    parts
        .put_part(&cut, &upload_id, 0, Bytes::from(content(6 << 20)).into())
        .await
        .unwrap();
    let orphan = Path::from(format!("{tenant}/stored-not-recorded"));
    objects
        .put(&orphan, Bytes::from_static(b"orphan").into())
        .await
        .unwrap();
    {
        use educenter_store::media_uploads::{Pending, begin};
        let mut conn = app.store().conn().await.unwrap();
        for (key, id) in [(&cut, Some(upload_id.clone())), (&orphan, None)] {
            let p = Pending {
                storage_key: key.to_string(),
                tenant_id: tenant.clone(),
                upload_id: id,
                started_at: now,
            };
            begin(&mut conn, &p).await.unwrap();
        }
    }
    // A file recorded in full is never touched.
    let kept = upload(&app, &alma.owner_token, "kept.txt", b"kept".to_vec(), None).await;
    let kept_key = format!("{tenant}/{}", kept["id"].as_str().unwrap());

    // The next morning's sweep (05:10) is less than a day after: it leaves them be.
    app.set_clock("2027-03-02T05:30:00+05:00").await;
    parts
        .put_part(&cut, &upload_id, 1, Bytes::from(content(6 << 20)).into())
        .await
        .expect("the upload is still open");
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM media_uploads").await,
        2
    );
    // The one after aborts the upload and deletes the orphan.
    app.set_clock("2027-03-03T05:30:00+05:00").await;
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM media_uploads").await,
        0
    );
    let late = parts
        .put_part(&cut, &upload_id, 2, Bytes::from_static(b"late").into())
        .await;
    assert!(late.is_err(), "the aborted upload takes no more parts");
    assert_eq!(app.stored_objects(tenant.as_str()).await, [kept_key]);
    app.stop().await;
}

#[tokio::test]
async fn a_backup_with_media_and_target_on_s3_restores_and_matches_its_manifest() {
    if !wanted() {
        return;
    }
    let (_dir, key, _) = crate::backups::key_and_target();
    let target_url = fresh_url();
    let app = TestApp::builder()
        .media_on_s3()
        .backups_to(&key, target_url.clone())
        .start()
        .await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let tenant = alma.tenant_id(&app).await;
    let notes = upload(&app, &owner, "notes.txt", b"Alma's notes".to_vec(), None).await;
    let video = upload(
        &app,
        &owner,
        "intro.mp4",
        crate::learning::mp4(40_000),
        Some("video"),
    )
    .await;

    // A client writes while the backup runs.
    let course = given::course(&app, &owner, "Алгебра").create().await;
    let (writer, _) = crate::backups::add_modules(&app, &owner, &course.id, 20);
    let written = backup::run(app.services()).await.expect("a backup");
    writer.await.unwrap();
    assert_eq!((written.media, written.media_added), (2, 2), "{written:?}");
    let sets = backup::list(app.services()).await.unwrap();
    let m = &sets[0];
    let shas: Vec<&str> = m.media.iter().map(|f| f.sha256.as_str()).collect();
    assert!(shas.contains(&notes["sha256"].as_str().unwrap()));
    assert!(shas.contains(&video["sha256"].as_str().unwrap()));

    // Restored into scratch, it matches its manifest and serves the school's site.
    let v = backup::verify(app.services(), None, RunKind::Verify)
        .await
        .unwrap();
    assert!(v.ok(), "{:?}", v.problems);
    assert_eq!((v.schools, v.media), (1, 2));
    assert_eq!(
        v.rendered.as_deref(),
        Some("/s/alma-school/ (School alma-school)")
    );

    // The target is a bucket of its own: the set is there, and holds nothing readable.
    let target = storage::open(&target_url, &options(), "--backup-target").unwrap();
    let object = Path::from(m.media[0].object.as_str());
    let stored = target
        .objects
        .get(&object)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(!stored.windows(12).any(|w| w == b"Alma's notes"));
    // A damaged object is named.
    let mut damaged = stored.to_vec();
    let at = damaged.len() - 5;
    damaged[at] ^= 0x55;
    target.objects.put(&object, damaged.into()).await.unwrap();
    let v = backup::verify(app.services(), Some(&m.set), RunKind::Verify)
        .await
        .unwrap();
    assert_eq!(v.problems.len(), 1, "{:?}", v.problems);
    assert!(
        v.problems[0].starts_with(&m.media[0].object),
        "{:?}",
        v.problems
    );
    target.objects.put(&object, stored.into()).await.unwrap();

    // A set is never overwritten: the store refuses a second manifest under its key.
    let manifest = Path::from(backup::manifest::manifest_key(&m.set));
    let create = object_store::PutOptions {
        mode: object_store::PutMode::Create,
        ..Default::default()
    };
    let again = target
        .objects
        .put_opts(&manifest, Bytes::from_static(b"{}").into(), create)
        .await;
    assert!(
        matches!(again, Err(object_store::Error::AlreadyExists { .. })),
        "{again:?}"
    );

    // A second set stores no file twice.
    let again = backup::run(app.services()).await.unwrap();
    assert_eq!((again.media, again.media_added), (2, 0));

    // A file lost from the media store comes back from the set.
    let notes_key = format!("{tenant}/{}", notes["id"].as_str().unwrap());
    app.delete_stored(&notes_key).await;
    let restored = backup::restore_school(
        app.services(),
        "alma-school",
        backup::Destination::Live,
        Some(&again.set),
    )
    .await
    .expect("a restore");
    assert_eq!(restored.files, 1);
    assert_eq!(
        app.stored_bytes(&notes_key).await.as_deref(),
        Some(&b"Alma's notes"[..])
    );
    app.stop().await;
}

#[test]
fn a_store_url_is_a_folder_a_file_url_or_an_s3_bucket() {
    let none = S3Options::default();
    let dir = tempfile::tempdir().unwrap();
    let local = storage::open(&dir.path().display().to_string(), &none, "--media-store");
    assert!(local.is_ok_and(|s| s.multipart.is_none()));
    let err = storage::open("ftp://host/media", &none, "--media-store").unwrap_err();
    assert!(err.to_string().contains("ftp:// is not supported"), "{err}");
    let err = storage::open("s3://key:secret@bucket/media", &none, "--media-store").unwrap_err();
    assert!(err.to_string().contains("AWS_ACCESS_KEY_ID"), "{err}");
    assert!(!err.to_string().contains("secret@"), "{err}");
    let err = storage::open("s3:///media", &none, "--media-store").unwrap_err();
    assert!(err.to_string().contains("names no bucket"), "{err}");
    // The secret never shows in the options' debug output.
    let opts = S3Options {
        secret_access_key: Some("top-secret".into()),
        ..S3Options::default()
    };
    assert!(!format!("{opts:?}").contains("top-secret"));
}

/// The binary, configured as in production: `--media-store s3://...` and the `AWS_*`
/// variables. `educenter demo` stores its media there, and none in the data folder; a store
/// that does not answer stops the start with a message naming the setting.
#[tokio::test]
async fn the_binary_keeps_its_media_where_the_flag_and_the_aws_variables_say() {
    if !wanted() {
        return;
    }
    let url = fresh_url();
    let endpoint = endpoint().unwrap();
    let aws = [
        ("AWS_ENDPOINT_URL", endpoint.as_str()),
        ("AWS_ACCESS_KEY_ID", ACCESS_KEY),
        ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
        ("AWS_REGION", "us-east-1"),
    ];
    // `educenter demo` on a fresh database and data folder, with the media in the bucket.
    let demo = async |env: &[(&str, &str)]| {
        let db = crate::harness::TestDb::create().await;
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().to_str().unwrap();
        let args = ["demo", "--database-url", &db.url, "--data-dir", data_dir];
        let out = crate::binary::command(&args, env)
            .args(["--media-store", &url])
            .output()
            .unwrap();
        (out, dir)
    };
    let (out, dir) = demo(&aws).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = storage::open(&url, &options(), "--media-store").unwrap();
    let stored: Vec<_> = futures::TryStreamExt::try_collect::<Vec<_>>(store.objects.list(None))
        .await
        .unwrap();
    assert!(!stored.is_empty(), "the demo's media are in the bucket");
    assert!(
        !dir.path().join("media").exists(),
        "and not in the data folder"
    );

    // Wrong keys: the start stops at once and says which store refused.
    let wrong = [
        aws[0],
        aws[1],
        ("AWS_SECRET_ACCESS_KEY", "not-the-secret"),
        aws[3],
    ];
    let (out, _) = demo(&wrong).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("--media-store s3://"), "{stderr}");
    assert!(!stderr.contains("not-the-secret"), "{stderr}");
}
