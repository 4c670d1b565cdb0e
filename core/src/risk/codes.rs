//! Compiled-in reference tables (`core/data/risk/*.csv`, see `core/data/risk/SOURCES.md`) and
//! the code lookup index.
//!
//! The CSV files are compiled into the library with `include_str!` and parsed once, on first
//! use. Lookup never hashes a code: a cleaned ICD-10 code is reduced to its three-character
//! category (letter, digit, letter-or-digit: 26 x 10 x 36 slots), the slot holds the bitmask
//! of the categories matched by three-character prefixes plus a short list of four-character
//! prefix entries, and the fourth character is compared against that list.

use std::fmt;
use std::sync::LazyLock;

use crate::ids::Icd10Code;

const CATEGORIES_CSV: &str = include_str!("../../data/risk/categories.csv");
const CHARLSON_MAP_CSV: &str = include_str!("../../data/risk/charlson_icd10_quan2005.csv");
const CHARLSON_WEIGHTS_CSV: &str = include_str!("../../data/risk/charlson_weights.csv");
const CHARLSON_AGE_CSV: &str = include_str!("../../data/risk/charlson_age_points.csv");
const ELIX_MAP_CSV: &str = include_str!("../../data/risk/elixhauser_icd10_quan2005.csv");
const ELIX_WEIGHTS_CSV: &str = include_str!("../../data/risk/elixhauser_weights.csv");
const HIERARCHY_CSV: &str = include_str!("../../data/risk/hierarchy.csv");
const HFRS_CSV: &str = include_str!("../../data/risk/hfrs_icd10.csv");

/// Number of three-character slots: letter (26) x digit (10) x letter or digit (36).
pub(crate) const SLOTS: usize = 26 * 10 * 36;

/// The slot of a cleaned code's three-character category.
///
/// [`Icd10Code`] guarantees an upper-case ASCII letter, a digit and an upper-case ASCII
/// letter or digit in the first three places.
#[inline]
pub(crate) fn slot_of(code: &[u8]) -> usize {
    let third = match code[2] {
        c @ b'0'..=b'9' => (c - b'0') as usize,
        c => (c.wrapping_sub(b'A') as usize + 10).min(35),
    };
    (code[0].wrapping_sub(b'A') as usize).min(25) * 360
        + (code[1].wrapping_sub(b'0') as usize).min(9) * 36
        + third
}

/// The first four cleaned characters of a code and whether it has more than three, which is
/// all the lookups need.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct CodeHead {
    bytes: [u8; 4],
    long: bool,
}

impl CodeHead {
    pub(crate) fn of(code: &Icd10Code) -> Self {
        let b = code.as_str().as_bytes();
        let mut bytes = [0u8; 4];
        let n = b.len().min(4);
        bytes[..n].copy_from_slice(&b[..n]);
        Self {
            bytes,
            long: b.len() > 3,
        }
    }

    /// An allocation-free shortcut for the everyday spelling of a code: a letter, a digit, a
    /// letter or digit, then optionally a dot followed by one to four letters or digits, or
    /// up to four letters or digits without a dot; nothing else (no white space, marks or
    /// other characters). On such input [`Icd10Code::parse`] succeeds with the same result
    /// (checked by a property test); anything else returns `None` and goes through the full
    /// parser, which also names the reason for a reject.
    #[inline]
    pub(crate) fn fast(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() < 3 || b.len() > 8 {
            return None;
        }
        if !b[0].is_ascii_alphabetic() || !b[1].is_ascii_digit() || !b[2].is_ascii_alphanumeric() {
            return None;
        }
        let rest = match b.get(3) {
            Some(b'.') if b.len() > 4 => &b[4..],
            Some(b'.') => return None,
            _ => &b[3..],
        };
        if rest.len() > 4 || !rest.iter().all(u8::is_ascii_alphanumeric) {
            return None;
        }
        Some(Self {
            bytes: [
                b[0].to_ascii_uppercase(),
                b[1],
                b[2].to_ascii_uppercase(),
                rest.first().map_or(0, u8::to_ascii_uppercase),
            ],
            long: !rest.is_empty(),
        })
    }

    /// A cleaned code's head, by the shortcut when it applies, else by [`Icd10Code::parse`].
    #[inline]
    pub(crate) fn parse(s: &str) -> Result<Self, &'static str> {
        match Self::fast(s) {
            Some(h) => Ok(h),
            None => Icd10Code::parse(s)
                .map(|c| Self::of(&c))
                .map_err(|e| e.code()),
        }
    }
}

