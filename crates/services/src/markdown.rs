//! A lesson's Markdown as HTML safe to put in a page. Raw HTML in the Markdown is passed through
//! an allow-list sanitizer (ammonia): scripts, styles, event handlers and `javascript:` links
//! go, links get `rel="noopener noreferrer"`, and images show only the school's own files
//! (`![words](media:ID)`, signed for each reader by [`signed_images`]).
//!
//! Some elements make an HTML parser read everything after their opening tag as their own text
//! until their closing tag: `<script>`, `<style>`, `<textarea>`, `<title>`, `<xmp>`,
//! `<iframe>`, `<noscript>`, `<noembed>`, `<noframes>`, `<plaintext>` (which has no closing
//! tag at all), `<template>` (whose content is kept apart, never shown), and an HTML comment. Left unclosed in a lesson, one of them swallowed the rest
//! of the lesson (issue 15, item 16): the sanitizer dropped it together with everything after.
//! Such an opening tag without its closing tag is taken out of the Markdown before it is
//! rendered, so the rest shows as the author wrote it; a closed one is left to the sanitizer
//! (a `<style>…</style>` block disappears with its content, as before).

use std::ops::Range;

use educenter_domain::content::{IMAGE_SCHEME, image_source};
use educenter_domain::ids::MediaId;
use educenter_domain::questions::{RichText, TextFormat};
use pulldown_cmark::{Event, Options, Parser, TagEnd, html};

/// The elements whose content an HTML parser reads as raw text up to their closing tag.
const SWALLOWING: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noscript",
    "noembed",
    "noframes",
    "plaintext",
    "template",
];

/// How many times the Markdown is cleaned and parsed again (taking a tag out can make another:
/// `<sty<style>le>`); past that, raw HTML is shown as text.
const MAX_PASSES: usize = 8;

fn options() -> Options {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    options
}

/// The words of a Markdown text without its markup, on one line and cut at a word to at most
/// `max` characters with "…" (a page's description for search engines and link previews).
pub fn plain_text(markdown: &str, max: usize) -> String {
    let mut words = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => words.push_str(&t),
            Event::SoftBreak | Event::HardBreak => words.push(' '),
            // The end of a block (a paragraph, a heading, an item) parts words; of an inline
            // element (emphasis, a link) not.
            Event::End(end)
                if !matches!(
                    end,
                    TagEnd::Emphasis
                        | TagEnd::Strong
                        | TagEnd::Strikethrough
                        | TagEnd::Link
                        | TagEnd::Image
                ) =>
            {
                words.push(' ')
            }
            _ => {}
        }
    }
    let text = words.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let keep = max.saturating_sub(1);
    let mut cut: String = text.chars().take(keep).collect();
    // Cut inside a word: drop the part of it.
    if text.chars().nth(keep).is_some_and(|c| c != ' ')
        && let Some(space) = cut.rfind(' ')
    {
        cut.truncate(space);
    }
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':', ' ']))
}

/// A text lesson's Markdown as HTML safe to put in a page (see the module's documentation).
pub fn render_markdown(markdown: &str) -> String {
    let mut source = markdown.to_owned();
    for _ in 0..MAX_PASSES {
        let cuts = unclosed_openers(&source);
        if cuts.is_empty() {
            return to_html(&source, false);
        }
        // Back to front, so the earlier ranges stay where they are.
        for cut in cuts.into_iter().rev() {
            source.replace_range(cut, "");
        }
    }
    to_html(&source, true)
}

/// A question's text (a choice's, a feedback) as HTML safe to put in a page: HTML through the
/// sanitizer, Markdown rendered as a lesson's, Moodle's auto-format and plain text as
/// paragraphs with their line breaks.
pub fn render_rich(text: &RichText) -> String {
    match text.format {
        TextFormat::Html => sanitizer().clean(&text.text).to_string(),
        TextFormat::Markdown => render_markdown(&text.text),
        TextFormat::Moodle | TextFormat::Plain => {
            let text = text.text.replace("\r\n", "\n");
            text.split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| format!("<p>{}</p>", lines(p)))
                .collect()
        }
    }
}

