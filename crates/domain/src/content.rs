//! The words of a school's content: where a course stands, what a lesson is, what a file is.

use crate::ids::MediaId;
use crate::named::named;

named! {
    /// Where a course stands (`courses.status`): only a published course is on the school's
    /// site.
    pub enum CourseStatus {
        Draft = "draft",
        Published = "published",
        Archived = "archived",
    }
}

named! {
    /// Where a lesson stands (`lessons.status`): a draft is the teachers' only; students see no
    /// trace of it (issue 19, item 1).
    pub enum LessonStatus {
        Draft = "draft",
        Published = "published",
    }
}

impl LessonStatus {
    pub fn is_published(self) -> bool {
        self == Self::Published
    }
}

named! {
    /// What goes to the trash and comes back from it: a whole course, a module or a lesson.
    pub enum TrashKind {
        Course = "course",
        Module = "module",
        Lesson = "lesson",
    }
}

named! {
    /// What a lesson is (`lessons.kind`).
    pub enum LessonKind {
        Text = "text",
        Video = "video",
        Audio = "audio",
        File = "file",
        Embed = "embed",
        /// Questions of the bank, answered and graded (issue 19, item 3).
        Quiz = "quiz",
        /// A task the student answers with text and files, reviewed by a teacher (issue 19,
        /// item 4).
        Assignment = "assignment",
    }
}

impl CourseStatus {
    pub fn is_published(self) -> bool {
        self == Self::Published
    }
}

impl LessonKind {
    /// A lesson complete when the student passes it (a quiz) or a teacher accepts their work
    /// (an assignment), never because the student says so.
    pub fn completed_by_grade(self) -> bool {
        matches!(self, Self::Quiz | Self::Assignment)
    }

    /// A lesson whose Markdown text is its content (a text lesson, or an assignment's task).
    pub fn has_text(self) -> bool {
        matches!(self, Self::Text | Self::Assignment)
    }

    /// A lesson that plays or offers a file of the school's media.
    pub fn has_media(self) -> bool {
        matches!(self, Self::Video | Self::Audio | Self::File)
    }

    /// Whether a lesson of this kind may play or offer a file of `media`: a video lesson a
    /// video, an audio lesson an audio, a file lesson any file.
    pub fn accepts(self, media: MediaKind) -> bool {
        match self {
            Self::Video => media == MediaKind::Video,
            Self::Audio => media == MediaKind::Audio,
            Self::File => true,
            Self::Text | Self::Embed | Self::Quiz | Self::Assignment => false,
        }
    }
}

named! {
    /// What an uploaded file is (`media.kind`).
    pub enum MediaKind {
        Video = "video",
        Audio = "audio",
        Image = "image",
        File = "file",
        Captions = "captions",
    }
}

/// How a lesson's text names an image of the school's files: `![words](media:ID)`.
pub const IMAGE_SCHEME: &str = "media:";

/// The id of an image source `media:ID` (an id being 36 characters of hex digits and
/// dashes); `None` for any other source.
pub fn image_source(src: &str) -> Option<MediaId> {
    let id = src.strip_prefix(IMAGE_SCHEME)?;
    (id.len() == 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
        .then(|| MediaId::new(id))
}

/// The ids of the school's files a text shows as images (`media:ID`, an id being 36
/// characters of hex digits and dashes), each once, in the order they first appear.
pub fn image_refs(text: &str) -> Vec<MediaId> {
    let mut out: Vec<MediaId> = Vec::new();
    for (at, _) in text.match_indices(IMAGE_SCHEME) {
        let rest = &text[at + IMAGE_SCHEME.len()..];
        let len = rest
            .find(|c: char| !(c.is_ascii_hexdigit() || c == '-'))
            .unwrap_or(rest.len());
        if len == 36 && !out.iter().any(|m| m.as_str() == &rest[..len]) {
            out.push(MediaId::new(&rest[..len]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_names_its_images_by_id() {
        let a = "0190f0a2-1b2c-7d3e-8f40-0123456789ab";
        let b = "0190f0a2-1b2c-7d3e-8f40-ba9876543210";
        let text = format!(
            "![a](media:{a}) and ![b](media:{b} \"title\") and <img src=\"media:{a}\"> \
             but not media:{} nor social media: x",
            &b[..20]
        );
        let ids: Vec<String> = image_refs(&text)
            .into_iter()
            .map(|m| m.to_string())
            .collect();
        assert_eq!(ids, [a, b]);
        assert_eq!(image_source(&format!("media:{a}")).unwrap().to_string(), a);
        assert!(image_source("media:../../api/v1/me").is_none());
        assert!(image_source(&format!("media:{a}x")).is_none());
    }

    #[test]
    fn a_lesson_takes_the_files_of_its_kind() {
        assert!(LessonKind::Video.accepts(MediaKind::Video));
        assert!(!LessonKind::Video.accepts(MediaKind::Audio));
        assert!(LessonKind::Audio.accepts(MediaKind::Audio));
        assert!(!LessonKind::Audio.accepts(MediaKind::Captions));
        assert!(LessonKind::File.accepts(MediaKind::Image));
        assert!(!LessonKind::Text.accepts(MediaKind::File));
        assert!(!LessonKind::Embed.accepts(MediaKind::Video));
        let with_media: Vec<_> = LessonKind::ALL.iter().filter(|k| k.has_media()).collect();
        assert_eq!(
            with_media,
            [&LessonKind::Video, &LessonKind::Audio, &LessonKind::File]
        );
    }
}