/// A comorbidity instrument whose categories are named in `categories.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Instrument {
    /// Charlson comorbidity index, 17 categories (Quan et al. 2005 ICD-10 coding).
    Charlson,
    /// Elixhauser comorbidity measures, 31 categories (Quan et al. 2005 ICD-10 coding).
    Elixhauser,
}

impl Instrument {
    /// The stable name used in output metadata: `charlson` or `elixhauser`.
    ///
    /// ```
    /// use carecoord::risk::Instrument;
    /// assert_eq!(Instrument::Elixhauser.as_str(), "elixhauser");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Charlson => "charlson",
            Self::Elixhauser => "elixhauser",
        }
    }

    /// The category keys, in the order of `categories.csv` (also the order of the output
    /// flag columns and of the bits of a [`CategorySet`]).
    ///
    /// ```
    /// use carecoord::risk::Instrument;
    /// let keys = Instrument::Charlson.keys();
    /// assert_eq!(keys.len(), 17);
    /// assert_eq!(&keys[..3], &["mi", "chf", "pvd"]);
    /// assert_eq!(Instrument::Elixhauser.keys().len(), 31);
    /// ```
    pub fn keys(self) -> &'static [&'static str] {
        &self.table().keys
    }

    /// The readable label of a category key (from `categories.csv`), if the key exists.
    ///
    /// ```
    /// use carecoord::risk::Instrument;
    /// assert_eq!(Instrument::Charlson.label("mi"), Some("Myocardial infarction"));
    /// assert_eq!(Instrument::Charlson.label("nope"), None);
    /// ```
    pub fn label(self, key: &str) -> Option<&'static str> {
        let t = self.table();
        t.position(key).map(|i| t.labels[i])
    }

    /// The ICD-10 prefixes (cleaned, 3 or 4 characters) that define a category, in mapping
    /// file order; empty for an unknown key.
    ///
    /// ```
    /// use carecoord::risk::Instrument;
    /// let mi: Vec<_> = Instrument::Charlson.prefixes("mi").collect();
    /// assert_eq!(mi, ["I21", "I22", "I252"]);
    /// ```
    pub fn prefixes(self, key: &str) -> impl Iterator<Item = &'static str> {
        let t = self.table();
        let cat = t.position(key);
        t.prefixes
            .iter()
            .filter(move |p| Some(p.0) == cat)
            .map(|p| p.1)
    }

    pub(crate) fn table(self) -> &'static ComorbidityTable {
        match self {
            Self::Charlson => &TABLES.charlson,
            Self::Elixhauser => &TABLES.elixhauser,
        }
    }
}

/// A set of categories of one [`Instrument`]: bit `i` is the `i`-th key of
/// [`Instrument::keys`].
///
/// # Example
///
/// ```
/// use carecoord::risk::{charlson_for_codes, CharlsonWeights};
///
/// let s = charlson_for_codes(&["I21.4", "E11.9"], CharlsonWeights::Charlson1987, None)?;
/// assert!(s.present.contains("mi"));
/// assert_eq!(s.present.keys().collect::<Vec<_>>(), ["mi", "diab"]);
/// assert_eq!(s.present.len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CategorySet {
    instrument: Instrument,
    bits: u64,
}

impl CategorySet {
    pub(crate) fn new(instrument: Instrument, bits: u64) -> Self {
        Self { instrument, bits }
    }

    /// An empty set.
    ///
    /// ```
    /// use carecoord::risk::{CategorySet, Instrument};
    /// assert!(CategorySet::empty(Instrument::Charlson).is_empty());
    /// ```
    pub fn empty(instrument: Instrument) -> Self {
        Self::new(instrument, 0)
    }

    /// The instrument the categories belong to.
    ///
    /// ```
    /// use carecoord::risk::{CategorySet, Instrument};
    /// assert_eq!(CategorySet::empty(Instrument::Charlson).instrument(), Instrument::Charlson);
    /// ```
    pub fn instrument(&self) -> Instrument {
        self.instrument
    }

