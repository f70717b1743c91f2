//! The error answers of every operation, completed in one place rather than in a hundred
//! attributes: what the extractors and layers answer for any route of a kind is added to the
//! operations of that kind, every error answer is described and carries the `Problem` schema as
//! `application/problem+json`, and every answer has a description (OpenAPI requires one).
//!
//! What only some handlers answer (409, 410, 413 for an upload, 429, a 404 without an id in the
//! path, ...) stays in their `#[utoipa::path]`; in test mode `middleware::openapi_guard` turns
//! any answer whose status the document does not list into a 500, so the suite finds a handler
//! that answers more than it says.

use axum::http::StatusCode;
use utoipa::openapi::{
    Content, OpenApi, RefOr, Response,
    path::{Operation, Parameter, ParameterIn},
    schema::{ObjectBuilder, Ref, Schema, Type},
};

use crate::problem::PROBLEM_JSON;

/// Completes the responses of every operation (see the module's documentation).
pub struct ErrorResponses;

impl utoipa::Modify for ErrorResponses {
    fn modify(&self, openapi: &mut OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let ops = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in ops.into_iter().flatten() {
                complete(path, op);
            }
        }
    }
}

/// The statuses an operation answers whatever its handler does, from what it takes.
fn implied(path: &str, op: &Operation) -> Vec<u16> {
    let mut statuses = Vec::new();
    // `Auth` and its kin: no or a bad token is 401; a token whose role may not, or whose
    // school's licence is inactive or blocked, is 403 (`Principal::require_access`).
    if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
        statuses.extend([401, 403]);
    }
    // `ApiJson`: malformed JSON 400, over the body limit 413, not JSON 415, not an object or
    // of the wrong shape 422.
    let takes_json = op.request_body.as_ref().is_some_and(|b| match b {
        RefOr::T(b) => b.content.keys().any(|k| k.contains("json")),
        RefOr::Ref(_) => true,
    });
    if takes_json {
        statuses.extend([400, 413, 415, 422]);
    }
    let params = || {
        op.parameters.iter().flatten().filter_map(|p| match p {
            RefOr::T(p) => Some(p),
            RefOr::Ref(_) => None,
        })
    };
    // A query string axum's `Query` cannot read (a repeated or mistyped parameter) is 400.
    if params()
        .any(|p| p.parameter_in == ParameterIn::Query && p.name != "limit" && p.name != "after")
    {
        statuses.push(400);
    }
    // `PageQuery` answers a bad `limit` 422, and `middleware::refuse_nul` a NUL in any query
    // parameter (naming it).
    if params().any(|p| p.parameter_in == ParameterIn::Query) {
        statuses.push(422);
    }
    // An id in the path that names nothing of this school.
    if path.contains('{') {
        statuses.push(404);
    }
    // A path parameter that is not text (a year) and cannot be read as its type: axum's
    // `Path` answers 400.
    let typed = |p: &&Parameter| {
        p.parameter_in == ParameterIn::Path
            && serde_json::to_value(&p.schema)
                .is_ok_and(|s| s.get("type").is_some_and(|t| t != "string"))
    };
    if params().any(|p| typed(&p)) {
        statuses.push(400);
    }
    statuses
}

/// Bytes that are not JSON (a PDF, an upload) are a string of that media type, not the array
/// of integers `Vec<u8>` would say.
fn binary<'a>(contents: impl Iterator<Item = (&'a String, &'a mut RefOr<Content>)>) {
    for (media_type, c) in contents {
        if media_type.contains("json") {
            continue;
        }
        if let RefOr::T(c) = c {
            c.schema = Some(RefOr::T(Schema::Object(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .content_media_type(media_type.as_str())
                    .build(),
            )));
        }
    }
}

fn complete(path: &str, op: &mut Operation) {
    if let Some(RefOr::T(body)) = op.request_body.as_mut() {
        binary(body.content.iter_mut());
    }
    for status in implied(path, op) {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::T(Response::new("")));
    }
    for (status, response) in op.responses.responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        let code = status.parse::<u16>().unwrap_or(0);
        if response.description.is_empty() {
            response.description = describe(code).to_owned();
        }
        binary(response.content.iter_mut());
        if code >= 400 {
            // Errors are problem details whatever the attribute said (`body = Problem` is
            // documented as `application/json` by default).
            response.content.clear();
            response.content.insert(
                PROBLEM_JSON.to_owned(),
                RefOr::T(Content::new(Some(Ref::from_schema_name("Problem")))),
            );
        }
    }
}

/// What a status means across the API, for answers whose attribute says nothing more.
fn describe(code: u16) -> &'static str {
    match code {
        400 => "Malformed JSON, or a query string that cannot be read",
        401 => "Not signed in, or the token is unknown, expired or revoked",
        403 => {
            "Not allowed: the role or token may not do this, or the school's licence is \
             inactive (`licence_inactive`) or a block is in force (`blocked`)"
        }
        404 => "Not found (another school's ids are not found either)",
        409 => "Conflicts with what exists",
        410 => "Gone: the link was used or has expired",
        411 => "The request must say how long its body is",
        413 => "The body is larger than this endpoint accepts",
        415 => "The body is not of a type this endpoint takes",
        422 => {
            "Invalid input: `errors` names each field (a body that is not a JSON object, or not \
             of the expected shape, and text with a NUL or other control character included)"
        }
        429 => "Too many attempts: retry after `Retry-After` seconds",
        503 => "Temporarily unavailable",
        _ => StatusCode::from_u16(code)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("The answer"),
    }
}
