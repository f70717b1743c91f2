//! Identifiers of the contract's nouns as types of their own, so that a function that takes a
//! school's id cannot be given any text, nor another noun's id: it takes a `TenantId`, which
//! comes from a row, from the signed-in person (`access`), from the school an operator names
//! (`access::OperatorScope::school`) or from a link we signed. Each is the opaque text the
//! store gave it (a UUIDv7); it reads as `&str` where text is needed (binding a query, building
//! a path), so the guarantee runs one way: a function that takes an id type refuses anything
//! else, while a function that still takes `&str` accepts any id. A service's public function
//! takes the id a request names as text and makes its type where it enters; below it the
//! functions of these nouns take their type. It shows as its text in JSON and in the OpenAPI
//! document. It is not deserialised: no request body or query makes one.

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The id as stored.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }
    };
}

id!(
    /// A school (a tenant): the licensee's account on the platform.
    TenantId
);
id!(
    /// An invoice: of a licence, a renewal, a plan change or a quote.
    InvoiceId
);
id!(
    /// A school's licence contract (its number counts the school's contracts).
    ContractId
);
id!(
    /// A monthly act of services rendered.
    ActId
);
id!(
    /// A person's account: the operator's staff, a school's owner, staff or student.
    UserId
);
id!(
    /// A school's course.
    CourseId
);
id!(
    /// A module of a course.
    ModuleId
);
id!(
    /// A lesson of a course's module.
    LessonId
);
id!(
    /// A file a school uploaded (a video, an audio, an image, captions, a document).
    MediaId
);
id!(
    /// A student's attempt at a quiz.
    AttemptId
);
id!(
    /// A student's work on an assignment, with its thread of answers and comments.
    SubmissionId
);

#[cfg(test)]
mod tests {
    use super::{TenantId, UserId};

    #[test]
    fn an_id_is_its_text_in_json_and_compares_with_text() {
        let id = TenantId::new("0193a1b2-0000-7000-8000-000000000001");
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"0193a1b2-0000-7000-8000-000000000001\""
        );
        assert_eq!(id, "0193a1b2-0000-7000-8000-000000000001");
        assert_eq!(id.len(), 36);
        assert_eq!(id.to_string(), id.as_str());
        let users: std::collections::HashSet<UserId> = [UserId::new("u1")].into();
        assert!(users.contains("u1"));
    }
}