    /// The raw bitmask (bit `i` = `i`-th key of [`Instrument::keys`]).
    ///
    /// ```
    /// use carecoord::risk::elixhauser_for_codes;
    /// let s = elixhauser_for_codes(&["I50"])?; // chf is the first Elixhauser key
    /// assert_eq!(s.present.bits(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bits(&self) -> u64 {
        self.bits
    }

    /// Whether the category with this key is in the set (false for unknown keys).
    ///
    /// ```
    /// use carecoord::risk::elixhauser_for_codes;
    /// let s = elixhauser_for_codes(&["I13.0"])?;
    /// assert!(s.present.contains("chf") && s.present.contains("hypc"));
    /// assert!(!s.present.contains("unknown"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn contains(&self, key: &str) -> bool {
        self.instrument
            .table()
            .position(key)
            .is_some_and(|i| self.bits & (1 << i) != 0)
    }

    /// The keys in the set, in table order.
    ///
    /// ```
    /// use carecoord::risk::{charlson_for_codes, CharlsonWeights};
    /// let s = charlson_for_codes(&["C78.7", "C18.7"], CharlsonWeights::Quan2011, None)?;
    /// assert_eq!(s.present.keys().collect::<Vec<_>>(), ["canc", "metacanc"]);
    /// assert_eq!(s.counted.keys().collect::<Vec<_>>(), ["metacanc"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        let keys = self.instrument.keys();
        bit_indices(u128::from(self.bits)).map(move |i| keys[i])
    }

    /// The number of categories in the set.
    ///
    /// ```
    /// use carecoord::risk::{CategorySet, Instrument};
    /// assert_eq!(CategorySet::empty(Instrument::Elixhauser).len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.bits.count_ones() as usize
    }

    /// Whether the set is empty.
    ///
    /// ```
    /// use carecoord::risk::{CategorySet, Instrument};
    /// assert!(CategorySet::empty(Instrument::Elixhauser).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.bits == 0
    }
}

impl fmt::Debug for CategorySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CategorySet({}: ", self.instrument.as_str())?;
        f.debug_list().entries(self.keys()).finish()?;
        f.write_str(")")
    }
}

/// The HFRS three-character groups present for one patient (bit `i` = `i`-th row of
/// `hfrs_icd10.csv`).
///
/// # Example
///
/// ```
/// use carecoord::risk::hfrs_for_codes;
/// let s = hfrs_for_codes(&["F05.0", "F05.1", "R29.6"])?;
/// assert_eq!(s.groups.codes().collect::<Vec<_>>(), ["R29", "F05"]);
/// assert!(s.groups.contains("F05"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct HfrsGroups(pub(crate) u128);

impl HfrsGroups {
    /// The three-character groups of the HFRS table, in file order (109 groups).
    ///
    /// ```
    /// use carecoord::risk::HfrsGroups;
    /// assert_eq!(HfrsGroups::all_codes().len(), 109);
    /// assert_eq!(HfrsGroups::all_codes()[0], "F00");
    /// ```
    pub fn all_codes() -> &'static [&'static str] {
        &TABLES.hfrs.groups
    }

    /// The raw bitmask.
    ///
    /// ```
    /// use carecoord::risk::hfrs_for_codes;
    /// assert_eq!(hfrs_for_codes(&["F00.1"])?.groups.bits(), 1); // F00 is the first group
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bits(&self) -> u128 {
        self.0
    }

    /// Whether a three-character group (`F05`) is present.
    ///
    /// ```
    /// use carecoord::risk::hfrs_for_codes;
    /// assert!(hfrs_for_codes(&["W19X"])?.groups.contains("W19"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn contains(&self, code3: &str) -> bool {
        TABLES
            .hfrs
            .groups
            .iter()
            .position(|g| *g == code3)
            .is_some_and(|i| self.0 & (1 << i) != 0)
    }

    /// The groups present, in table order.
    ///
    /// ```
    /// use carecoord::risk::hfrs_for_codes;
    /// assert_eq!(hfrs_for_codes(&["J18.9"])?.groups.codes().collect::<Vec<_>>(), ["J18"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn codes(&self) -> impl Iterator<Item = &'static str> + '_ {
        let groups = &TABLES.hfrs.groups;
        bit_indices(self.0).map(move |i| groups[i])
    }

    /// The number of groups present.
    ///
    /// ```
    /// use carecoord::risk::hfrs_for_codes;
    /// assert_eq!(hfrs_for_codes(&["F05.0", "F05.9"])?.groups.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn len(&self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether no group is present.
    ///
    /// ```
    /// use carecoord::risk::hfrs_for_codes;
    /// assert!(hfrs_for_codes(&["I21.4"])?.groups.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }
}

