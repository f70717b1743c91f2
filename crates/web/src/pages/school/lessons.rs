//! A lesson as a student reads, watches or listens to it, its embeds, the owner's preview, and the progress it reports.

use super::*;
use educenter_domain::roles::AccountKind;

#[derive(Template)]
#[template(path = "school_lesson.html")]
pub(crate) struct LessonPage<'a> {
    l: Layout<'a>,
    s: School,
    course_id: String,
    course_title: String,
    title: String,
    kind: LessonKind,
    id: String,
    state: LessonState,
    reason: String,
    html: String,
    media_url: Option<String>,
    media_type: String,
    filename: String,
    captions_url: Option<String>,
    embed_url: Option<String>,
    position_ms: i64,
    prev: Option<(String, String)>,
    next: Option<(String, String)>,
    /// Staff previewing the lesson as a student sees it (no progress is kept).
    preview: bool,
    /// A visitor reading a free preview lesson (no progress is kept; the page invites them to
    /// enrol).
    visitor: bool,
    /// A quiz lesson open to its student: the rules, their attempts and the button.
    quiz: Option<super::quiz::QuizPanel>,
    /// An assignment lesson open to its student: their work, its thread and the forms.
    assignment: Option<super::assignment::AssignmentPanel>,
    /// A stop-lesson: the next lessons open once it is complete.
    stop: bool,
}

/// An embed link as a player address (YouTube's watch links become their embed form).
/// The player address of an embed link whose host the operator still allows.
pub(crate) async fn allowed_embed(
    services: &educenter_services::Services,
    url: Option<&str>,
) -> Option<String> {
    let url = url?;
    let hosts = content::embed_hosts(services).await.ok()?;
    content::embed_allowed(url, &hosts).then(|| embed_src(url))
}

pub(crate) fn embed_src(url: &str) -> String {
    let rest = url.trim_start_matches("https://");
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let nocookie = |id: &str| format!("https://www.youtube-nocookie.com/embed/{id}");
    match host {
        "youtu.be" => nocookie(path.split(['?', '#']).next().unwrap_or_default()),
        "youtube.com" | "www.youtube.com" | "m.youtube.com" => {
            let (route, query) = path.split_once('?').unwrap_or((path, ""));
            let v = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("v="))
                .filter(|_| route == "watch");
            match (
                v,
                route.strip_prefix("embed/"),
                route.strip_prefix("shorts/"),
            ) {
                (Some(id), _, _) | (None, Some(id), _) | (None, None, Some(id)) => nocookie(id),
                _ => url.to_owned(),
            }
        }
        "vimeo.com" => format!("https://player.vimeo.com/video/{path}"),
        _ => url.to_owned(),
    }
}

