//! The versioned table of discharge delay reasons (DOMAIN 2.8), compiled in from
//! `core/data/discharge_delay_reasons.csv` (see `core/data/SOURCES.md`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

use super::FlowError;

const BUILTIN_CSV: &str = include_str!("../../data/discharge_delay_reasons.csv");

/// One discharge delay reason: its list version, code, this project's category and label.
///
/// The label is the published wording; a trailing bracketed remark in the table (for
/// example `[code assigned by this project]`) is split off into `note`.
///
/// # Example
///
/// ```
/// use carecoord::flow::DelayReasonTable;
///
/// let r = DelayReasonTable::builtin().get("acute-sitrep-2023", "vi").unwrap();
/// assert_eq!((r.category.as_str(), r.label.as_str()), ("transport", "Awaiting transport"));
/// assert_eq!(r.note, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DelayReason {
    /// The list version (`dtoc-2018`, `acute-sitrep-2020`, `acute-sitrep-2023`,
    /// `community-sitrep-2023`).
    pub version: String,
    /// The code within the version (`A`, `Dii`, `xv`, `no-plan`, `C07`).
    pub code: String,
    /// The project's grouping (`transport`, `pathway-3`, ...).
    pub category: String,
    /// The published wording.
    pub label: String,
    /// A remark from the table about the row's provenance, if any.
    pub note: Option<String>,
}

/// A table of delay reasons keyed by (version, code).
///
/// # Example
///
/// ```
/// use carecoord::flow::DelayReasonTable;
///
/// let t = DelayReasonTable::builtin();
/// assert_eq!(t.versions(), ["acute-sitrep-2020", "acute-sitrep-2023", "community-sitrep-2023", "dtoc-2018"]);
/// assert_eq!(t.len(), 66);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DelayReasonTable {
    reasons: BTreeMap<(String, String), DelayReason>,
}

impl DelayReasonTable {
    /// The compiled-in table (66 reasons in four versions), parsed once on first use.
    ///
    /// # Errors
    ///
    /// None (a unit test checks that the compiled-in file parses).
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::flow::DelayReasonTable;
    /// assert!(DelayReasonTable::builtin().get("dtoc-2018", "Dii").is_some());
    /// ```
    pub fn builtin() -> &'static DelayReasonTable {
        static TABLE: OnceLock<DelayReasonTable> = OnceLock::new();
        TABLE.get_or_init(|| Self::from_csv(BUILTIN_CSV).unwrap_or_default())
    }

    /// Parses a table in the format of the compiled-in file: a header
    /// `version,code,category,reason`, then one row per reason, RFC 4180 quoting. Use it
    /// for a list version that is not compiled in (DOMAIN 2.8: the 2024 list).
    ///
    /// # Errors
    ///
    /// [`FlowError::TableRow`] for a malformed row (wrong number of fields, an empty field,
    /// bad quoting, wrong header), [`FlowError::DuplicateReason`] for a repeated
    /// (version, code).
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::flow::{DelayReasonTable, FlowError};
    ///
    /// let t = DelayReasonTable::from_csv("version,code,category,reason\nv2024,1,transport,\"Awaiting transport, any\"\n")?;
    /// assert_eq!(t.get("v2024", "1").unwrap().label, "Awaiting transport, any");
    /// let bad = DelayReasonTable::from_csv("version,code,category,reason\nv2024,,transport,x\n");
    /// assert_eq!(bad.unwrap_err(), FlowError::TableRow { line: 2, field: "code", reason: "must not be empty" });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_csv(text: &str) -> Result<Self, FlowError> {
        let mut lines = text.lines().enumerate();
        let header_ok = lines
            .next()
            .is_some_and(|(_, h)| h.trim_end_matches('\r') == "version,code,category,reason");
        if !header_ok {
            return Err(FlowError::TableRow {
                line: 1,
                field: "header",
                reason: "expected `version,code,category,reason`",
            });
        }
        let mut reasons = BTreeMap::new();
        for (i, line) in lines {
            let line_no = i + 1;
            let line = line.trim_end_matches('\r');
            if line.is_empty() {
                continue;
            }
            let fields = split_csv(line).ok_or(FlowError::TableRow {
                line: line_no,
                field: "reason",
                reason: "unbalanced quotes",
            })?;
            let [version, code, category, reason]: [String; 4] =
                fields.try_into().map_err(|_| FlowError::TableRow {
                    line: line_no,
                    field: "row",
                    reason: "expected 4 fields",
                })?;
            for (field, value) in [
                ("version", &version),
                ("code", &code),
                ("category", &category),
                ("reason", &reason),
            ] {
                if value.trim().is_empty() {
                    return Err(FlowError::TableRow {
                        line: line_no,
                        field,
                        reason: "must not be empty",
                    });
                }
            }
            let (label, note) = split_note(&reason);
            let key = (version.clone(), code.clone());
            if reasons.contains_key(&key) {
                return Err(FlowError::DuplicateReason { line: line_no });
            }
            reasons.insert(
                key,
                DelayReason {
                    version,
                    code,
                    category,
                    label,
                    note,
                },
            );
        }
        Ok(Self { reasons })
    }

    /// The reason with this version and code.
    ///
    /// # Errors
    ///
    /// None; `None` if there is no such reason.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::flow::DelayReasonTable;
    /// let t = DelayReasonTable::builtin();
    /// assert_eq!(t.get("community-sitrep-2023", "C10").unwrap().category, "pathway-3");
    /// assert!(t.get("acute-sitrep-2023", "xviii").is_none()); // withdrawn after 2020
    /// ```
    pub fn get(&self, version: &str, code: &str) -> Option<&DelayReason> {
        self.reasons.get(&(version.to_owned(), code.to_owned()))
    }

    /// The versions in the table, sorted.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::flow::DelayReasonTable;
    /// assert_eq!(DelayReasonTable::builtin().versions().len(), 4);
    /// ```
    pub fn versions(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.reasons.keys().map(|(v, _)| v.as_str()).collect();
        v.dedup();
        v
    }

    /// The reasons of one version, in table key order (code order).
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::flow::DelayReasonTable;
    /// assert_eq!(DelayReasonTable::builtin().reasons("dtoc-2018").count(), 10);
    /// ```
    pub fn reasons<'a>(&'a self, version: &'a str) -> impl Iterator<Item = &'a DelayReason> + 'a {
        self.reasons.values().filter(move |r| r.version == version)
    }

    /// Number of reasons over all versions.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!carecoord::flow::DelayReasonTable::builtin().is_empty());
    /// ```
    pub fn len(&self) -> usize {
        self.reasons.len()
    }

    /// Whether the table is empty.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carecoord::flow::DelayReasonTable::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.reasons.is_empty()
    }
}