impl fmt::Debug for HfrsGroups {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HfrsGroups")?;
        f.debug_list().entries(self.codes()).finish()
    }
}

/// Indices of the set bits, lowest first.
pub(crate) fn bit_indices(mut bits: u128) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if bits == 0 {
            None
        } else {
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            Some(i)
        }
    })
}

/// One slot of the prefix index.
#[derive(Clone, Copy, Default)]
struct Slot {
    /// Categories matched by the three-character prefix itself.
    mask: u32,
    /// Start and length of this slot's four-character entries in `PrefixIndex::extra`.
    start: u32,
    len: u32,
}

/// Category bitmasks (at most 32 categories) by three-character slot, plus per-slot
/// four-character entries.
pub(crate) struct PrefixIndex {
    slots: Box<[Slot]>,
    extra: Box<[(u8, u32)]>,
}

impl PrefixIndex {
    /// Build from `(category bit index, prefix)` pairs; prefixes are 3 or 4 characters.
    fn build(prefixes: &[(usize, &str)]) -> Self {
        let mut slots = vec![Slot::default(); SLOTS];
        let mut four: Vec<Vec<(u8, u32)>> = vec![Vec::new(); SLOTS];
        for &(cat, p) in prefixes {
            let b = p.as_bytes();
            let slot = slot_of(b);
            match b.len() {
                3 => slots[slot].mask |= 1 << cat,
                4 => match four[slot].iter_mut().find(|e| e.0 == b[3]) {
                    Some(e) => e.1 |= 1 << cat,
                    None => four[slot].push((b[3], 1 << cat)),
                },
                n => panic!("bug: compiled-in prefix of length {n}"),
            }
        }
        let mut extra = Vec::new();
        for (slot, list) in slots.iter_mut().zip(four) {
            slot.start = extra.len() as u32;
            slot.len = list.len() as u32;
            extra.extend(list);
        }
        Self {
            slots: slots.into_boxed_slice(),
            extra: extra.into_boxed_slice(),
        }
    }

    /// The categories a cleaned code falls in (prefix match).
    #[inline]
    pub(crate) fn lookup(&self, code: &Icd10Code) -> u32 {
        self.lookup_head(CodeHead::of(code))
    }

    /// The categories of a code given by its head.
    #[inline]
    pub(crate) fn lookup_head(&self, head: CodeHead) -> u32 {
        let b = head.bytes;
        let s = self.slots[slot_of(&b)];
        let mut mask = s.mask;
        if s.len != 0 && head.long {
            let start = s.start as usize;
            for &(c, m) in &self.extra[start..start + s.len as usize] {
                if c == b[3] {
                    mask |= m;
                }
            }
        }
        mask
    }
}

/// Charlson or Elixhauser: keys, labels, weight sets, hierarchy and index.
pub(crate) struct ComorbidityTable {
    pub(crate) keys: Vec<&'static str>,
    pub(crate) labels: Vec<&'static str>,
    /// `(weight set name, weight per key)` in the column order of the weights file.
    pub(crate) weight_sets: Vec<(&'static str, Vec<i32>)>,
    /// `(dominant, suppressed)` key indices, in `hierarchy.csv` order.
    pub(crate) hierarchy: Vec<(usize, usize)>,
    /// `(key index, prefix)` in mapping file order.
    pub(crate) prefixes: Vec<(usize, &'static str)>,
    pub(crate) index: PrefixIndex,
}

impl ComorbidityTable {
    pub(crate) fn position(&self, key: &str) -> Option<usize> {
        self.keys.iter().position(|k| *k == key)
    }

    /// The weights of a named set (`charlson1987`, `quan2011`, `shmi`, `van_walraven2009`).
    pub(crate) fn weights(&self, name: &str) -> &[i32] {
        self.weight_sets
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, w)| w.as_slice())
            .unwrap_or_else(|| panic!("bug: no weight set `{name}`"))
    }

