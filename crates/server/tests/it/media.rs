//! Uploads and media links (issue 6, second part): a file takes its type from its bytes, not
//! its name, and stays within the plan's storage (two uploads at once as well) and the
//! per-file limit; a signed link serves ranges and conditional requests, and expires.

use serde_json::json;
use sha2::{Digest, Sha256};

use crate::{
    given,
    harness::TestApp,
    learning::{get_with, h, mp4, png, send_upload, upload},
};

#[tokio::test]
async fn uploads_take_their_type_from_the_bytes_and_stay_within_the_limits() {
    let app = TestApp::builder().max_upload_mib(1).start().await;
    // The plan allows 300 000 bytes of storage.
    let plan = given::plan().storage_bytes(300_000).price(3, 8_000_000);
    let owner = given::alma(&app).on_plan(plan).licence(1).await.owner_token;

    let bytes = mp4(200_000);
    let video = upload(&app, &owner, "урок 1.mov", bytes.clone(), Some("video")).await;
    assert_eq!(video["kind"], "video");
    assert_eq!(video["content_type"], "video/mp4");
    assert_eq!(video["size_bytes"], 200_000);
    assert_eq!(video["filename"], "урок 1.mov");
    assert_eq!(video["sha256"], hex::encode(Sha256::digest(&bytes)));

    // A PNG named .mp4 is not a video, whatever its name says.
    let res = send_upload(&app, &owner, "clip.mp4", png(1000), Some("video")).await;
    let p = res.problem(415);
    assert!(p["detail"].as_str().unwrap().contains("not video"), "{p}");
    // Text named .mp4 is a plain file; WebVTT is captions.
    let text = upload(
        &app,
        &owner,
        "notes.mp4",
        "Конспект урока".as_bytes().to_vec(),
        None,
    )
    .await;
    assert_eq!(text["kind"], "file");
    assert_eq!(text["content_type"], "text/plain; charset=utf-8");
    let vtt = upload(
        &app,
        &owner,
        "ru.vtt",
        b"WEBVTT\n\n00:00.000 --> 00:02.000\n\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82\n"
            .to_vec(),
        Some("captions"),
    )
    .await;
    assert_eq!(vtt["kind"], "captions");
    assert_eq!(vtt["content_type"], "text/vtt");

    // Over the plan's storage: refused before a byte is stored, naming the limit.
    let stored = app.stored_objects("").await.len();
    let res = send_upload(&app, &owner, "big.mp4", mp4(150_000), Some("video")).await;
    let p = res.problem(403);
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("300\u{a0}kB of storage"),
        "{p}"
    );
    assert_eq!(app.stored_objects("").await.len(), stored);
    // Over the per-file limit (1 MiB here): 413.
    let res = send_upload(&app, &owner, "huge.mp4", mp4(1024 * 1024 + 1), None).await;
    res.problem(413);
    assert_eq!(app.stored_objects("").await.len(), stored);
    // A bad name, an unknown kind.
    let res = send_upload(&app, &owner, "a/b.mp4", mp4(100), None).await;
    assert_eq!(
        crate::harness::error_fields(&res.problem(422)),
        ["filename"]
    );
    let res = send_upload(&app, &owner, "a.mp4", mp4(100), Some("movie")).await;
    assert_eq!(crate::harness::error_fields(&res.problem(422)), ["kind"]);

    let list = app.call("GET", "/api/v1/media", &owner, None).await.items();
    assert_eq!(list.as_array().unwrap().len(), 3);
    let usage = app
        .call("GET", "/api/v1/license", &owner, None)
        .await
        .json();
    let used = usage["usage"]["storage_bytes"].as_i64().unwrap();
    assert!(used > 200_000 && used < 200_200, "{usage}");

    // A read-only token and an accountant may not upload.
    let read_only = given::api_token(&app, &owner, "ro", "read").await.secret;
    send_upload(&app, &read_only, "x.txt", b"x".to_vec(), None)
        .await
        .problem(403);

    // A file a lesson uses cannot be deleted; one no lesson uses can, and frees its bytes.
    let course = given::course(&app, &owner, "Видео")
        .module("М")
        .create()
        .await;
    let (cid, module) = (&course.id, &course.modules[0]);
    // A video lesson needs a video file: the text file is refused.
    let res = app
        .call(
            "POST",
            &format!("/api/v1/courses/{cid}/lessons"),
            &owner,
            Some(json!({ "module_id": module, "title": "V", "kind": "video", "media_id": text["id"], "captions_id": video["id"] })),
        )
        .await;
    let mut fields = crate::harness::error_fields(&res.problem(422));
    fields.sort();
    assert_eq!(fields, ["captions_id", "media_id"]);
    let lesson = app
        .call(
            "POST",
            &format!("/api/v1/courses/{cid}/lessons"),
            &owner,
            Some(json!({ "module_id": module, "title": "V", "kind": "video", "media_id": video["id"], "captions_id": vtt["id"] })),
        )
        .await;
    assert_eq!(lesson.status, 201, "{}", lesson.text);
    assert_eq!(lesson.json()["media_id"], video["id"]);
    let vid = video["id"].as_str().unwrap();
    app.call("DELETE", &format!("/api/v1/media/{vid}"), &owner, None)
        .await
        .problem(409);
    let tid = text["id"].as_str().unwrap();
    let res = app
        .call("DELETE", &format!("/api/v1/media/{tid}"), &owner, None)
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    app.call("GET", &format!("/api/v1/media/{tid}"), &owner, None)
        .await
        .problem(404);
    assert_eq!(app.stored_objects("").await.len(), stored - 1);
    app.stop().await;
}

