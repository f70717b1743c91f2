//! The words of a school's content: where a course stands, what a lesson is, what a file is.

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

#[cfg(test)]
mod tests {
    use super::*;

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
