//! A course's live modules and lessons as one shared value, cached per revision: the lesson page and the lessons API read it without a query when nothing changed.

use super::*;
use educenter_domain::ids::TenantId;

/// A course's lessons in reading order (staff).
pub async fn course_lessons(
    services: &Services,
    who: &Principal,
    course_id: &str,
) -> Result<Arc<CourseContent>, ServiceError> {
    let course_id = &CourseId::new(course_id);
    let s = reader(who)?;
    let mut conn = services.db.conn().await?;
    let course = live_course(&mut conn, &s, course_id).await?;
    course_content(services, Some(&mut conn), &course).await
}

/// [`course_lessons`] for whoever holds the session `secret`, read in one query with the session
/// while the course's content is cached; `None` when no session is live with it.
pub async fn visit_course_lessons(
    services: &Services,
    secret: &str,
    course_id: &str,
) -> Result<Option<(Principal, Result<Arc<CourseContent>, ServiceError>)>, ServiceError> {
    let course_id = &CourseId::new(course_id);
    let visit = crate::sessions::visit(services, secret, async |hash, now| {
        store::course_visit(&services.db, hash, now, course_id).await
    });
    let Some((who, _, course)) = visit.await? else {
        return Ok(None);
    };
    // As `course_lessons`: a live course, and a teacher's only when assigned to it.
    let content = async {
        let s = reader(&who)?;
        let (c, assigned) = course
            .filter(|(c, _)| c.deleted_at.is_none())
            .ok_or_else(|| not_found("err-no-course"))?;
        s.check_assigned(assigned)?;
        course_content(services, None, &c).await
    }
    .await;
    Ok(Some((who, content)))
}

/// A course's live modules and lessons (with their texts) in reading order, as of a revision.
#[derive(Debug)]
pub struct CourseContent {
    pub revision: i64,
    pub modules: Vec<Module>,
    pub lessons: Vec<Arc<Lesson>>,
    /// For each module (in the order of `modules`), the indexes in `lessons` of its lessons.
    by_module: Vec<Vec<usize>>,
    /// Each lesson's index in `lessons`, by its id.
    index: HashMap<LessonId, usize>,
    /// Each lesson's text as sanitized HTML, rendered on first use.
    html: Vec<std::sync::OnceLock<String>>,
    /// The lesson list as the API sends it, made on first use (see [`Self::lessons_json`]).
    json: std::sync::OnceLock<bytes::Bytes>,
    /// Roughly the bytes it holds.
    weight: u64,
}

