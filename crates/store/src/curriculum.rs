//! A course's curriculum as a whole (issue 19, item 1): its modules and lessons put in a new
//! order at once, lessons renumbered without gaps, and the images each lesson's text shows
//! kept in step with the text (`lesson_images`).

use educenter_domain::ids::{CourseId, LessonId, ModuleId, TenantId};

use crate::{Conn, Result};

/// Where a lesson stands: its id, its module and its number there.
pub type Placed = (LessonId, ModuleId, i64);

/// Marks a change of a course's modules or lessons: its revision goes up, so cached outlines
/// of it are stale.
pub(crate) async fn bump(
    conn: &mut Conn,
    tenant_id: &TenantId,
    course_id: &CourseId,
) -> Result<()> {
    sqlx::query("UPDATE courses SET revision = revision + 1 WHERE tenant_id = $1 AND id = $2")
        .bind(tenant_id.as_str())
        .bind(course_id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Takes the course's row for the rest of the transaction (PostgreSQL: a row lock; SQLite
/// writes one at a time), so that changes to its curriculum take turns.
pub async fn hold_course(
    conn: &mut Conn,
    tenant_id: &TenantId,
    course_id: &CourseId,
) -> Result<()> {
    sqlx::query("UPDATE courses SET revision = revision WHERE tenant_id = $1 AND id = $2")
        .bind(tenant_id.as_str())
        .bind(course_id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Puts a course's live modules and lessons where the list says (issue 19, item 1: the
/// curriculum dragged into a new order): each module at its index + 1, each lesson in its
/// module at its index + 1, as read under [`hold_course`] (`modules`: each module's id and
/// number; `lessons`: where each lesson stands). Rows already in place are left as they are;
/// answers whether any moved.
pub async fn set_outline(
    conn: &mut Conn,
    tenant_id: &TenantId,
    course_id: &CourseId,
    (modules, lessons): (&[(ModuleId, i64)], &[Placed]),
    outline: &[(ModuleId, Vec<LessonId>)],
) -> Result<bool> {
    let mut changed = false;
    for (i, (module_id, lesson_ids)) in outline.iter().enumerate() {
        let position = i as i64 + 1;
        if modules
            .iter()
            .any(|(id, at)| id == module_id && *at != position)
        {
            sqlx::query("UPDATE course_modules SET position = $1 WHERE tenant_id = $2 AND id = $3")
                .bind(position)
                .bind(tenant_id.as_str())
                .bind(module_id.as_str())
                .execute(&mut *conn)
                .await?;
            changed = true;
        }
        for (j, lesson_id) in lesson_ids.iter().enumerate() {
            let position = j as i64 + 1;
            let moved = lessons.iter().any(|(id, module, at)| {
                id == lesson_id && (*at != position || module != module_id)
            });
            if moved {
                place_lesson(conn, tenant_id, lesson_id, module_id, position).await?;
                changed = true;
            }
        }
    }
    if changed {
        bump(conn, tenant_id, course_id).await?;
    }
    Ok(changed)
}

/// Puts a lesson at `position` of `module_id` (the caller bumps the course's revision).
async fn place_lesson(
    conn: &mut Conn,
    tenant_id: &TenantId,
    id: &LessonId,
    module_id: &ModuleId,
    position: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE lessons SET module_id = $1, position = $2 WHERE tenant_id = $3 AND id = $4",
    )
    .bind(module_id.as_str())
    .bind(position)
    .bind(tenant_id.as_str())
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Numbers lessons of one module 1..n in the order given (their text untouched), and bumps
/// the course's revision.
pub async fn renumber_lessons(
    conn: &mut Conn,
    tenant_id: &TenantId,
    course_id: &CourseId,
    lessons: &[Placed],
) -> Result<()> {
    for (i, (id, module_id, at)) in lessons.iter().enumerate() {
        let position = i as i64 + 1;
        if *at != position {
            place_lesson(conn, tenant_id, id, module_id, position).await?;
        }
    }
    bump(conn, tenant_id, course_id).await
}

/// Records the images a lesson's text shows (`media:ID` in it, see
/// [`educenter_domain::content::image_refs`]): what a student who may open the lesson may
/// read, and what keeps the files from being deleted.
pub(crate) async fn set_lesson_images(
    conn: &mut Conn,
    tenant_id: &TenantId,
    lesson_id: &LessonId,
    body: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM lesson_images WHERE tenant_id = $1 AND lesson_id = $2")
        .bind(tenant_id.as_str())
        .bind(lesson_id.as_str())
        .execute(&mut *conn)
        .await?;
    for media_id in educenter_domain::content::image_refs(body) {
        sqlx::query(
            "INSERT INTO lesson_images (tenant_id, lesson_id, media_id) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(tenant_id.as_str())
        .bind(lesson_id.as_str())
        .bind(media_id.as_str())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