pub(crate) async fn lesson(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> PageResult {
    lesson_page(state, &slug, &id, &headers, None).await
}

/// A lesson's page for whoever asks (`draft`: an assignment's form refused, shown again).
pub(crate) async fn lesson_page(
    state: AppState,
    slug: &str,
    id: &str,
    headers: &HeaderMap,
    draft: Option<super::assignment::Draft>,
) -> PageResult {
    let (state, headers) = (&state, headers);
    let path = format!("/s/{slug}/lessons/{id}");
    let services = state.services();
    // A student of this school: the session, the school and the lesson in one query.
    let visit = match auth::session_secret(headers) {
        Some(secret) => learning::visit_lesson(services, secret, id)
            .await
            .ok()
            .flatten(),
        None => None,
    };
    let (t, who, found) = match visit {
        Some(learning::LessonVisit {
            who,
            school: Some(t),
            lesson,
        }) if t.slug == slug && who.kind == AccountKind::Learner => {
            match educenter_services::site::open_school(t) {
                Ok(t) => (t, who, lesson),
                Err(e) => return Ok(closed(state, headers, e)),
            }
        }
        // Anyone else: a free preview lesson, the sign-in page, the cabinet, or (should the
        // session have changed meanwhile) the lesson read again.
        _ => match school_student(state, headers, slug, &path).await {
            Ok((t, who)) => {
                let found = learning::lesson(services, &who, id).await;
                (t, who, found)
            }
            Err(r) => {
                return Ok(
                    match free_preview_page(state, headers, None, slug, id, &path).await? {
                        Some(page) => page,
                        None => r,
                    },
                );
            }
        },
    };
    let (o, index, full) = found?;
    // A lesson closed to the student but offered as a free preview opens as it does for
    // visitors.
    if o.lessons()
        .nth(index)
        .is_some_and(|v| v.state.is_locked() && v.lesson.free_preview)
        && let Some(page) = free_preview_page(state, headers, Some(&who), slug, id, &path).await?
    {
        return Ok(page);
    }
    let l = Layout::for_user(state, headers, &path, &who);
    let all: Vec<_> = o.lessons().collect();
    let v = all[index];
    let (lesson_state, reason) = (v.state, lock_reason(&l, v));
    let open = !lesson_state.is_locked();
    let mut media_url = None;
    let mut media_type = String::new();
    let mut filename = String::new();
    let mut captions_url = None;
    if open {
        if let Some(mid) = &v.lesson.media_id {
            // A file that no longer opens leaves the rest of the lesson readable.
            if let Ok((url, m)) = media::link(services, &who, mid).await {
                media_url = Some(url);
                media_type = m.content_type;
                filename = m.filename;
            }
        }
        if let Some(cid) = &v.lesson.captions_id {
            captions_url = media::link(services, &who, cid).await.ok().map(|(u, _)| u);
        }
    }
    let link = |i: usize| {
        all.get(i)
            .map(|x| (x.lesson.id.to_string(), x.lesson.title.clone()))
    };
    let embed_url = allowed_embed(services, v.lesson.embed_url.as_deref().filter(|_| open)).await;
    let assignment = if open && v.lesson.kind == LessonKind::Assignment {
        Some(super::assignment::panel(state, &l, &who, id, draft).await?)
    } else {
        None
    };
    let quiz = if open && v.lesson.kind == LessonKind::Quiz {
        Some(super::quiz::panel(state, &l, &who, id).await?)
    } else {
        None
    };
    let page = LessonPage {
        s: school_of(&t, Some(&who)),
        course_id: o.course.id.to_string(),
        course_title: o.course.title.clone(),
        title: v.lesson.title.clone(),
        kind: v.lesson.kind,
        id: v.lesson.id.to_string(),
        state: lesson_state,
        reason,
        html: if open && v.lesson.kind.has_text() {
            let html = o.content.html(&full.id).unwrap_or_default();
            media::sign_images(services, &t.id, Some(&who.user_id), html).await?
        } else {
            String::new()
        },
        media_url,
        media_type,
        filename,
        captions_url,
        position_ms: v.position_ms,
        prev: index.checked_sub(1).and_then(link),
        next: link(index + 1),
        embed_url: embed_url.clone(),
        preview: false,
        visitor: false,
        quiz,
        assignment,
        stop: v.lesson.stop,
        l,
    };
    Ok(render_lesson(page, embed_url.as_deref()))
}

/// A free preview lesson for a visitor, or for a student of the school whose own view has it
/// closed (issue 17, item 3): the lesson open, its file on a link signed for visitors, nothing
/// recorded; `None` for any other lesson (the visitor is asked to sign in).
async fn free_preview_page(
    state: &AppState,
    headers: &HeaderMap,
    student: Option<&Principal>,
    slug: &str,
    id: &str,
    path: &str,
) -> Result<Option<Response>, PageError> {
    let services = state.services();
    let Ok(t) = educenter_services::site::school(services, slug).await else {
        return Ok(None);
    };
    let (o, _, lesson) = match learning::free_preview(services, &t, id).await {
        Ok(found) => found,
        Err(ServiceError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let (mut media_url, mut media_type, mut filename) = (None, String::new(), String::new());
    if let Some(mid) = &lesson.media_id
        && let Ok((url, m)) = media::preview_link(services, &t.id, mid).await
    {
        media_url = Some(url);
        media_type = m.content_type;
        filename = m.filename;
    }
    let captions_url = match &lesson.captions_id {
        Some(c) => media::preview_link(services, &t.id, c)
            .await
            .ok()
            .map(|(u, _)| u),
        None => None,
    };
    let embed_url = allowed_embed(services, lesson.embed_url.as_deref()).await;
    let page = LessonPage {
        l: match student {
            Some(who) => Layout::for_user(state, headers, path, who),
            None => Layout::new(state, headers, path),
        },
        s: school_of(&t, student),
        course_id: o.course.id.to_string(),
        course_title: o.course.title.clone(),
        title: lesson.title.clone(),
        kind: lesson.kind,
        id: lesson.id.to_string(),
        state: LessonState::Open,
        reason: String::new(),
        html: if lesson.kind.has_text() {
            let html = content::render_markdown(&lesson.body);
            media::sign_images(services, &t.id, None, &html).await?
        } else {
            String::new()
        },
        media_url,
        media_type,
        filename,
        captions_url,
        embed_url: embed_url.clone(),
        position_ms: 0,
        prev: None,
        next: None,
        preview: false,
        visitor: true,
        quiz: None,
        assignment: None,
        stop: lesson.stop,
    };
    Ok(Some(render_lesson(page, embed_url.as_deref())))
}

/// Renders a lesson page; one with an embedded player may frame that player's host.
pub(crate) fn render_lesson(page: LessonPage<'_>, embed: Option<&str>) -> Response {
    let mut res = page.l.render(StatusCode::OK, &page);
    if let Some(host) = embed.and_then(content::embed_host) {
        // The embedded player's own host may be framed on this page, nothing else (YouTube's
        // player moves between its two hosts).
        let youtube = ["youtube.com", "youtube-nocookie.com"]
            .iter()
            .any(|d| host == *d || host.ends_with(&format!(".{d}")));
        let frames = if youtube {
            "https://www.youtube-nocookie.com https://www.youtube.com".to_owned()
        } else {
            format!("https://{host}")
        };
        if let Ok(v) = HeaderValue::from_str(&format!(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             object-src 'none'; frame-src {frames}; frame-ancestors 'none'; base-uri 'self'; \
             form-action 'self'"
        )) {
            res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    res
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ProgressBody {
    position_ms: i64,
    duration_ms: Option<i64>,
    complete: bool,
}

#[derive(Serialize)]
pub(crate) struct ProgressAnswer {
    lesson_complete: bool,
    course_complete: bool,
}

/// Staff see a lesson as a student will (any lesson of any course, open, nothing recorded).
pub(crate) async fn preview(
    State(state): State<AppState>,
    auth::WebUser(who): auth::WebUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let services = state.services();
    let lesson = content::lesson(services, &who, &id).await?;
    let (course, modules) = content::course(services, &who, &lesson.course_id).await?;
    // The course is of the person's own school (content::course checked it).
    let tenant = educenter_services::tenancy::own(services, &who)
        .await
        .ok()
        .flatten()
        .filter(|t| t.id == course.tenant_id);
    let Some(t) = tenant else {
        return Err(PageError::not_found());
    };
    let all: Vec<_> = modules.into_iter().flat_map(|(_, ls)| ls).collect();
    let index = all.iter().position(|l| l.id == id).unwrap_or(0);
    let link = |i: usize| all.get(i).map(|x| (x.id.to_string(), x.title.clone()));
    let mut media_url = None;
    let (mut media_type, mut filename) = (String::new(), String::new());
    if let Some(mid) = &lesson.media_id
        && let Ok((url, m)) = media::link(services, &who, mid).await
    {
        media_url = Some(url);
        media_type = m.content_type;
        filename = m.filename;
    }
    let captions_url = match &lesson.captions_id {
        Some(c) => media::link(services, &who, c).await.ok().map(|(u, _)| u),
        None => None,
    };
    let path = format!("/cabinet/lessons/{id}/preview");
    let embed_url = allowed_embed(services, lesson.embed_url.as_deref()).await;
    let page = LessonPage {
        l: Layout::for_user(&state, &headers, &path, &who),
        s: school_of(&t, None),
        course_id: course.id.to_string(),
        course_title: course.title.clone(),
        title: lesson.title.clone(),
        kind: lesson.kind,
        id: lesson.id.to_string(),
        state: LessonState::Open,
        reason: String::new(),
        html: if lesson.kind.has_text() {
            let html = content::render_markdown(&lesson.body);
            media::sign_images(services, &t.id, Some(&who.user_id), &html).await?
        } else {
            String::new()
        },
        media_url,
        media_type,
        filename,
        captions_url,
        embed_url: embed_url.clone(),
        position_ms: 0,
        prev: index.checked_sub(1).and_then(link),
        next: link(index + 1),
        preview: true,
        visitor: false,
        quiz: None,
        assignment: None,
        stop: lesson.stop,
    };
    Ok(render_lesson(page, embed_url.as_deref()))
}

/// The player reports where the student is (JSON, from the lesson page's script).
pub(crate) async fn progress(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<ProgressBody>,
) -> Response {
    let who = match school_visitor(&state, &headers, &slug).await {
        Ok((_, who)) => who,
        Err(r) => return r,
    };
    let Some(who) = who else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let input = learning::ProgressInput {
        position_ms: body.position_ms,
        duration_ms: body.duration_ms,
        complete: body.complete,
    };
    match learning::save_progress(state.services(), &who, &id, input).await {
        Ok(s) => Json(ProgressAnswer {
            lesson_complete: s.lesson_complete,
            course_complete: s.course_complete,
        })
        .into_response(),
        Err(e) => crate::problem::ApiError::from(e).into_response(),
    }
}

/// "Mark complete": saves, then goes on to the next lesson (or back to the course).
pub(crate) async fn complete(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> PageResult {
    let path = format!("/s/{slug}/lessons/{id}");
    let (_, who) = match school_student(&state, &headers, &slug, &path).await {
        Ok(v) => v,
        Err(r) => return Ok(r),
    };
    let input = learning::ProgressInput {
        complete: true,
        ..Default::default()
    };
    let services = state.services();
    let saved = learning::save_progress(services, &who, &id, input).await?;
    let (o, index, _) = learning::lesson(services, &who, &id).await?;
    let next = o.lessons().nth(index + 1).map(|v| v.lesson.id.clone());
    Ok(match (saved.course_complete, next) {
        (true, _) | (_, None) => redirect_with_flash(
            &state,
            &format!("/s/{slug}/courses/{}", o.course.id),
            if saved.course_complete {
                "course-complete"
            } else {
                "lesson-complete"
            },
        ),
        (false, Some(n)) => {
            redirect_with_flash(&state, &format!("/s/{slug}/lessons/{n}"), "lesson-complete")
        }
    })
}
