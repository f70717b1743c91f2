//! Images of the school's content: course covers and the school's logo, checked to be web images, and served publicly.

use super::*;
use educenter_domain::ids::TenantId;

/// Images every browser shows in an `<img>` (and the media server serves inline).
pub(crate) const WEB_IMAGES: [&str; 5] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/avif",
];

pub(crate) fn shows_inline(m: &educenter_store::media::Media) -> bool {
    m.kind == MediaKind::Image && WEB_IMAGES.contains(&m.content_type.as_str())
}

/// A cover or a logo must be an image the school uploaded, of a type browsers show.
pub(crate) async fn check_image(
    conn: &mut Conn,
    who: &Principal,
    tenant: &TenantId,
    id: &MediaId,
    field: &str,
) -> Result<(), ServiceError> {
    let ok = educenter_store::media::get(conn, tenant, id)
        .await?
        .is_some_and(|m| m.deleted_at.is_none() && shows_inline(&m))
        && crate::media::check_usable(conn, who, tenant, id)
            .await
            .is_ok();
    if ok {
        Ok(())
    } else {
        Err(ServiceError::Invalid(vec![(
            field.into(),
            Msg::new("err-image"),
        )]))
    }
}

/// Sets (or with `None` removes) the school's logo, an image of its files. Not a teacher's.
pub async fn set_logo(
    services: &Services,
    who: &Principal,
    media_id: Option<&str>,
    origin: Origin,
) -> Result<(), ServiceError> {
    let media_id = media_id.map(MediaId::new);
    let s = editor(who)?;
    if s.teacher().is_some() {
        return Err(ServiceError::Forbidden(Msg::new("err-teacher-logo")));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if let Some(id) = &media_id {
        check_image(&mut tx, who, s.tenant(), id, "logo_id").await?;
    }
    educenter_store::tenancy::set_logo(&mut tx, s.tenant(), media_id.as_ref()).await?;
    audit_entry(
        &mut tx,
        &who.writing(now, origin),
        s.tenant(),
        "school.logo",
        ("tenant", s.tenant()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An image a school shows anyone on its site: its logo (`course_id` `None`), or the cover of a
/// published course.
pub async fn public_image(
    services: &Services,
    slug: &str,
    course_id: Option<&str>,
) -> Result<educenter_store::media::Media, ServiceError> {
    let t = crate::site::school(services, slug).await?;
    let mut conn = services.db.conn().await?;
    let id = match course_id {
        None => t.logo_id,
        // The school the site's address names.
        Some(c) => store::course(&mut conn, &t.id, &CourseId::new(c))
            .await?
            .filter(|c| c.deleted_at.is_none() && c.status.is_published())
            .and_then(|c| c.cover_id),
    };
    let id = id.ok_or_else(|| not_found("err-no-image"))?;
    educenter_store::media::get(&mut conn, &t.id, &id)
        .await?
        .filter(|m| m.deleted_at.is_none() && shows_inline(m))
        .ok_or_else(|| not_found("err-no-image"))
}
