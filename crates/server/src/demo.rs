//! `educenter demo`: fills a fresh data directory with a working school, so that the first
//! thing a newcomer sees is a school with a course and students. Everything goes through the
//! same services the web layer calls; the media are made here (a synthesized audio lesson, and
//! a short video where ffmpeg is installed); nothing is downloaded.

use educenter_domain::roles::AccountKind;
use std::path::Path;

use anyhow::{Context, bail};
use bytes::Bytes;
use educenter_domain::roles::OperatorRole;
use educenter_services::{
    Services,
    access::Principal,
    accounts::{self, SignupInput},
    billing::{self, catalog::PlanInput, catalog::PriceInput},
    content::{self, CourseInput, LessonInput},
    i18n::Lang,
    learning, media,
    sessions::{self, SessionKind},
    store::audit::Origin,
};

use crate::{Prepared, Settings, prepare};

/// The demo school's address on the site.
pub const SLUG: &str = educenter_services::site::DEMO_SLUG;
/// Every demo account's password.
pub const PASSWORD: &str = "Demo-School-2027!";

/// What `educenter demo` made, to print.
pub struct Made {
    pub lines: Vec<String>,
}

async fn principal(
    services: &Services,
    email: &str,
    tenant: Option<&str>,
) -> anyhow::Result<Principal> {
    let signed = educenter_services::signin::login(
        services,
        educenter_services::signin::Credentials {
            email: email.to_owned(),
            password: PASSWORD.to_owned(),
            tenant: tenant.map(str::to_owned),
            code: None,
            totp: None,
        },
        SessionKind::Api,
        Origin::default(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("signing in {email}: {e:?}"))?;
    let educenter_services::signin::SignIn::Session(issued, _) = signed else {
        anyhow::bail!("signing in {email}: several schools match, or a second step is needed");
    };
    sessions::authenticate(services, &issued.token)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .context("the demo session")
}

fn err(what: &str) -> impl FnOnce(educenter_services::ServiceError) -> anyhow::Error + '_ {
    move |e| anyhow::anyhow!("{what}: {e:?}")
}

/// A PNG of `width` × `height`: a diagonal blend of the brand's turquoise and gold with a
/// band of steppe-like hills, drawn here (nothing is downloaded).
pub fn picture_png(width: u32, height: u32) -> anyhow::Result<Vec<u8>> {
    let (a, b) = ([0x00u8, 0xaf, 0xca], [0xfeu8, 0xc5, 0x0c]);
    let mut pixels = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            let t = (x + y) as f64 / (width + height) as f64;
            let hill = height as f64 * (0.72 + 0.08 * (x as f64 / width as f64 * 9.0).sin());
            let mix = |i: usize| (a[i] as f64 * (1.0 - t) + b[i] as f64 * t) as u8;
            if (y as f64) > hill {
                pixels.extend([mix(0) / 2, mix(1) / 2, mix(2) / 2]);
            } else {
                pixels.extend([mix(0), mix(1), mix(2)]);
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&pixels)?;
    }
    Ok(out)
}