    /// Apply the hierarchy: the categories that count (branch-free: a dominant category's
    /// bit, shifted to the suppressed category's place, clears it).
    #[inline]
    pub(crate) fn counted(&self, present: u64) -> u64 {
        let mut counted = present;
        for &(d, s) in &self.hierarchy {
            counted &= !(((present >> d) & 1) << s);
        }
        counted
    }

    /// The dominant category that suppresses category `cat`, if it is present.
    pub(crate) fn suppressed_by(&self, present: u64, cat: usize) -> Option<usize> {
        self.hierarchy
            .iter()
            .find(|&&(d, s)| s == cat && present & (1 << d) != 0)
            .map(|&(d, _)| d)
    }

    /// Sum of the weights of the categories that count after the hierarchy.
    pub(crate) fn score(&self, weights: &[i32], present: u64) -> i32 {
        bit_indices(u128::from(self.counted(present)))
            .map(|i| weights[i])
            .sum()
    }

    /// [`ComorbidityTable::score`] for many patients: the weights as [`BitWeights`].
    pub(crate) fn scorer<'t>(&'t self, weights: &[i32]) -> impl Fn(u64) -> i32 + Sync + 't {
        let sum = BitWeights::new(weights);
        move |present| sum.sum(u128::from(self.counted(present)))
    }
}

/// The sum of per-bit weights over a bit set, read from one 256-entry table per byte of the
/// set: a handful of loads and adds with no branch, where walking the set bits costs a
/// mispredicted branch per bit (the per-patient totals of a million patients).
pub(crate) struct BitWeights {
    /// `tables[k][b]`: the sum of the weights of the bits set in `b`, shifted by `8 k`.
    tables: Vec<[i32; 256]>,
}

impl BitWeights {
    /// Tables for `weights[i]`, the weight of bit `i` (at most 128 bits).
    pub(crate) fn new(weights: &[i32]) -> Self {
        debug_assert!(weights.len() <= 128);
        let tables = weights
            .chunks(8)
            .map(|w| {
                let mut t = [0i32; 256];
                for (b, sum) in t.iter_mut().enumerate() {
                    *sum = bit_indices(b as u128).filter_map(|i| w.get(i)).sum();
                }
                t
            })
            .collect();
        Self { tables }
    }

    /// The sum of the weights of the bits set in `bits` (bits beyond the weights count 0).
    #[inline]
    pub(crate) fn sum(&self, bits: u128) -> i32 {
        self.tables
            .iter()
            .enumerate()
            .map(|(k, t)| t[((bits >> (8 * k)) & 0xff) as usize])
            .sum()
    }
}

/// HFRS groups and points.
pub(crate) struct HfrsTable {
    pub(crate) groups: Vec<&'static str>,
    /// Points in tenths (7.1 -> 71).
    pub(crate) tenths: Vec<i32>,
    /// Group index + 1 per slot (0 = no group).
    pub(crate) slot_group: Box<[u8]>,
}

impl HfrsTable {
    /// The group of a code given by its head, as index + 1; 0 if the code is in no group.
    #[inline]
    pub(crate) fn group(&self, head: CodeHead) -> u8 {
        self.slot_group[slot_of(&head.bytes)]
    }

    /// The group bit of a cleaned code, 0 if the code is in no group.
    #[inline]
    pub(crate) fn lookup(&self, code: &Icd10Code) -> u128 {
        match self.group(CodeHead::of(code)) {
            0 => 0,
            g => 1u128 << (g - 1),
        }
    }

    /// Sum of points of the groups present, in tenths.
    pub(crate) fn score_tenths(&self, groups: u128) -> i32 {
        bit_indices(groups).map(|i| self.tenths[i]).sum()
    }

    /// [`HfrsTable::score_tenths`] for many patients, through [`BitWeights`].
    pub(crate) fn scorer(&self) -> BitWeights {
        BitWeights::new(&self.tenths)
    }
}

/// One band of `charlson_age_points.csv`.
pub(crate) struct AgeBand {
    pub(crate) min: u32,
    pub(crate) max: Option<u32>,
    pub(crate) points: i32,
}

/// All compiled-in tables.
pub(crate) struct Tables {
    pub(crate) charlson: ComorbidityTable,
    pub(crate) elixhauser: ComorbidityTable,
    pub(crate) hfrs: HfrsTable,
    pub(crate) age_bands: Vec<AgeBand>,
}

/// The tables, parsed on first use. A parse failure is a bug in the vendored data and is
/// caught by the unit tests.
pub(crate) static TABLES: LazyLock<Tables> = LazyLock::new(Tables::parse);

