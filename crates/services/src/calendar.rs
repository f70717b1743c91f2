//! The business-day calendar as the operator edits it.

use educenter_domain::roles::OperatorRole;
use educenter_domain::{
    calendar::{CalendarError, YearCalendar},
    roles::OperatorAction,
};
use educenter_store::{
    audit::{self, Actor, Entry, Origin},
    calendar,
};
use jiff::civil::Date;

use crate::Msg;
use crate::access::require_operator;
use crate::{ServiceError, Services, access::Principal};

/// One stored year of the calendar, for operator staff.
pub async fn get_year(
    services: &Services,
    who: &Principal,
    year: i16,
) -> Result<YearCalendar, ServiceError> {
    require_operator(who, OperatorAction::ManagePlatform)?;
    calendar::load(&services.db)
        .await?
        .year(year)
        .cloned()
        .ok_or_else(|| {
            ServiceError::NotFound(Msg::new("err-no-calendar").num("year", i64::from(year)))
        })
}

/// Replaces a year (super-admin only): weekday days off and working weekend days.
pub async fn put_year(
    services: &Services,
    who: &Principal,
    year: i16,
    non_working_days: Vec<Date>,
    working_days: Vec<Date>,
    origin: Origin,
) -> Result<YearCalendar, ServiceError> {
    require_operator(who, OperatorAction::ManagePlatform)?;
    if !(2000..=2100).contains(&year) {
        return Err(ServiceError::Invalid(vec![(
            "year".into(),
            Msg::new("err-year-range"),
        )]));
    }
    let y = YearCalendar::new(year, non_working_days, working_days).map_err(|errors| {
        ServiceError::Invalid(
            errors
                .into_iter()
                .map(|e| {
                    let field = match e {
                        CalendarError::WeekdayWorking(_) => "working_days",
                        CalendarError::WrongYear(_, _) | CalendarError::WeekendDayOff(_) => {
                            "non_working_days"
                        }
                    };
                    (field.to_owned(), Msg::from(e))
                })
                .collect(),
        )
    })?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    calendar::put_year(&mut tx, &y, "operator", now).await?;
    let entry = who
        .audit("calendar.update")
        .target("calendar_year", year.to_string())
        .origin(origin)
        .details(serde_json::json!({
            "non_working_days": y.non_working_days,
            "working_days": y.working_days,
        }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(y)
}

/// Notes a calculation from `from` to `to` done with `cal`: each year on the way with no
/// loaded calendar is recorded, and the first time a year is missing the super-admins are
/// e-mailed (the back office also shows it until the year is loaded). Call it in the
/// transaction of the change that used the result.
pub async fn note_gaps(
    conn: &mut educenter_store::Conn,
    cal: &educenter_domain::calendar::BusinessCalendar,
    from: Date,
    to: Date,
    now: jiff::Timestamp,
) -> Result<(), ServiceError> {
    for year in cal.missing_years(from, to) {
        if !calendar::claim_gap(conn, year, now).await? {
            continue;
        }
        tracing::warn!(
            year,
            "a calculation reached a year with no business calendar"
        );
        let i18n = crate::i18n::catalogs();
        let mut args = fluent_bundle::FluentArgs::new();
        args.set("year", year.to_string());
        for to in
            educenter_store::billing::operator_emails(conn, &[OperatorRole::SuperAdmin]).await?
        {
            let mail = educenter_store::outbox::NewMail {
                to,
                subject: i18n.t_args(crate::i18n::Lang::Ru, "mail-calendar-gap-subject", &args),
                text: i18n.t_args(crate::i18n::Lang::Ru, "mail-calendar-gap-body", &args),
                html: None,
                class: educenter_store::outbox::MailClass::Transactional,
            };
            educenter_store::outbox::queue(conn, &mail, now).await?;
        }
        let entry =
            Entry::new(Actor::System, "calendar.gap").details(serde_json::json!({ "year": year }));
        audit::record(conn, &entry, now).await?;
    }
    Ok(())
}

/// Years a calculation reached that still have no loaded calendar (the back office's banner).
pub async fn open_gaps(services: &Services, who: &Principal) -> Result<Vec<i16>, ServiceError> {
    require_operator(who, OperatorAction::ViewTenants)?;
    let mut conn = services.db.conn().await?;
    Ok(calendar::open_gaps(&mut conn).await?)
}

/// The day `days` business days after `from`, by the calendar as loaded now.
pub async fn business_days_after(
    services: &Services,
    from: Date,
    days: u32,
) -> Result<Date, ServiceError> {
    let cal = calendar::load(&services.db).await?;
    Ok(cal.add_business_days(from, days).date)
}