/// A WAV file (16-bit PCM, mono, 22 050 Hz) that plays a short melody: the demo's audio lesson.
pub fn melody_wav() -> Vec<u8> {
    const RATE: u32 = 22_050;
    // "Kara Zhorga"-like steps up and down a pentatonic scale, 0.4 s a note.
    let notes = [
        392.0, 440.0, 523.25, 587.33, 659.25, 587.33, 523.25, 440.0, 392.0, 440.0, 523.25, 392.0,
        329.63, 392.0, 440.0, 392.0,
    ];
    let per_note = (RATE as f64 * 0.4) as usize;
    let mut samples: Vec<i16> = Vec::with_capacity(per_note * notes.len());
    for (n, f) in notes.iter().enumerate() {
        for i in 0..per_note {
            let t = (n * per_note + i) as f64 / RATE as f64;
            // A soft attack and release on every note.
            let pos = i as f64 / per_note as f64;
            let envelope = (pos * 10.0).min(1.0) * ((1.0 - pos) * 5.0).min(1.0);
            let v = (2.0 * std::f64::consts::PI * f * t).sin() * 0.3 * envelope;
            samples.push((v * i16::MAX as f64) as i16);
        }
    }
    let data_len = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&RATE.to_le_bytes());
    out.extend_from_slice(&(RATE * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

/// A short WebM video made by ffmpeg, or `None` when ffmpeg is not installed.
fn ffmpeg_video(dir: &Path) -> Option<Vec<u8>> {
    let file = dir.join("demo-video.webm");
    let status = std::process::Command::new("ffmpeg")
        .args(["-loglevel", "error", "-f", "lavfi", "-i"])
        .arg("testsrc=duration=6:size=640x360:rate=25")
        .args(["-c:v", "libvpx", "-b:v", "400k", "-y"])
        .arg(&file)
        .status()
        .ok()?;
    let bytes = status
        .success()
        .then(|| std::fs::read(&file).ok())
        .flatten();
    let _ = std::fs::remove_file(&file);
    bytes
}

async fn upload(
    services: &Services,
    who: &Principal,
    name: &str,
    kind: &str,
    bytes: Vec<u8>,
) -> anyhow::Result<String> {
    let input = media::UploadInput {
        filename: name.to_owned(),
        length: Some(bytes.len() as u64),
        expect: Some(kind.to_owned()),
    };
    let body = futures::stream::iter([Ok::<_, std::io::Error>(Bytes::from(bytes))]);
    let m = media::upload(services, who, input, body, Origin::default())
        .await
        .map_err(err(name))?;
    Ok(m.id.into_string())
}

fn lesson(module: &str, title: &str, kind: &str) -> LessonInput {
    LessonInput {
        module_id: Some(module.to_owned()),
        title: Some(title.to_owned()),
        kind: Some(kind.to_owned()),
        ..LessonInput::default()
    }
}

/// The demo operator's login.
pub const ADMIN_EMAIL: &str = "admin@demo.educenter.kz";

/// Makes the demo school in the instance `settings` describe; refuses when it is already there.
pub async fn run(settings: &Settings) -> anyhow::Result<Made> {
    // The demo's super-admin is made at start, so no set-up link is offered.
    let mut settings = settings.clone();
    settings
        .admin_email
        .get_or_insert_with(|| ADMIN_EMAIL.to_owned());
    settings
        .admin_password
        .get_or_insert_with(|| PASSWORD.to_owned());
    // Only a fresh instance: a demo super-admin with a published password has no place in a
    // real one.
    {
        let db = crate::open_db(&settings.database_url).await?;
        let mut conn = db.conn().await?;
        let operators = educenter_store::accounts::operator_count(&mut conn).await?;
        let tenants = educenter_store::tenancy::count(&mut conn).await?;
        drop(conn);
        db.close().await;
        if tenants > 0 {
            bail!(
                "this data directory already has the demo school or other schools; give a fresh --data-dir"
            );
        }
        if operators > 0 {
            bail!("this database already has operator accounts; give a fresh --data-dir");
        }
    }
    let Prepared { db, services, .. } = prepare(&settings, |_| {}).await?;
    let mut lines = vec![
        format!(
            "The demo school is ready in {}.",
            settings.data_dir.display()
        ),
        String::new(),
        format!(
            "Start the server:        educenter serve --data-dir {}",
            settings.data_dir.display()
        ),
    ];
    lines.extend(seed(&services, &db, &settings.public_url).await?);
    db.close().await;
    Ok(Made { lines })
}

/// Fills a running instance with the demo school; returns what to tell the newcomer. `db` is
/// the database `s` works on (the teacher is written there with a password already set).
pub async fn seed(
    s: &Services,
    db: &educenter_store::Db,
    base: &str,
) -> anyhow::Result<Vec<String>> {
    {
        let mut conn = db.conn().await?;
        if educenter_store::tenancy::count(&mut conn).await? > 0 {
            bail!(
                "this data directory already has the demo school or other schools; give a fresh --data-dir"
            );
        }
    }
    let now = s.clock.now();
    let admin_email = ADMIN_EMAIL;
    match educenter_services::operator_staff::create_operator(
        db,
        now,
        admin_email,
        "Демо Оператор",
        OperatorRole::SuperAdmin,
        PASSWORD,
    )
    .await
    {
        // Made at start (`run`).
        Ok(_) | Err(educenter_services::ServiceError::Taken(..)) => {}
        Err(e) => return Err(err("the operator")(e)),
    }
    let admin = principal(s, admin_email, None).await?;
    let today = educenter_domain::clock::local_date(now).to_string();
    billing::catalog::create_plan(
        s,
        &admin,
        PlanInput {
            code: "start".into(),
            name_ru: "Старт".into(),
            name_kk: "Старт".into(),
            name_en: "Start".into(),
            limits: [100, 5, 10 * 1024 * 1024 * 1024, 20],
            prices: vec![
                PriceInput {
                    currency: "KZT".into(),
                    months: 1,
                    amount_minor: 3_000_000,
                    effective_from: today.clone(),
                },
                PriceInput {
                    currency: "KZT".into(),
                    months: 12,
                    amount_minor: 30_000_000,
                    effective_from: today,
                },
            ],
        },
        Origin::default(),
    )
    .await
    .map_err(err("the plan"))?;

    let owner_email = "owner@demo.educenter.kz";
    accounts::signup_licensee(
        s,
        SignupInput {
            organization_name: "Демо-школа «Білім»".into(),
            kind: "legal_entity".into(),
            bin_iin: "123456789013".into(),
            resident: true,
            owner_full_name: "Айгерим Сапарова".into(),
            owner_email: owner_email.into(),
            owner_phone: "+77011234567".into(),
            owner_password: PASSWORD.into(),
            slug: SLUG.into(),
            accept_offer: true,
            locale: Lang::Ru,
        },
        Origin::default(),
    )
    .await
    .map_err(err("the school"))?;
    let owner = principal(s, owner_email, Some(SLUG)).await?;
    let tenant = educenter_services::site::school(s, SLUG)
        .await
        .map_err(err("the school"))?;

    // A teacher, with the password set (as if the invitation had been accepted).
    let teacher_email = "teacher@demo.educenter.kz";
    {
        let hash = accounts::hash_password(PASSWORD.to_owned())
            .await
            .map_err(err("the teacher"))?;
        let mut conn = db.conn().await?;
        let id = educenter_store::accounts::create(
            &mut conn,
            &educenter_store::accounts::NewUser {
                tenant_id: Some(&tenant.id),
                kind: AccountKind::Staff,
                role: educenter_domain::roles::Role::School(
                    educenter_domain::roles::TenantRole::Teacher,
                ),
                email: teacher_email,
                full_name: "Асель Нурланова",
                phone: None,
                password_hash: Some(&hash),
                locale: "ru",
                created_at: now,
            },
        )
        .await?;
        educenter_store::accounts::mark_email_verified(&mut conn, &id, now).await?;
    }
    let teacher = principal(s, teacher_email, Some(SLUG)).await?;

    // The course: a text lesson, an audio lesson, and a video lesson where ffmpeg is installed.
    let course = content::create_course(
        s,
        &teacher,
        CourseInput {
            title: Some("Қазақ тілі: алғашқы қадамдар".into()),
            description: Some(
                "Казахский язык для начинающих: приветствия, алфавит и первые слова.".into(),
            ),
            ..CourseInput::default()
        },
        Origin::default(),
    )
    .await
    .map_err(err("the course"))?;
    let module = content::create_module(s, &teacher, &course.id, "Сәлем!", Origin::default())
        .await
        .map_err(err("the module"))?;
    let mut text = lesson(&module.id, "Приветствия", "text");
    text.body = Some(
        "# Сәлеметсіз бе!\n\nТак здороваются вежливо. С друзьями говорят **Сәлем!**\n\n\
         | Қазақша | По-русски |\n|---|---|\n| Сәлеметсіз бе | Здравствуйте |\n\
         | Рақмет | Спасибо |\n| Сау болыңыз | До свидания |\n"
            .into(),
    );
    let text = content::create_lesson(s, &teacher, &course.id, text, Origin::default())
        .await
        .map_err(err("the text lesson"))?;
    let audio_id = upload(s, &teacher, "әуен.wav", "audio", melody_wav()).await?;
    let mut audio = lesson(&module.id, "Послушайте мелодию", "audio");
    audio.media_id = Some(audio_id);
    let audio = content::create_lesson(s, &teacher, &course.id, audio, Origin::default())
        .await
        .map_err(err("the audio lesson"))?;
    let tmp = std::env::temp_dir();
    let video = match ffmpeg_video(&tmp) {
        Some(bytes) => {
            let id = upload(s, &teacher, "әріптер.webm", "video", bytes).await?;
            let mut v = lesson(&module.id, "Алфавит на экране", "video");
            v.media_id = Some(id);
            Some(
                content::create_lesson(s, &teacher, &course.id, v, Origin::default())
                    .await
                    .map_err(err("the video lesson"))?,
            )
        }
        None => None,
    };
    let cover = upload(s, &teacher, "мұқаба.png", "image", picture_png(960, 400)?).await?;
    content::update_course(
        s,
        &teacher,
        &course.id,
        CourseInput {
            status: Some("published".into()),
            self_enrol: Some(true),
            cover_id: Some(Some(cover)),
            ..CourseInput::default()
        },
        Origin::default(),
    )
    .await
    .map_err(err("publishing"))?;

    // The school's logo, set by its owner.
    let logo = upload(s, &owner, "логотип.png", "image", picture_png(128, 128)?).await?;
    content::set_logo(s, &owner, Some(&logo), Origin::default())
        .await
        .map_err(err("the logo"))?;

    // Two students: one finished the text lesson and half of the melody, one just enrolled.
    let students = [
        ("aliya@demo.educenter.kz", "Әлия Нұрланқызы"),
        ("daniyar@demo.educenter.kz", "Данияр Ахметов"),
    ];
    for (i, (email, name)) in students.iter().enumerate() {
        learning::signup(
            s,
            &tenant,
            learning::SignupInput {
                full_name: (*name).into(),
                email: (*email).into(),
                password: PASSWORD.into(),
                privacy: true,
                marketing: i == 0,
                lang: Lang::Ru,
            },
            Origin::default(),
        )
        .await
        .map_err(err(email))?;
        let who = principal(s, email, Some(SLUG)).await?;
        learning::enrol_self(s, &who, &course.id, Origin::default())
            .await
            .map_err(err(email))?;
        if i == 0 {
            let done = learning::ProgressInput {
                complete: true,
                ..Default::default()
            };
            learning::save_progress(s, &who, &text.id, done)
                .await
                .map_err(err("progress"))?;
            let half = learning::ProgressInput {
                position_ms: 3_200,
                duration_ms: Some(6_400),
                complete: false,
            };
            learning::save_progress(s, &who, &audio.id, half)
                .await
                .map_err(err("progress"))?;
        }
    }
    let _ = owner;
    let mut lines = vec![
        String::new(),
        format!("The school's site:       {base}/s/{SLUG}/"),
        format!("Sign in (staff):         {base}/login  (school address: {SLUG})"),
        format!("Back office:             {base}/login  (no school address)"),
        String::new(),
        format!("Every password:          {PASSWORD}"),
        format!("Owner:                   {owner_email}"),
        format!("Teacher:                 {teacher_email}"),
        format!(
            "Students:                {} (some progress), {}",
            students[0].0, students[1].0
        ),
        format!("Operator (super-admin):  {admin_email}"),
    ];
    if video.is_none() {
        lines.push(String::new());
        lines.push("ffmpeg is not installed, so the course has no video lesson.".into());
    }
    Ok(lines)
}