/// Split one CSV line into fields. Handles double-quoted fields without embedded quotes
/// (all that the vendored files use).
fn fields(line: &'static str) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut rest = line;
    loop {
        if let Some(q) = rest.strip_prefix('"') {
            let end = q
                .find('"')
                .expect("bug: unterminated quote in compiled-in CSV");
            out.push(&q[..end]);
            rest = &q[end + 1..];
            match rest.strip_prefix(',') {
                Some(r) => rest = r,
                None => break,
            }
        } else {
            match rest.find(',') {
                Some(i) => {
                    out.push(&rest[..i]);
                    rest = &rest[i + 1..];
                }
                None => {
                    out.push(rest);
                    break;
                }
            }
        }
    }
    out
}

/// Header and data rows of a compiled-in CSV file.
pub(crate) fn csv(text: &'static str) -> (Vec<&'static str>, Vec<Vec<&'static str>>) {
    let mut lines = text.lines().map(|l| l.trim_end_matches('\r'));
    let header = fields(lines.next().expect("bug: empty compiled-in CSV"));
    let rows = lines.filter(|l| !l.is_empty()).map(fields).collect();
    (header, rows)
}

fn int(s: &str) -> i32 {
    s.trim()
        .parse()
        .unwrap_or_else(|_| panic!("bug: bad integer in compiled-in CSV"))
}

/// `"7.1"` -> 71: one decimal place, parsed exactly.
fn tenths(s: &str) -> i32 {
    let (whole, frac) = s.split_once('.').unwrap_or((s, "0"));
    assert!(
        frac.len() == 1,
        "bug: HFRS weight without one decimal place"
    );
    int(whole) * 10 + int(frac)
}

impl Tables {
    fn parse() -> Self {
        let (_, categories) = csv(CATEGORIES_CSV);
        let (_, hierarchy) = csv(HIERARCHY_CSV);
        let charlson = comorbidity_table(
            "charlson",
            &categories,
            &hierarchy,
            CHARLSON_MAP_CSV,
            CHARLSON_WEIGHTS_CSV,
        );
        let elixhauser = comorbidity_table(
            "elixhauser",
            &categories,
            &hierarchy,
            ELIX_MAP_CSV,
            ELIX_WEIGHTS_CSV,
        );

        let (_, hrows) = csv(HFRS_CSV);
        assert!(hrows.len() <= 127, "bug: too many HFRS groups for u128");
        let mut slot_group = vec![0u8; SLOTS].into_boxed_slice();
        let mut groups = Vec::new();
        let mut points = Vec::new();
        for (i, r) in hrows.iter().enumerate() {
            assert!(r[0].len() == 3, "bug: HFRS group is not three characters");
            let slot = slot_of(r[0].as_bytes());
            assert!(slot_group[slot] == 0, "bug: duplicate HFRS group");
            slot_group[slot] = (i + 1) as u8;
            groups.push(r[0]);
            points.push(tenths(r[1]));
        }

        let (_, arows) = csv(CHARLSON_AGE_CSV);
        let age_bands = arows
            .iter()
            .map(|r| AgeBand {
                min: int(r[0]) as u32,
                max: (!r[1].is_empty()).then(|| int(r[1]) as u32),
                points: int(r[2]),
            })
            .collect();

        Self {
            charlson,
            elixhauser,
            hfrs: HfrsTable {
                groups,
                tenths: points,
                slot_group,
            },
            age_bands,
        }
    }

    /// Charlson 1994 age points for an age in whole years.
    pub(crate) fn age_points(&self, age: u32) -> i32 {
        self.age_bands
            .iter()
            .find(|b| age >= b.min && b.max.is_none_or(|m| age <= m))
            .map_or(0, |b| b.points)
    }

    /// [`Tables::age_points`] for many patients: a table of the points of ages 0-127, the
    /// bands searched only beyond.
    pub(crate) fn age_pointer(&self) -> impl Fn(u32) -> i32 + Sync + '_ {
        let table: Vec<i32> = (0..128).map(|a| self.age_points(a)).collect();
        move |age| match table.get(age as usize) {
            Some(&p) => p,
            None => self.age_points(age),
        }
    }
}

