//! The served OpenAPI document against the tools people use it with: `openapi-spec-validator`
//! must find it valid, and `openapi-python-client` must generate a client from it that signs
//! in and lists courses and invoices against the running app
//! (`crates/server/tests/python/client_flow.py`).
//!
//! The tools live in a Python virtualenv that `scripts/test` makes (`target/pyenv`, from
//! `scripts/requirements-test.txt`) and names in `EDUCENTER_PYTHON_VENV`; without it the tests
//! look in `target/pyenv`, and fail saying what to install when it is not there.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use serde_json::json;

use crate::harness::{OWNER_PASSWORD, TestApp};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// A program of the virtualenv; fails, saying what to install, when it is missing.
fn tool(name: &str) -> PathBuf {
    let venv = std::env::var_os("EDUCENTER_PYTHON_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target/pyenv"));
    let path = venv.join("bin").join(name);
    assert!(
        path.exists(),
        "{} is missing: run scripts/test, which creates the virtualenv {} with \
         `python3 -m venv` and installs scripts/requirements-test.txt into it \
         (openapi-spec-validator, openapi-python-client, schemathesis), or set \
         EDUCENTER_PYTHON_VENV to a virtualenv that has them",
        path.display(),
        venv.display()
    );
    path
}

/// Runs a command off the runtime and fails with its output when it fails.
async fn run(mut command: Command, what: &str) -> String {
    let out: Output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("join")
        .unwrap_or_else(|e| panic!("{what} could not start: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    stdout
}

/// The document the app serves, written to `dir`.
async fn served_document(app: &TestApp, dir: &Path) -> PathBuf {
    let res = app.get("/api/openapi.json").await;
    assert_eq!(res.status, 200);
    let path = dir.join("openapi.json");
    std::fs::write(&path, &res.text).expect("write the document");
    path
}

#[tokio::test]
async fn openapi_spec_validator_finds_the_document_valid() {
    let validator = tool("openapi-spec-validator");
    let app = TestApp::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let doc = served_document(&app, dir.path()).await;
    let mut command = Command::new(validator);
    command.arg(&doc);
    let out = run(command, "openapi-spec-validator").await;
    assert!(out.contains("OK"), "{out}");
    app.stop().await;
}

#[tokio::test]
async fn a_generated_python_client_signs_in_and_lists_courses_and_invoices() {
    let generator = tool("openapi-python-client");
    let python = tool("python");
    let app = TestApp::start().await;
    let owner = app
        .school(
            "py-school",
            "123456789013",
            "py@school.test",
            "+77011234567",
        )
        .await;
    let mut titles = Vec::new();
    for i in 1..=5 {
        let title = format!("Курс {i}");
        let res = app
            .call(
                "POST",
                "/api/v1/courses",
                &owner,
                Some(json!({ "title": title })),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
        titles.push(title);
    }
    app.buy_licence(&owner, 1).await;

    let dir = tempfile::tempdir().expect("temp dir");
    let doc = served_document(&app, dir.path()).await;
    // No formatting hooks: the generated code is only run, and ruff is not among the tools.
    let config = dir.path().join("config.yaml");
    std::fs::write(&config, "post_hooks: []\n").expect("write the config");
    let generated = dir.path().join("educenter_client");
    let mut command = Command::new(generator);
    command
        .args(["generate", "--meta", "none", "--path"])
        .arg(&doc)
        .arg("--output-path")
        .arg(&generated)
        .arg("--config")
        .arg(&config);
    run(command, "openapi-python-client generate").await;

    let mut command = Command::new(python);
    command
        .arg(workspace().join("crates/server/tests/python/client_flow.py"))
        .arg(&generated)
        .arg(&app.base)
        .args(["py@school.test", OWNER_PASSWORD, "py-school"])
        .arg(titles.join(","))
        .arg("1");
    let out = run(command, "the generated client's flow").await;
    assert!(out.contains("listed 5 courses in 3 pages"), "{out}");
    assert!(out.contains("all steps passed"), "{out}");
    app.stop().await;
}