#[tokio::test]
async fn media_links_serve_ranges_and_conditional_requests_and_expire() {
    let app = TestApp::start().await;
    let owner = given::alma(&app).await.owner_token;
    let bytes = mp4(200_000);
    let video = upload(&app, &owner, "lesson.mp4", bytes.clone(), Some("video")).await;
    let id = video["id"].as_str().unwrap();
    let url = given::media_link(&app, &owner, &video).await;
    assert!(url.starts_with(&format!("/media/{id}?")), "{url}");

    let (status, headers, body) = get_with(&app, &url, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(body, bytes);
    assert_eq!(h(&headers, "accept-ranges"), "bytes");
    assert_eq!(h(&headers, "content-type"), "video/mp4");
    assert_eq!(h(&headers, "content-length"), "200000");
    let etag = h(&headers, "etag").to_owned();
    assert_eq!(etag, format!("\"{}\"", video["sha256"].as_str().unwrap()));
    let last_modified = h(&headers, "last-modified").to_owned();
    assert!(last_modified.ends_with(" GMT"), "{last_modified}");

    let (status, headers, body) = get_with(&app, &url, &[("range", "bytes=100-199")]).await;
    assert_eq!(status, 206);
    assert_eq!(h(&headers, "content-range"), "bytes 100-199/200000");
    assert_eq!(body, &bytes[100..200]);
    let (status, _, body) = get_with(&app, &url, &[("range", "bytes=-10")]).await;
    assert_eq!(status, 206);
    assert_eq!(body, &bytes[199_990..]);
    let (status, _, body) = get_with(&app, &url, &[("range", "bytes=199000-")]).await;
    assert_eq!(status, 206);
    assert_eq!(body.len(), 1000);
    let (status, headers, _) = get_with(&app, &url, &[("range", "bytes=300000-300010")]).await;
    assert_eq!(status, 416);
    assert_eq!(h(&headers, "content-range"), "bytes */200000");
    // A malformed range is ignored: the whole file.
    let (status, _, body) = get_with(&app, &url, &[("range", "pages=1-2")]).await;
    assert_eq!((status, body.len()), (200, 200_000));

    // Conditional requests.
    let (status, _, body) = get_with(&app, &url, &[("if-none-match", &etag)]).await;
    assert_eq!((status, body.len()), (304, 0));
    let (status, _, _) = get_with(&app, &url, &[("if-modified-since", &last_modified)]).await;
    assert_eq!(status, 304);
    let (status, _, _) = get_with(&app, &url, &[("if-none-match", "\"other\"")]).await;
    assert_eq!(status, 200);
    // If-Range with another version's tag: the whole file instead of the range.
    let (status, _, body) = get_with(
        &app,
        &url,
        &[("range", "bytes=0-9"), ("if-range", "\"old\"")],
    )
    .await;
    assert_eq!((status, body.len()), (200, 200_000));
    let (status, _, body) =
        get_with(&app, &url, &[("range", "bytes=0-9"), ("if-range", &etag)]).await;
    assert_eq!((status, body.len()), (206, 10));

    // An uploaded HTML page never renders on this origin: it downloads.
    let html = upload(
        &app,
        &owner,
        "page.html",
        b"<!doctype html><html><body><form action=/logout method=post></form></body></html>"
            .to_vec(),
        None,
    )
    .await;
    let html_url = given::media_link(&app, &owner, &html).await;
    let (status, headers, _) = get_with(&app, &html_url, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(h(&headers, "content-type"), "application/octet-stream");
    assert!(h(&headers, "content-disposition").starts_with("attachment;"));
    assert!(h(&headers, "content-security-policy").starts_with("sandbox"));

    // A changed link does not open.
    let tampered = url.replace("&e=", "&e=9");
    assert_eq!(get_with(&app, &tampered, &[]).await.0, 404);
    let (status, _, _) = get_with(&app, &format!("/media/{id}"), &[]).await;
    assert_eq!(status, 404);
    // An hour later the link has expired.
    app.advance(0, 1, 1).await;
    let (status, _, _) = get_with(&app, &url, &[]).await;
    assert_eq!(status, 410);
    app.stop().await;
}

#[tokio::test]
async fn two_uploads_at_once_never_exceed_the_storage_together() {
    let app = TestApp::start().await;
    let plan = given::plan().storage_bytes(10_000).courses(5);
    let owner = given::alma(&app).on_plan(plan).licence(1).await.owner_token;
    // Each fits alone (6 000 of 10 000 bytes); both together do not.
    let (a, b) = tokio::join!(
        send_upload(&app, &owner, "a.mp4", mp4(6_000), Some("video")),
        send_upload(&app, &owner, "b.mp4", mp4(6_000), Some("video")),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 403], "{} / {}", a.text, b.text);
    let files = app.call("GET", "/api/v1/media", &owner, None).await.items();
    assert_eq!(files.as_array().unwrap().len(), 1);
    app.stop().await;
}