/// A short text (a choice, a matching item, an answer) as HTML to put inside a line: plain
/// text and Moodle's auto-format escaped with their line breaks, HTML and Markdown as
/// [`render_rich`] makes them.
pub fn render_inline(text: &RichText) -> String {
    match text.format {
        TextFormat::Moodle | TextFormat::Plain => lines(text.text.trim()),
        _ => render_rich(text),
    }
}

/// Plain text escaped, its lines kept as `<br>`.
fn lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push_str("<br>");
        }
        // Writing to a String cannot fail.
        let _ = pulldown_cmark_escape::escape_html(&mut out, line);
    }
    out
}

fn to_html(markdown: &str, raw_html_as_text: bool) -> String {
    let parser = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Html(t) | Event::InlineHtml(t) if raw_html_as_text => Event::Text(t),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    sanitizer().clean(&out).to_string()
}

/// Ammonia's allow-list, with one change: an image shows only a file of the school
/// (`media:ID`, signed for the reader by [`signed_images`]); any other image's source (another
/// site's, `data:`) is dropped, so a lesson never makes its readers' browsers call elsewhere.
fn sanitizer() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_url_schemes(["media"]);
    b.attribute_filter(|element, attribute, value| {
        if element == "img" && attribute == "src" && image_source(value).is_none() {
            None
        } else {
            Some(value.into())
        }
    });
    b
}

/// A lesson's HTML (from [`render_markdown`]) with each image of the school (`src="media:ID"`
/// of an `<img>`) given the link `sign` makes for it; an image `sign` gives none keeps no
/// source.
pub fn signed_images(html: &str, mut sign: impl FnMut(&MediaId) -> Option<String>) -> String {
    let needle = format!("src=\"{IMAGE_SCHEME}");
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        out.push_str(&rest[..at]);
        let start = at + needle.len();
        let end = rest[start..].find('"').map_or(rest.len(), |e| start + e);
        let after = (end + 1).min(rest.len());
        // Inside an `<img ...>` tag: text has its `<` escaped, so the last `<` opens the tag.
        let in_img = out
            .rfind('<')
            .is_some_and(|lt| out[lt..].starts_with("<img ") && !out[lt..].contains('>'));
        if in_img {
            out.push_str("src=\"");
            let src = &rest[at + needle.len() - IMAGE_SCHEME.len()..end];
            if let Some(url) = image_source(src).and_then(|id| sign(&id)) {
                out.push_str(&url.replace('&', "&amp;"));
            }
            out.push('"');
        } else {
            out.push_str(&rest[at..after]);
        }
        rest = &rest[after..];
    }
    out.push_str(rest);
    out
}

/// A tag (or a comment's opening) found in the raw HTML of the Markdown.
struct Tag {
    /// The element's name in lower case; `!--` for a comment.
    name: String,
    closing: bool,
    /// Where it is in the Markdown: `<` up to its `>` (or up to its name when the tag has no
    /// `>` in the same piece of raw HTML).
    at: Range<usize>,
}

/// The byte ranges of the swallowing opening tags that no closing tag follows, in order.
fn unclosed_openers(markdown: &str) -> Vec<Range<usize>> {
    let mut tags = Vec::new();
    let mut comment_ends = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        if matches!(event, Event::Html(_) | Event::InlineHtml(_)) {
            scan(markdown, range.clone(), &mut tags);
            let raw = &markdown[range.clone()];
            comment_ends.extend(raw.match_indices("-->").map(|(i, _)| range.start + i));
        }
    }
    let mut cuts: Vec<Range<usize>> = Vec::new();
    for (i, tag) in tags.iter().enumerate() {
        if tag.closing {
            continue;
        }
        let closed = if tag.name == "!--" {
            comment_ends.iter().any(|&end| end >= tag.at.end)
        } else {
            tag.name != "plaintext"
                && tags[i + 1..]
                    .iter()
                    .any(|t| t.closing && t.name == tag.name)
        };
        if !closed && cuts.last().is_none_or(|c| c.end <= tag.at.start) {
            cuts.push(tag.at.clone());
        }
    }
    cuts
}

