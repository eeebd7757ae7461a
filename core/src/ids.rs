//! The ids of the journal, typed: an entry's (`EntryId`), a citizen's (`SubjectId`: a person or
//! an unknown citizen) and a device's (`DeviceId`), each a UUID in its canonical lower-case
//! hyphenated form. Inside the core they are distinct types, so an entry id cannot be passed
//! where a citizen is meant; on the wire and in the store they are the same text as before
//! (`serde(transparent)`, SQL text), and across the FFI they are strings.
//!
//! Each reads as a `&str` (`Deref`) and compares with text, so SQL parameters, logs and tests
//! use them as they used the text.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        uniffi::custom_newtype!($name, String);

        impl $name {
            /// An id as given from outside (a shell, a command line): refused unless a UUID in
            /// its canonical form, with `field` named in the error.
            pub fn parse(field: &str, text: &str) -> Result<$name> {
                match uuid::Uuid::parse_str(text) {
                    Ok(u) if u.hyphenated().to_string() == text => Ok($name(text.to_string())),
                    _ => Err(Error::invalid(
                        field,
                        "not an id (a UUID in lower-case hyphenated form)",
                    )),
                }
            }

            /// An id as the store or an entry already holds it (checked when it arrived).
            pub fn stored(text: impl Into<String>) -> $name {
                $name(text.into())
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

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
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

        /// Text already known to be such an id (read back, or made here); from outside, `parse`.
        impl From<String> for $name {
            fn from(text: String) -> $name {
                $name(text)
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> $name {
                $name(text.to_string())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
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

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(
                value: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                String::column_result(value).map($name)
            }
        }
    };
}

id_type! {
    /// An entry's id: a UUIDv7 made on the device that recorded it, whose time and counter are
    /// its clock stamp's; the idempotency key everywhere.
    EntryId
}

id_type! {
    /// A citizen's id: a person, or an unknown citizen (who may later be identified as one).
    SubjectId
}

id_type! {
    /// A device's id, made at `init`.
    DeviceId
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_canonical_uuids_and_read_as_their_text() {
        let text = "01a207ad-05df-77ca-acc4-725f6d3d7092";
        let id = EntryId::parse("id", text).unwrap();
        assert_eq!(id, text);
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{text}\""));
        assert!(EntryId::parse("id", &text.to_uppercase()).is_err());
        assert!(SubjectId::parse("subject", "kim").is_err());
    }
}