impl CourseContent {
    fn new(revision: i64, modules: Vec<Module>, lessons: Vec<Arc<Lesson>>) -> Self {
        let index: HashMap<LessonId, usize> = lessons
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.clone(), i))
            .collect();
        let mut grouped: HashMap<&ModuleId, Vec<usize>> = HashMap::new();
        for (i, l) in lessons.iter().enumerate() {
            grouped.entry(&l.module_id).or_default().push(i);
        }
        let by_module = modules
            .iter()
            .map(|m| grouped.remove(&m.id).unwrap_or_default())
            .collect();
        // Texts count three times: as Markdown, as HTML and in the API's JSON.
        let weight = 256
            + modules
                .iter()
                .map(|m| 128 + m.title.len() as u64)
                .sum::<u64>()
            + lessons
                .iter()
                .map(|l| 384 + (2 * l.title.len() + 3 * l.body.len()) as u64)
                .sum::<u64>();
        Self {
            revision,
            html: lessons.iter().map(|_| std::sync::OnceLock::new()).collect(),
            modules,
            lessons,
            by_module,
            index,
            json: std::sync::OnceLock::new(),
            weight,
        }
    }

    /// The lessons of the module at `i` of `modules` in reading order, each with its index in
    /// `lessons`.
    pub fn module_lessons(&self, i: usize) -> impl Iterator<Item = (usize, &Arc<Lesson>)> {
        self.by_module
            .get(i)
            .into_iter()
            .flatten()
            .map(|&l| (l, &self.lessons[l]))
    }

    /// How many lessons the module at `i` of `modules` has.
    pub fn module_len(&self, i: usize) -> usize {
        self.by_module.get(i).map_or(0, Vec::len)
    }

    /// The index in `lessons` of a live lesson.
    pub fn position(&self, lesson_id: &str) -> Option<usize> {
        self.index.get(lesson_id).copied()
    }

    /// A lesson's Markdown as sanitized HTML (see [`render_markdown`]), rendered once per
    /// revision of the course.
    pub fn html(&self, lesson_id: &str) -> Option<&str> {
        let i = self.position(lesson_id)?;
        Some(self.html[i].get_or_init(|| render_markdown(&self.lessons[i].body)))
    }

    /// A page of the lessons in reading order (module position, lesson position, id). The
    /// content is held whole per revision for the course's pages, so a page is a search in
    /// it rather than another query.
    pub fn lessons_page(&self, req: &PageRequest) -> Result<Page<Arc<Lesson>>, ServiceError> {
        let module_position: HashMap<&ModuleId, i64> =
            self.modules.iter().map(|m| (&m.id, m.position)).collect();
        let key = |l: &Arc<Lesson>| {
            let m = module_position.get(&l.module_id).copied();
            vec![
                m.unwrap_or(i64::MAX).into(),
                l.position.into(),
                (&l.id).into(),
            ]
        };
        Ok(store::LESSON_PAGES.slice(&self.lessons, req, key)?)
    }

    /// The API's answer for a page of the lessons: `encode` turns the page into the body. The
    /// first page of the default size is encoded once per revision and every later call gets
    /// the same bytes (the list is the same for everyone who may read it); other pages are
    /// encoded per request.
    pub fn lessons_json(
        &self,
        req: &PageRequest,
        encode: impl FnOnce(Page<Arc<Lesson>>) -> bytes::Bytes,
    ) -> Result<bytes::Bytes, ServiceError> {
        if *req == PageRequest::default() {
            if let Some(body) = self.json.get() {
                return Ok(body.clone());
            }
            let body = encode(self.lessons_page(req)?);
            return Ok(self.json.get_or_init(|| body).clone());
        }
        Ok(encode(self.lessons_page(req)?))
    }
}

#[derive(Clone)]
pub(crate) struct ContentWeight;

/// Courses' contents kept between requests, by (tenant, course). An entry is used only while
/// the course row read in the same request has its revision, which every change of a module or
/// lesson raises in the database: each of several instances serves what the database holds.
pub struct ContentCache(
    quick_cache::sync::Cache<(TenantId, CourseId), Arc<CourseContent>, ContentWeight>,
);

impl ContentCache {
    /// A cache holding about `max_bytes` of course content.
    pub fn new(max_bytes: u64) -> Self {
        Self(quick_cache::sync::Cache::with_weighter(
            1024,
            max_bytes,
            ContentWeight,
        ))
    }
}

/// The content of a course whose row was just read: from the cache when it has this revision,
/// else read (two queries, on `conn` or on a connection of its own) and kept.
pub(crate) async fn course_content(
    services: &Services,
    conn: Option<&mut Conn>,
    course: &Course,
) -> Result<Arc<CourseContent>, ServiceError> {
    let key = (course.tenant_id.clone(), course.id.clone());
    if let Some(c) = services.content.0.get(&key)
        && c.revision == course.revision
    {
        return Ok(c);
    }
    let mut own;
    let conn = match conn {
        Some(c) => c,
        None => {
            own = services.db.conn().await?;
            &mut *own
        }
    };
    let modules = store::modules(conn, &course.tenant_id, &course.id).await?;
    let lessons: Vec<Arc<Lesson>> = store::course_lessons(conn, &course.tenant_id, &course.id)
        .await?
        .into_iter()
        .map(Arc::new)
        .collect();
    let content = Arc::new(CourseContent::new(course.revision, modules, lessons));
    services.content.0.insert(key, content.clone());
    Ok(content)
}

impl quick_cache::Weighter<(TenantId, CourseId), Arc<CourseContent>> for ContentWeight {
    fn weight(&self, _key: &(TenantId, CourseId), value: &Arc<CourseContent>) -> u64 {
        value.weight.max(1)
    }
}