/// The swallowing tags and comment openings in one piece of raw HTML.
fn scan(markdown: &str, range: Range<usize>, tags: &mut Vec<Tag>) {
    let raw = &markdown[range.clone()];
    let lower = raw.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find('<').map(|i| i + from) {
        from = i + 1;
        let rest = &lower[i + 1..];
        if rest.starts_with("!--") {
            tags.push(Tag {
                name: "!--".into(),
                closing: false,
                at: range.start + i..range.start + i + 4,
            });
            continue;
        }
        let (closing, rest) = match rest.strip_prefix('/') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        // A tag name ends at whitespace, `/` or `>` (or the end): `<styles>` is another element.
        let ends_right = rest[name_len..]
            .chars()
            .next()
            .is_none_or(|c| c.is_ascii_whitespace() || c == '/' || c == '>');
        if !ends_right || !SWALLOWING.contains(&name) {
            continue;
        }
        let name_end = i + 1 + usize::from(closing) + name_len;
        let end = lower[name_end..]
            .find('>')
            .map_or(name_end, |j| name_end + j + 1);
        tags.push(Tag {
            name: name.to_owned(),
            closing,
            at: range.start + i..range.start + end,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::{render_inline, render_markdown, render_rich, signed_images};
    use educenter_domain::questions::{RichText, TextFormat};

    #[test]
    fn question_texts_become_safe_html_in_each_format() {
        let plain = RichText::new(
            "2 < 3 & <b>\r\nnext line\n\nnew paragraph",
            TextFormat::Moodle,
        );
        assert_eq!(
            render_rich(&plain),
            "<p>2 &lt; 3 &amp; &lt;b&gt;<br>next line</p><p>new paragraph</p>"
        );
        let html = RichText::new(
            "<p onclick=\"x()\">Hi <script>bad()</script><b>there</b></p>",
            TextFormat::Html,
        );
        assert_eq!(render_rich(&html), "<p>Hi <b>there</b></p>");
        assert_eq!(
            render_inline(&RichText::new("a <i>\nb", TextFormat::Plain)),
            "a &lt;i&gt;<br>b"
        );
        let md = RichText::new("**bold**", TextFormat::Markdown);
        assert_eq!(render_rich(&md), "<p><strong>bold</strong></p>\n");
    }

    #[test]
    fn images_show_only_the_schools_files_signed_for_the_reader() {
        let id = "0190f0a2-1b2c-7d3e-8f40-0123456789ab";
        let html = render_markdown(&format!(
            "![Схема](media:{id})\n\n![remote](https://evil.example/x.png) \
             <img alt=\"a\" src=\"media:{id}\"> <img src=\"data:image/png;base64,AAAA\">\n\n\
             `src=\"media:{id}\"` as text"
        ));
        assert!(!html.contains("evil.example"), "{html}");
        assert!(!html.contains("data:image"), "{html}");
        let signed = signed_images(&html, |m| Some(format!("/media/{m}?u=1&s=2")));
        assert_eq!(
            signed
                .matches(&format!("src=\"/media/{id}?u=1&amp;s=2\""))
                .count(),
            2,
            "{signed}"
        );
        // Text that looks like a source stays text.
        assert!(
            signed.contains(&format!("src=&quot;media:{id}&quot;"))
                || signed.contains(&format!("src=\"media:{id}\"</code>")),
            "{signed}"
        );
        let odd = render_markdown("![x](media:../../api/v1/me)");
        assert!(!odd.contains("media:"), "{odd}");
        let unsigned = signed_images(&html, |_| None);
        assert!(
            unsigned.contains("<img src=\"\" alt=\"Схема\">"),
            "{unsigned}"
        );
    }

    #[test]
    fn markdown_becomes_html_without_scripts() {
        let html = render_markdown(
            "# Урок 1\n\n**Жирный** и [ссылка](https://example.kz).\n\n<script>alert(1)</script>\n\n\
             <img src=x onerror=alert(2)>\n\n[плохо](javascript:alert(3))",
        );
        assert!(html.contains("<h1>Урок 1</h1>"), "{html}");
        assert!(html.contains("<strong>Жирный</strong>"), "{html}");
        assert!(html.contains("href=\"https://example.kz\""), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn an_unclosed_swallowing_tag_leaves_the_rest_of_the_lesson() {
        for tag in [
            "style",
            "script",
            "textarea",
            "title",
            "xmp",
            "iframe",
            "noscript",
            "noembed",
            "noframes",
            "plaintext",
            "STYLE",
            "style media=\"all\"",
            "select",
            "svg",
            "math",
            "template",
            "object",
            "frameset",
            "head",
            "html",
            "body",
            "form",
            "table",
            "listing",
            "dialog",
            "details",
            "option",
            "frame",
            "image",
            "embed",
            "applet",
            "marquee",
            "a href=\"https://example.kz\"",
        ] {
            for markdown in [
                format!("Начало.\n\n<{tag}>\n\n## Дальше\n\nОстаток **урока**."),
                format!("Начало <{tag}> в строке.\n\n## Дальше\n\nОстаток **урока**."),
                format!("> <{tag}>\n\n## Дальше\n\nОстаток **урока**."),
                format!("<{tag}>Начало.\n\n## Дальше\n\nОстаток **урока**."),
            ] {
                let html = render_markdown(&markdown);
                assert!(
                    html.contains("Остаток <strong>урока</strong>."),
                    "{markdown:?} gave {html}"
                );
                assert!(html.contains("<h2>Дальше</h2>"), "{markdown:?} gave {html}");
                assert!(!html.to_lowercase().contains("<style"), "{html}");
            }
        }
    }

    #[test]
    fn an_unclosed_comment_leaves_the_rest_of_the_lesson() {
        let html = render_markdown("Начало.\n\n<!-- заметка\n\nОстаток **урока**.");
        assert!(html.contains("Остаток <strong>урока</strong>."), "{html}");
        // A closed one is dropped as before.
        let html = render_markdown("Начало.\n\n<!-- заметка -->\n\nОстаток **урока**.");
        assert!(!html.contains("заметка"), "{html}");
        assert!(html.contains("Остаток <strong>урока</strong>."), "{html}");
    }

    #[test]
    fn closed_elements_are_left_to_the_sanitizer() {
        let html = render_markdown(
            "Начало.\n\n<style>\nbody { display: none }\n</style>\n\nОстаток **урока**.",
        );
        assert!(!html.contains("display"), "{html}");
        assert!(html.contains("Остаток <strong>урока</strong>."), "{html}");
        // A closing tag first and an opening one after: the opening one is unclosed.
        let html = render_markdown("</style>\n\nТекст.\n\n<style>\n\nОстаток **урока**.");
        assert!(html.contains("Остаток <strong>урока</strong>."), "{html}");
        // In code the tags are text, shown as written.
        let html = render_markdown("Пишите `<style>` в коде.\n\n```\n<script>\n```\n\nОстаток.");
        assert!(html.contains("&lt;style&gt;"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("Остаток."), "{html}");
    }

    #[test]
    fn a_tag_made_by_taking_one_out_is_taken_out_too() {
        let html = render_markdown("<sty<style>le>\n\nОстаток **урока**.");
        assert!(html.contains("Остаток <strong>урока</strong>."), "{html}");
    }

    #[test]
    fn plain_text_drops_the_markup_and_cuts_at_a_word() {
        let md = "# Алгебра\n\n**Уравнения** и `x + 1`, [ссылка](https://e.kz).\n\n- раз\n- два";
        assert_eq!(
            super::plain_text(md, 200),
            "Алгебра Уравнения и x + 1, ссылка. раз два"
        );
        assert_eq!(super::plain_text(md, 20), "Алгебра Уравнения и…");
        assert_eq!(super::plain_text("", 10), "");
    }
}
