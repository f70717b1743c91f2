//! The course builder's curriculum (issue 19, item 1): the order the page's script sends after a
//! drag or a keyboard move, the ↑/↓ buttons that work without it, a lesson published or put
//! back to draft from the outline, and the live preview of a lesson's Markdown.

use super::*;

/// The course's modules and lessons as ids, in order.
type Order = Vec<(String, Vec<String>)>;

fn order_of(modules: &[(Module, Vec<Lesson>)]) -> Order {
    modules
        .iter()
        .map(|(m, ls)| {
            (
                m.id.to_string(),
                ls.iter().map(|l| l.id.to_string()).collect(),
            )
        })
        .collect()
}

/// The order after moving a lesson one step: within its module, or past the module's edge to
/// the end (up) or the start (down) of the next module that way.
fn lesson_moved(mut order: Order, lesson: &str, up: bool) -> Order {
    let Some((mi, li)) = order
        .iter()
        .enumerate()
        .find_map(|(mi, (_, ls))| ls.iter().position(|l| l == lesson).map(|li| (mi, li)))
    else {
        return order;
    };
    let len = order[mi].1.len();
    match (up, li) {
        (true, 0) if mi > 0 => {
            let l = order[mi].1.remove(0);
            order[mi - 1].1.push(l);
        }
        (true, 0) => {}
        (true, _) => order[mi].1.swap(li, li - 1),
        (false, _) if li + 1 < len => order[mi].1.swap(li, li + 1),
        (false, _) if mi + 1 < order.len() => {
            let l = order[mi].1.remove(li);
            order[mi + 1].1.insert(0, l);
        }
        (false, _) => {}
    }
    order
}

fn module_moved(mut order: Order, module: &str, up: bool) -> Order {
    if let Some(i) = order.iter().position(|(m, _)| m == module) {
        match up {
            true if i > 0 => order.swap(i, i - 1),
            false if i + 1 < order.len() => order.swap(i, i + 1),
            _ => {}
        }
    }
    order
}

/// The order the builder's script sends: `m` a module's id, then `l` each of its lessons' ids,
/// and so on for every module. 204; 409 with a problem saying why when the course changed since
/// the page was read.
pub(crate) async fn reorder(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let mut order: Order = Vec::new();
    for (k, v) in pairs {
        match (k.as_str(), order.last_mut()) {
            ("m", _) => order.push((v, Vec::new())),
            ("l", Some((_, lessons))) => lessons.push(v),
            // A lesson before any module: an order that cannot match the course.
            _ => order.push((String::new(), vec![v])),
        }
    }
    match content::reorder(state.services(), &who, &id, order, origin.0).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        // A problem the script shows (in the page's language) before it reads the page again.
        Err(e @ ServiceError::Conflict(_)) => crate::problem::ApiError::from(e).into_response(),
        Err(e) => super::super::PageError(e).into_response(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct MoveForm {
    /// `up` or `down`.
    pub(crate) direction: String,
}

/// One step of a lesson or a module (`anchor`: `lesson` or `module`) in `course`, back to
/// its place on the course's page.
async fn step(
    state: &AppState,
    who: &Principal,
    (course, id, anchor): (String, &str, &str),
    moved: impl FnOnce(Order) -> Order,
    origin: ClientOrigin,
) -> PageResult {
    let services = state.services();
    let (_, modules) = content::course(services, who, &course).await?;
    content::reorder(services, who, &course, moved(order_of(&modules)), origin.0).await?;
    Ok(Redirect::to(&format!("/cabinet/courses/{course}#{anchor}-{id}")).into_response())
}

pub(crate) async fn move_lesson(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    Form(form): Form<MoveForm>,
) -> PageResult {
    let lesson = content::lesson(state.services(), &who, &id).await?;
    let up = form.direction == "up";
    let at = (lesson.course_id.to_string(), id.as_str(), "lesson");
    step(&state, &who, at, |o| lesson_moved(o, &id, up), origin).await
}

pub(crate) async fn move_module(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    Form(form): Form<MoveForm>,
) -> PageResult {
    let module = content::module(state.services(), &who, &id).await?;
    let up = form.direction == "up";
    let at = (module.course_id.to_string(), id.as_str(), "module");
    step(&state, &who, at, |o| module_moved(o, &id, up), origin).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct StatusForm {
    /// `draft` or `published`.
    pub(crate) status: String,
}

/// Publishes a lesson or puts it back to draft, from the outline.
pub(crate) async fn set_status(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    Form(form): Form<StatusForm>,
) -> PageResult {
    let input = LessonInput {
        status: Some(form.status.clone()),
        ..LessonInput::default()
    };
    let lesson = content::update_lesson(state.services(), &who, &id, input, origin.0).await?;
    let flash = match lesson.status {
        LessonStatus::Published => "lesson-published",
        LessonStatus::Draft => "lesson-unpublished",
    };
    Ok(redirect_with_flash(
        &state,
        &format!("/cabinet/courses/{}#lesson-{id}", lesson.course_id),
        flash,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct PreviewForm {
    pub(crate) text: String,
}

/// A lesson's Markdown as students will see it, for the editor's live preview: rendered by the
/// same sanitiser, the school's images signed for the editor.
pub(crate) async fn preview(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Form(form): Form<PreviewForm>,
) -> PageResult {
    let html = content::preview_markdown(state.services(), &who, &form.text).await?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(spec: &[(&str, &[&str])]) -> Order {
        spec.iter()
            .map(|(m, ls)| (m.to_string(), ls.iter().map(|l| l.to_string()).collect()))
            .collect()
    }

    #[test]
    fn a_lesson_steps_over_its_neighbour_and_across_the_modules_edge() {
        let start = order(&[("m1", &["a", "b"]), ("m2", &["c"])]);
        assert_eq!(
            lesson_moved(start.clone(), "b", true),
            order(&[("m1", &["b", "a"]), ("m2", &["c"])])
        );
        assert_eq!(
            lesson_moved(start.clone(), "b", false),
            order(&[("m1", &["a"]), ("m2", &["b", "c"])])
        );
        assert_eq!(
            lesson_moved(start.clone(), "c", true),
            order(&[("m1", &["a", "b", "c"]), ("m2", &[])])
        );
        assert_eq!(lesson_moved(start.clone(), "a", true), start);
        assert_eq!(lesson_moved(start.clone(), "c", false), start);
        assert_eq!(
            module_moved(start.clone(), "m2", true),
            order(&[("m2", &["c"]), ("m1", &["a", "b"])])
        );
        assert_eq!(module_moved(start.clone(), "m2", false), start);
    }
}
