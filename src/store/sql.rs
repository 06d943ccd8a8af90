//! The small core a database backend implements: run a statement, run a query row by row,
//! say which SQL dialect it speaks. Every query of the program is written once, in
//! [`super::Tx`]'s methods, against this core; SQLite ([`super::sqlite`]) and PostgreSQL
//! ([`super::postgres`]) each implement it. Statements use `?1`, `?2` … placeholders; a
//! backend that numbers them otherwise rewrites them.

use chrono::{DateTime, Utc};

use crate::clock::{fmt_ts, parse_stored_ts};
use crate::error::{Error, Result};

/// A value bound to a placeholder or read from a column.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// An integer (flags are stored as 0 and 1).
    Int(i64),
    /// A floating-point number.
    Real(f64),
    /// Text.
    Text(String),
    /// Bytes.
    Blob(Vec<u8>),
}

/// The SQL a backend speaks, for the few statements that differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite 3.
    Sqlite,
    /// PostgreSQL 15 or later.
    Postgres,
}

/// One open transaction of a backend.
pub trait Conn {
    /// The dialect of this backend.
    fn dialect(&self) -> Dialect;
    /// Runs one statement; returns the number of rows it changed.
    fn execute(&self, sql: &str, args: &[Value]) -> Result<u64>;
    /// Runs a query and calls `f` with each row in turn until it returns `false`. `f` may
    /// run other statements of the same transaction.
    fn query(
        &self,
        sql: &str,
        args: &[Value],
        f: &mut dyn FnMut(&Row) -> Result<bool>,
    ) -> Result<()>;
}

/// One row of a query's result.
pub struct Row<'a> {
    values: &'a [Value],
}

impl<'a> Row<'a> {
    /// A row over these column values.
    pub fn new(values: &'a [Value]) -> Self {
        Row { values }
    }

    /// Column `i` (from 0) as a `T`.
    pub fn get<T: FromValue>(&self, i: usize) -> Result<T> {
        let v = self
            .values
            .get(i)
            .ok_or_else(|| Error::Db(format!("the query has no column {i}")))?;
        // A stored value of the wrong kind (text where a time belongs, a word that is no
        // status) is stored data that does not agree with the schema's meaning.
        T::from_value(v).map_err(|e| Error::Integrity(format!("column {i}: {e}")))
    }

    /// Column `i` parsed with `FromStr` (stored enum words such as a status).
    pub fn parse<T>(&self, i: usize) -> Result<T>
    where
        T: std::str::FromStr,
        T::Err: std::fmt::Display,
    {
        let s: String = self.get(i)?;
        s.parse()
            .map_err(|e| Error::Integrity(format!("column {i}: stored value {s:?}: {e}")))
    }
}

/// A Rust value that can be bound to a placeholder.
pub trait ToValue {
    /// The value to bind.
    fn to_value(&self) -> Value;
}

/// A Rust value that can be read from a column.
pub trait FromValue: Sized {
    /// Converts, or says why not.
    fn from_value(v: &Value) -> std::result::Result<Self, String>;
}

/// The arguments of a statement: `args![a, b, c]`.
#[macro_export]
macro_rules! args {
    ($($v:expr),* $(,)?) => {
        &[$($crate::store::sql::ToValue::to_value(&$v)),*] as &[$crate::store::sql::Value]
    };
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}
impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}
impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}
impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_owned())
    }
}
impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}
impl ToValue for [u8] {
    fn to_value(&self) -> Value {
        Value::Blob(self.to_vec())
    }
}
impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Blob(self.clone())
    }
}
impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}
impl ToValue for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}
macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::Int(*self as i64)
            }
        }
        impl FromValue for $t {
            fn from_value(v: &Value) -> std::result::Result<Self, String> {
                match v {
                    Value::Int(i) => <$t>::try_from(*i).map_err(|e| format!("{i}: {e}")),
                    other => Err(format!("expected an integer, found {other:?}")),
                }
            }
        }
    )*};
}
int_value!(i64, i32, u32, u64, usize, u8, u16);

impl FromValue for Value {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        Ok(v.clone())
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}
impl FromValue for String {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Text(s) => Ok(s.clone()),
            other => Err(format!("expected text, found {other:?}")),
        }
    }
}
impl FromValue for Vec<u8> {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Blob(b) => Ok(b.clone()),
            Value::Text(s) => Ok(s.as_bytes().to_vec()),
            other => Err(format!("expected bytes, found {other:?}")),
        }
    }
}
impl FromValue for bool {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Int(i) => Ok(*i != 0),
            other => Err(format!("expected a flag, found {other:?}")),
        }
    }
}
impl FromValue for f64 {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Real(f) => Ok(*f),
            Value::Int(i) => Ok(*i as f64),
            other => Err(format!("expected a number, found {other:?}")),
        }
    }
}

/// `sql` with `?N` placeholders renumbered as `$N`, leaving quoted text and identifiers
/// alone (PostgreSQL's form).
pub fn dollar_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    for c in sql.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '?' => {
                out.push('$');
                continue;
            }
            None => {}
        }
        out.push(c);
    }
    out
}

/// Timestamps are stored as text in the one format of [`crate::clock::fmt_ts`] (which
/// sorts in time order and is what the trail hashes), on every backend.
impl ToValue for DateTime<Utc> {
    fn to_value(&self) -> Value {
        Value::Text(fmt_ts(*self))
    }
}
impl FromValue for DateTime<Utc> {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Text(s) => parse_stored_ts(s).map_err(|e| e.to_string()),
            other => Err(format!("expected a timestamp, found {other:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_renumbered_outside_quotes() {
        assert_eq!(
            dollar_placeholders("SELECT '?1', \"a?\" FROM t WHERE x = ?1 AND y = ?12"),
            "SELECT '?1', \"a?\" FROM t WHERE x = $1 AND y = $12"
        );
    }

    #[test]
    fn values_convert_both_ways() {
        let args = args![1i64, "a", Some(2i64), None::<String>, true];
        assert_eq!(
            args,
            &[
                Value::Int(1),
                Value::Text("a".into()),
                Value::Int(2),
                Value::Null,
                Value::Int(1)
            ]
        );
        let row = Row::new(args);
        assert_eq!(row.get::<i64>(0).unwrap(), 1);
        assert_eq!(row.get::<Option<String>>(3).unwrap(), None);
        assert!(row.get::<String>(0).is_err());
        assert!(row.get::<bool>(4).unwrap());
    }
}
