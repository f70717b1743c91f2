//! The trash: deleting a course, module or lesson keeps it restorable for TRASH_DAYS, and a daily job deletes what stayed longer.

use super::*;

pub(crate) fn restorable(deleted_at: Option<Timestamp>, now: Timestamp) -> bool {
    deleted_at.is_some_and(|d| now.duration_since(d) < SignedDuration::from_hours(24 * TRASH_DAYS))
}

/// Restores a course, module or lesson deleted less than 30 days ago (`kind` names which). A
/// course comes back within the plan's course limit; a module or lesson needs its course (and
/// module) outside the trash.
pub async fn restore(
    services: &Services,
    who: &Principal,
    kind: &str,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    let s = editor(who)?;
    let kind = TrashKind::parse(kind)
        .ok_or_else(|| crate::invalid("kind", Msg::one_of_words::<TrashKind>()))?;
    let tenant = s.tenant().clone();
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    match kind {
        TrashKind::Course => {
            let id = CourseId::new(id);
            let mut c = store::course(&mut tx, &tenant, &id)
                .await?
                .filter(|c| restorable(c.deleted_at, now))
                .ok_or_else(|| not_found("err-no-trash-item"))?;
            s.check(&mut tx, &id).await?;
            check_limit(&mut tx, &tenant, Metric::Courses, 1, now).await?;
            c.deleted_at = None;
            c.updated_at = now;
            store::update_course(&mut tx, &c).await?;
        }
        TrashKind::Module => {
            let mut m = store::module(&mut tx, &tenant, &ModuleId::new(id))
                .await?
                .filter(|m| restorable(m.deleted_at, now))
                .ok_or_else(|| not_found("err-no-trash-item"))?;
            live_course(&mut tx, &s, &m.course_id).await?;
            m.deleted_at = None;
            store::update_module(&mut tx, &m).await?;
        }
        TrashKind::Lesson => {
            let mut l = store::lesson(&mut tx, &tenant, &LessonId::new(id))
                .await?
                .filter(|l| restorable(l.deleted_at, now))
                .ok_or_else(|| not_found("err-no-trash-item"))?;
            live_module(&mut tx, &s, &l.module_id).await?;
            l.deleted_at = None;
            l.updated_at = now;
            store::update_lesson(&mut tx, &l).await?;
        }
    }
    audit_entry(
        &mut tx,
        &who.writing(now, origin),
        &tenant,
        &format!("{kind}.restore"),
        (kind.as_str(), id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What the school deleted in the last 30 days, newest first.
pub async fn trash(services: &Services, who: &Principal) -> Result<Vec<Trashed>, ServiceError> {
    let s = reader(who)?;
    let tenant = s.tenant().clone();
    let since = services.clock.now() - SignedDuration::from_hours(24 * TRASH_DAYS);
    let mut conn = services.db.conn().await?;
    let mut all = store::trash(&mut conn, &tenant, since).await?;
    if let Some(mine) = s.courses(&mut conn).await? {
        all.retain(|t| mine.contains(&t.course_id));
    }
    Ok(all)
}

/// A page of [`trash`], newest first.
pub async fn trash_page(
    services: &Services,
    who: &Principal,
    req: &PageRequest,
) -> Result<Page<Trashed>, ServiceError> {
    let s = reader(who)?;
    let since = services.clock.now() - SignedDuration::from_hours(24 * TRASH_DAYS);
    let mut conn = services.db.conn().await?;
    Ok(store::trash_page(&mut conn, s.tenant(), since, s.teacher(), req).await?)
}

/// Registers the daily purge of the trash.
pub fn register(registry: &mut JobRegistry) {
    if let Ok(at) = Schedule::daily_at(4, 0) {
        registry.every::<PurgeTrash>(at);
    }
}

/// At 04:00 every day: deletes for good what has stayed in the trash for [`TRASH_DAYS`], in
/// every school (by the clock, not the slot: a run after missed days catches up). Running
/// twice deletes nothing more.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct PurgeTrash {}

impl crate::jobs::Job for PurgeTrash {
    const KIND: &'static str = "content.purge_trash";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let db = &ctx.services.db;
        let before = ctx.services.clock.now() - SignedDuration::from_hours(24 * TRASH_DAYS);
        let mut tx = db.begin().await?;
        let p = store::purge_trash(&mut tx, before).await?;
        tx.commit().await?;
        tracing::info!(
            courses = p.courses,
            modules = p.modules,
            lessons = p.lessons,
            "purged the trash"
        );
        Ok(())
    }
}

/// Moves a course, module or lesson (`kind`) to the trash; what it contains goes with it and
/// comes back with it.
pub async fn delete(
    services: &Services,
    who: &Principal,
    kind: TrashKind,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    let s = editor(who)?;
    let tenant = s.tenant().clone();
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    match kind {
        TrashKind::Course => {
            let mut c = live_course(&mut tx, &s, &CourseId::new(id)).await?;
            c.deleted_at = Some(now);
            store::update_course(&mut tx, &c).await?;
        }
        TrashKind::Module => {
            let mut m = live_module(&mut tx, &s, &ModuleId::new(id)).await?;
            m.deleted_at = Some(now);
            store::update_module(&mut tx, &m).await?;
        }
        TrashKind::Lesson => {
            let mut l = live_lesson(&mut tx, &s, &LessonId::new(id)).await?;
            l.deleted_at = Some(now);
            store::update_lesson(&mut tx, &l).await?;
        }
    }
    let action = format!("{kind}.delete");
    audit_entry(
        &mut tx,
        &who.writing(now, origin),
        &tenant,
        &action,
        (kind.as_str(), id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