fn comorbidity_table(
    instrument: &str,
    categories: &[Vec<&'static str>],
    hierarchy: &[Vec<&'static str>],
    map_csv: &'static str,
    weights_csv: &'static str,
) -> ComorbidityTable {
    let (keys, labels): (Vec<_>, Vec<_>) = categories
        .iter()
        .filter(|r| r[0] == instrument)
        .map(|r| (r[1], r[2]))
        .unzip();
    assert!(
        keys.len() <= 32,
        "bug: too many categories for the u32 index"
    );
    let pos = |k: &str| {
        keys.iter()
            .position(|x| *x == k)
            .unwrap_or_else(|| panic!("bug: unknown {instrument} category `{k}`"))
    };

    let (wheader, wrows) = csv(weights_csv);
    assert!(
        wrows.len() == keys.len(),
        "bug: weights do not cover every category"
    );
    let mut weight_sets: Vec<(&'static str, Vec<i32>)> = wheader[1..]
        .iter()
        .map(|n| (*n, vec![0; keys.len()]))
        .collect();
    for r in &wrows {
        let k = pos(r[0]);
        for (set, w) in weight_sets.iter_mut().zip(&r[1..]) {
            set.1[k] = int(w);
        }
    }

    let (_, mrows) = csv(map_csv);
    let prefixes: Vec<(usize, &'static str)> = mrows.iter().map(|r| (pos(r[0]), r[1])).collect();
    let index = PrefixIndex::build(&prefixes);

    let hierarchy = hierarchy
        .iter()
        .filter(|r| r[0] == instrument)
        .map(|r| (pos(r[1]), pos(r[2])))
        .collect();

    ComorbidityTable {
        keys,
        labels,
        weight_sets,
        hierarchy,
        prefixes,
        index,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> Icd10Code {
        Icd10Code::parse(s).unwrap()
    }

    #[test]
    fn table_sizes_match_sources_md() {
        // Counts from core/data/risk/SOURCES.md: 17 Charlson categories with 289 prefixes,
        // 31 Elixhauser categories with 399 prefixes, 109 HFRS groups summing to 173.2.
        let t = &*TABLES;
        assert_eq!(t.charlson.keys.len(), 17);
        assert_eq!(t.charlson.prefixes.len(), 289);
        assert_eq!(t.elixhauser.keys.len(), 31);
        assert_eq!(t.elixhauser.prefixes.len(), 399);
        assert_eq!(t.hfrs.groups.len(), 109);
        assert_eq!(t.hfrs.tenths.iter().sum::<i32>(), 1732);
        assert_eq!(t.charlson.hierarchy.len(), 3);
        assert_eq!(t.elixhauser.hierarchy.len(), 3);
        assert_eq!(t.age_bands.len(), 5);
        let names: Vec<_> = t.charlson.weight_sets.iter().map(|s| s.0).collect();
        assert_eq!(names, ["charlson1987", "quan2011", "shmi"]);
        assert_eq!(t.elixhauser.weight_sets[0].0, "van_walraven2009");
    }

    #[test]
    fn prefix_counts_per_category() {
        // SOURCES.md section 1: "mi 3, chf 14, pvd 13, cevd 13, dementia 7, cpd 21, rheumd 9,
        // pud 4, mld 19, diab 25, diabwc 25, hp 12, rend 22, canc 83, msld 11, metacanc 4, aids 4".
        let want = [3, 14, 13, 13, 7, 21, 9, 4, 19, 25, 25, 12, 22, 83, 11, 4, 4];
        let t = &TABLES.charlson;
        for (i, n) in want.iter().enumerate() {
            let got = t.prefixes.iter().filter(|p| p.0 == i).count();
            assert_eq!(got, *n, "{}", t.keys[i]);
        }
    }

    #[test]
    fn labels_with_quoted_commas() {
        assert_eq!(
            Instrument::Charlson.label("canc"),
            Some("Any malignancy incl. lymphoma and leukaemia, excl. non-melanoma skin")
        );
        assert_eq!(
            Instrument::Elixhauser.label("hypc"),
            Some("Hypertension, complicated")
        );
    }

    #[test]
    fn every_prefix_finds_its_category() {
        // Each prefix of the mapping tables, used as a code and with a child character added,
        // must hit its own category.
        for t in [&TABLES.charlson, &TABLES.elixhauser] {
            for &(cat, p) in &t.prefixes {
                assert!(t.index.lookup(&code(p)) & (1 << cat) != 0, "{p}");
                let child = format!("{p}9");
                assert!(t.index.lookup(&code(&child)) & (1 << cat) != 0, "{child}");
            }
        }
    }

    #[test]
    fn four_character_prefixes_do_not_leak_to_siblings() {
        // I252 is in Charlson mi; I251 is in no Charlson category (Quan 2005).
        let t = &TABLES.charlson;
        assert_eq!(
            t.index.lookup(&code("I252")),
            1 << t.position("mi").unwrap()
        );
        assert_eq!(t.index.lookup(&code("I251")), 0);
        assert_eq!(t.index.lookup(&code("I25")), 0);
    }

    #[test]
    fn slots_are_distinct() {
        let mut seen = vec![false; SLOTS];
        for a in b'A'..=b'Z' {
            for d in b'0'..=b'9' {
                for c in (b'0'..=b'9').chain(b'A'..=b'Z') {
                    let s = slot_of(&[a, d, c]);
                    assert!(!seen[s]);
                    seen[s] = true;
                }
            }
        }
        assert!(seen.iter().all(|x| *x));
    }

    proptest::proptest! {
        // The shortcut agrees with the full parser wherever it applies.
        #[test]
        fn fast_head_matches_parse(s in "[A-Za-z0-9. *\u{2020}-]{0,9}|[A-Za-z][0-9][0-9A-Za-z](\\.?[0-9A-Za-z]{0,5})") {
            if let Some(h) = CodeHead::fast(&s) {
                let full = Icd10Code::parse(&s);
                proptest::prop_assert!(full.is_ok(), "{s:?}");
                proptest::prop_assert_eq!(CodeHead::of(&full.unwrap()), h);
            }
            let via = CodeHead::parse(&s);
            let full = Icd10Code::parse(&s).map(|c| CodeHead::of(&c)).map_err(|e| e.code());
            proptest::prop_assert_eq!(via, full);
        }
    }

    #[test]
    fn fast_head_cases() {
        for (s, fast) in [
            ("I21", true),
            ("i21.4", true),
            ("I214", true),
            ("S72.001A", true),
            ("W19X", true),
            ("I21.", false),
            (" I21", false),
            ("I21.4*", false),
            ("I2.14", false),
            ("S72.001AB", false),
            ("I21.40001", false),
        ] {
            assert_eq!(CodeHead::fast(s).is_some(), fast, "{s}");
        }
    }

    #[test]
    fn age_points_bands() {
        // charlson_age_points.csv (Charlson 1994): <50 0, 50-59 1, 60-69 2, 70-79 3, 80+ 4.
        let t = &*TABLES;
        for (age, p) in [
            (0, 0),
            (49, 0),
            (50, 1),
            (59, 1),
            (60, 2),
            (69, 2),
            (70, 3),
            (79, 3),
            (80, 4),
            (120, 4),
        ] {
            assert_eq!(t.age_points(age), p, "age {age}");
        }
    }

    /// The byte tables give the bit-by-bit sums: every Charlson category set (all 2^17),
    /// a spread of Elixhauser and HFRS sets, and every weight set.
    #[test]
    fn scorers_match_score() {
        let t = &*TABLES;
        for (_, w) in &t.charlson.weight_sets {
            let fast = t.charlson.scorer(w);
            for m in 0..1u64 << 17 {
                assert_eq!(fast(m), t.charlson.score(w, m), "mask {m:#x}");
            }
        }
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for (_, w) in &t.elixhauser.weight_sets {
            let fast = t.elixhauser.scorer(w);
            for _ in 0..100_000 {
                let m = next() & ((1 << 31) - 1);
                assert_eq!(fast(m), t.elixhauser.score(w, m), "mask {m:#x}");
            }
        }
        let hfrs = t.hfrs.scorer();
        for _ in 0..100_000 {
            let g = (u128::from(next()) << 64 | u128::from(next())) & ((1 << 109) - 1);
            assert_eq!(hfrs.sum(g), t.hfrs.score_tenths(g));
        }
        assert_eq!(hfrs.sum((1 << 109) - 1), 1732);
        let points = t.age_pointer();
        for age in (0..1000).chain([u32::MAX - 1, u32::MAX]) {
            assert_eq!(points(age), t.age_points(age), "age {age}");
        }
    }
}