/// Splits a trailing ` [remark]` off a label.
fn split_note(reason: &str) -> (String, Option<String>) {
    let trimmed = reason.trim_end();
    if trimmed.ends_with(']') {
        if let Some(open) = trimmed.rfind(" [") {
            let note = trimmed[open + 2..trimmed.len() - 1].to_string();
            return (trimmed[..open].to_string(), Some(note));
        }
    }
    (trimmed.to_string(), None)
}

/// Splits one CSV line (RFC 4180 quoting, no embedded newlines); `None` on bad quoting.
fn split_csv(line: &str) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut at_start = true;
    loop {
        if at_start && chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => break,
                    c => field.push(c),
                }
            }
            match chars.next() {
                None => {
                    fields.push(std::mem::take(&mut field));
                    return Some(fields);
                }
                Some(',') => {
                    fields.push(std::mem::take(&mut field));
                    at_start = true;
                    continue;
                }
                Some(_) => return None,
            }
        }
        at_start = false;
        match chars.next() {
            None => {
                fields.push(std::mem::take(&mut field));
                return Some(fields);
            }
            Some(',') => {
                fields.push(std::mem::take(&mut field));
                at_start = true;
            }
            Some('"') => return None,
            Some(c) => field.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_counts_per_version() {
        // Counts from DOMAIN 2.8: DTOC A-I with Di/Dii (10), acute sitrep 2020 i-xviii (18),
        // 2023 i-xvii plus no-plan (18), community sitrep 2023 C01-C20 (20).
        let t = DelayReasonTable::from_csv(BUILTIN_CSV).unwrap();
        assert_eq!(t.len(), 66);
        assert_eq!(t.reasons("dtoc-2018").count(), 10);
        assert_eq!(t.reasons("acute-sitrep-2020").count(), 18);
        assert_eq!(t.reasons("acute-sitrep-2023").count(), 18);
        assert_eq!(t.reasons("community-sitrep-2023").count(), 20);
        assert_eq!(&t, DelayReasonTable::builtin());
    }

    #[test]
    fn quoted_labels_and_notes() {
        let t = DelayReasonTable::builtin();
        let i = t.get("acute-sitrep-2023", "i").unwrap();
        assert_eq!(i.category, "criteria-to-reside");
        assert!(i
            .label
            .starts_with("Declared as not meeting the criteria to reside at"));
        assert!(i.label.contains(", then later"));
        let c02 = t.get("community-sitrep-2023", "C02").unwrap();
        assert_eq!(c02.note.as_deref(), Some("code assigned by this project"));
        assert!(c02.label.ends_with("ordering equipment"));
        let no_plan = t.get("acute-sitrep-2023", "no-plan").unwrap();
        assert_eq!(no_plan.label, "No plan");
        assert_eq!(
            no_plan.note.as_deref(),
            Some("code assigned by this project; official numbering unverified")
        );
        let dtoc_i = t.get("dtoc-2018", "I").unwrap();
        assert_eq!(dtoc_i.note.as_deref(), Some("wording unverified"));
        assert_eq!(
            t.get("acute-sitrep-2020", "xv").unwrap().category,
            "repatriation"
        );
    }

    #[test]
    fn bad_tables() {
        let h = "version,code,category,reason\n";
        assert_eq!(
            DelayReasonTable::from_csv("v,c\n").unwrap_err().code(),
            "table_row"
        );
        assert_eq!(
            DelayReasonTable::from_csv(&format!("{h}a,b,c\n")).unwrap_err(),
            FlowError::TableRow {
                line: 2,
                field: "row",
                reason: "expected 4 fields"
            }
        );
        assert_eq!(
            DelayReasonTable::from_csv(&format!("{h}a,b,c,\"open\n")).unwrap_err(),
            FlowError::TableRow {
                line: 2,
                field: "reason",
                reason: "unbalanced quotes"
            }
        );
        assert_eq!(
            DelayReasonTable::from_csv(&format!("{h}a,b,c,d\na,b,e,f\n")).unwrap_err(),
            FlowError::DuplicateReason { line: 3 }
        );
        assert_eq!(
            split_csv(r#"a,"x ""y"", z",c"#).unwrap(),
            ["a", r#"x "y", z"#, "c"]
        );
    }
}
