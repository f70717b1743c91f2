//! Form fields for the page templates, and service errors put beside the field they concern,
//! in the visitor's language.

use std::collections::BTreeMap;

use educenter_services::Msg;

use super::Layout;

/// One input of a form, as `_field.html` renders it.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    /// `text`, `email`, `tel`, `password`, `date`, `select`, `checkbox` or `textarea`.
    pub kind: &'static str,
    pub value: String,
    pub error: Option<String>,
    pub hint: Option<String>,
    pub autocomplete: &'static str,
    pub required: bool,
    /// (value, label) of a select.
    pub options: Vec<(String, String)>,
    /// The id of a `<datalist>` of suggestions for a text input.
    pub list: Option<&'static str>,
}

impl Field {
    pub fn new(l: &Layout<'_>, name: &'static str, kind: &'static str) -> Self {
        Self::labelled(name, kind, l.t(&format!("field-{name}")))
    }

    /// A field whose label is given, not looked up (`field-{name}`).
    pub fn labelled(name: &'static str, kind: &'static str, label: String) -> Self {
        Self {
            name,
            label,
            kind,
            value: String::new(),
            error: None,
            hint: None,
            autocomplete: "off",
            required: true,
            options: Vec::new(),
            list: None,
        }
    }

    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = value.into();
        self
    }

    pub fn hint(mut self, l: &Layout<'_>) -> Self {
        self.hint = Some(l.t(&format!("field-{}-hint", self.name)));
        self
    }

    pub fn autocomplete(mut self, autocomplete: &'static str) -> Self {
        self.autocomplete = autocomplete;
        self
    }

    pub fn optional(mut self) -> Self {
        self.required = false;
        self
    }

    pub fn options(mut self, options: Vec<(String, String)>) -> Self {
        self.options = options;
        self
    }

    pub fn list(mut self, datalist: &'static str) -> Self {
        self.list = Some(datalist);
        self
    }

    pub fn is_checked(&self) -> bool {
        self.value == "on"
    }

    pub fn is_selected(&self, option: &str) -> bool {
        self.value == option
    }
}

/// Errors by form field, localized.
#[derive(Default)]
pub struct FieldErrors {
    by_field: BTreeMap<&'static str, String>,
    /// An error about the whole form (shown above it).
    pub form: Option<String>,
}

impl FieldErrors {
    /// Puts a service's field errors (`organization.bin_iin`, ...) beside the form's fields:
    /// `map` names the form field of each service field. The words are the service's message
    /// in the page's language; an error of an unmapped field goes above the form.
    pub fn from_service(
        l: &Layout<'_>,
        errors: Vec<(String, Msg)>,
        map: &[(&str, &'static str)],
    ) -> Self {
        let mut out = Self::default();
        for (field, message) in errors {
            match map.iter().find(|(from, _)| *from == field) {
                Some((_, to)) => {
                    out.by_field.entry(to).or_insert_with(|| l.say(&message));
                }
                None => out.add_form(l.say(&message)),
            }
        }
        out
    }

    /// Adds an error about the whole form after those it has.
    pub fn add_form(&mut self, text: String) {
        self.form = Some(match self.form.take() {
            Some(prev) if prev.contains(&text) => prev,
            Some(prev) => format!("{prev} {text}"),
            None => text,
        });
    }

    /// Whether any field has an error.
    pub fn has_any(&self) -> bool {
        !self.by_field.is_empty()
    }

    /// The error of one field, if any.
    pub fn get(&self, field: &str) -> Option<String> {
        self.by_field.get(field).cloned()
    }

    pub fn set(&mut self, field: &'static str, message: String) {
        self.by_field.insert(field, message);
    }

    /// Attaches the errors to their fields.
    pub fn apply(&self, fields: &mut [Field]) {
        for f in fields {
            f.error = self.by_field.get(f.name).cloned();
        }
    }
}
