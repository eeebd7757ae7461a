//! The typed values the kinds' timeline contents share: a person attribute's value (text, a
//! year, or cleared) and one attribute a change sets. Each kind's own content record lives in
//! its module; the registry makes `EntryContent` of them.

use serde::Serialize;
use serde_json::Value;

/// One attribute a person update sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct AttributeChange {
    pub attribute: String,
    pub value: AttributeValue,
}

/// A person attribute's value, typed: what a shell shows without reading JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum AttributeValue {
    Text {
        text: String,
    },
    Year {
        year: i32,
    },
    /// The attribute was removed (an empty description, a birth year cleared).
    Cleared,
}

impl AttributeValue {
    /// From the JSON a person update stores (text, a year, or null).
    pub fn from_json(value: &Value) -> AttributeValue {
        match value {
            Value::Null => AttributeValue::Cleared,
            Value::String(text) => AttributeValue::Text { text: text.clone() },
            Value::Number(n) => match n.as_i64().and_then(|y| i32::try_from(y).ok()) {
                Some(year) => AttributeValue::Year { year },
                None => AttributeValue::Text {
                    text: n.to_string(),
                },
            },
            other => AttributeValue::Text {
                text: other.to_string(),
            },
        }
    }
}
