//! The grouped fold for input in any order, by scattering rows into cache-sized partitions.
//!
//! [`LongTable::fold_grouped`] tries this first. Each chunk of rows is read once, in
//! parallel: its ids become fixed-width words (an integer id mixed by a bijection, a `Utf8`
//! id of up to 15 bytes packed with its length, so equal words are equal ids), its codes are
//! parsed through the memo and its row checks made, and every row with an id is written as
//! an [`Entry`] (word, row number, parsed value) into one of [`PARTS`] partitions chosen by
//! the top bits of the word's hash. Each partition then holds all the rows of its patients,
//! in row order, and is folded on its own thread with a table of a few thousand patients
//! (it stays in the core's cache, where one table over the whole input would miss on nearly
//! every row). Patients are numbered by their first row through a bitmap of first rows and
//! its running counts, and laid out a chunk per task: a chunk's part holds the patients whose
//! first row is in it. A patient's age is read at its first row when that row's chunk has no
//! null or negative age, else row by row while folding, as the walk does.
//!
//! Input of more than [`ROUND_CHUNKS`] chunks is scattered and folded in rounds that reuse
//! the chunk buffers, so the copy of the rows is bounded (256 MiB with integer ids).
//!
//! Ids that do not fit a word (a `Utf8` id longer than 15 bytes, other string types) and
//! inputs of 2^31 rows or more fall back to [`LongTable::fold_grouped_by_rows`], which
//! compares the ids themselves.

use std::sync::atomic::{AtomicU64, Ordering};

use arrow_schema::DataType;
use rayon::prelude::*;

use super::{
    age_of, fmix64, pack8, row_code, Field, FoldCodes, FoldKeys, FoldPart, Folded, LongTable,
    ParseCache, PrimKeys, Reject, RowAt, RowCode, RowCounts, StrCol, Utf8Keys, Walk,
};

/// Bits of the hash that choose a partition.
const PART_BITS: u32 = 8;

/// Partitions: a million patients in ten million rows give each about 4,000 patients and
/// 40,000 rows, so a partition's table, accumulators and first rows fit in a core's 1 MiB
/// of L2 cache.
const PARTS: usize = 1 << PART_BITS;

/// Chunks scattered, then folded, per round: 256 chunks of 64Ki rows (at most 256 MiB of
/// entries with integer ids), reused from round to round, which bounds the memory of a big
/// input. Fewer rows per round measured slower: every round reloads every partition's table
/// (about 30 MiB in all for a million patients) from memory.
#[cfg(not(test))]
const ROUND_CHUNKS: usize = 256;
/// Two chunks per round in unit tests, so that their inputs take several rounds.
#[cfg(test)]
const ROUND_CHUNKS: usize = 2;

/// Set in [`Entry::row`] when the row registers its patient but adds nothing (rejected or
/// outside the window).
const NO_ADD: u32 = 1 << 31;

/// An id that does not fit a word.
pub(super) struct LongId;

/// Patient ids read as fixed-width words: equal words exactly when the ids are equal.
pub(super) trait WordKeys<'b>: Sync {
    type Word: Copy + Eq + Default + Send + Sync;
    /// The word of the id on row `i`: `Ok(None)` when the id is null.
    fn word(&self, i: usize) -> Result<Option<Self::Word>, LongId>;
    /// A well-mixed hash of a word.
    fn hash(w: Self::Word) -> u64;
}

/// Integer ids: the `fmix64` bijection of the id is both the word and its hash.
impl<'b, T: Copy + Into<i64> + Sync> WordKeys<'b> for PrimKeys<'b, T> {
    type Word = u64;

    #[inline(always)]
    fn word(&self, i: usize) -> Result<Option<u64>, LongId> {
        Ok(self.key(i).map(|k| fmix64(k as u64)))
    }

    #[inline(always)]
    fn hash(w: u64) -> u64 {
        w
    }
}

/// `Utf8` ids of up to 15 bytes: the bytes zero padded, the length in the last byte.
impl<'b> WordKeys<'b> for Utf8Keys<'b> {
    type Word = [u64; 2];

    #[inline(always)]
    fn word(&self, i: usize) -> Result<Option<[u64; 2]>, LongId> {
        if self.nulls.is_some_and(|n| n.is_null(i)) {
            return Ok(None);
        }
        let (s, e) = (self.offsets[i] as usize, self.offsets[i + 1] as usize);
        let len = e.saturating_sub(s);
        if len > 15 {
            return Err(LongId);
        }
        let lo = pack8(self.values, s, len.min(8));
        let hi = if len > 8 {
            pack8(self.values, s + 8, len - 8)
        } else {
            0
        };
        Ok(Some([lo, hi | (len as u64) << 56]))
    }

    #[inline(always)]
    fn hash(w: [u64; 2]) -> u64 {
        fmix64(w[0] ^ fmix64(w[1]))
    }
}

/// One row with an id, as its partition holds it.
#[derive(Clone, Copy, Default)]
struct Entry<W, C> {
    word: W,
    /// Global row number, [`NO_ADD`] set when the row adds nothing.
    row: u32,
    value: C,
}

/// One chunk's rows, by partition: a buffer reused from round to round, with its own code
/// memo.
struct Scattered<W, C> {
    cache: ParseCache<C>,
    /// The chunk's batch.
    batch: usize,
    /// The first `starts[PARTS]` are this chunk's (the rest are left from a bigger one).
    entries: Vec<Entry<W, C>>,
    /// `entries[starts[p]..starts[p + 1]]` are partition `p`'s, in row order.
    starts: Vec<u32>,
    rejects: Vec<Reject>,
    scored: usize,
    excluded: usize,
    /// The chunk has a null or negative age: ages are checked row by row.
    dirty_ages: bool,
}

impl<W: Copy + Default, C: Copy + Default> Scattered<W, C> {
    fn new() -> Self {
        Self {
            cache: ParseCache::new(),
            batch: 0,
            entries: Vec::new(),
            starts: vec![0; PARTS + 1],
            rejects: Vec::new(),
            scored: 0,
            excluded: 0,
            dirty_ages: false,
        }
    }

    /// Partition `p`'s entries.
    #[inline]
    fn part(&self, p: usize) -> &[Entry<W, C>] {
        &self.entries[self.starts[p] as usize..self.starts[p + 1] as usize]
    }
}

/// A patient's first non-negative age while its partition is folded.
#[derive(Clone, Copy)]
enum AgeAt {
    /// On its first row, which is in a chunk with no null or negative age: read when the
    /// patients are laid out into that chunk's part.
    First,
    Known(u32),
    /// None seen yet.
    Missing,
}

/// One partition's patients in order of first appearance, carried across rounds.
struct Groups<W, A> {
    table: WordTable<W>,
    firsts: Vec<u32>,
    acc: Vec<A>,
    ages: Vec<AgeAt>,
}

/// Open addressing with linear probing, load factor at most one half. Slots hold only the
/// local patient number (4 bytes); the words are kept densely by patient, so a
/// partition's table and words take about 12 bytes per slot-and-patient and stay in cache.
struct WordTable<W> {
    /// Local patient per slot, [`WordTable::EMPTY`] for none.
    slots: Vec<u32>,
    mask: usize,
    /// The word of each local patient.
    words: Vec<W>,
}

impl<W: Copy + Eq> WordTable<W> {
    const EMPTY: u32 = u32::MAX;

    fn with_capacity(n: usize) -> Self {
        let cap = (n * 2).next_power_of_two().max(64);
        Self {
            slots: vec![Self::EMPTY; cap],
            mask: cap - 1,
            words: Vec::with_capacity(n),
        }
    }

    /// `(local patient, inserted)`; a new patient gets the next number.
    #[inline(always)]
    fn find_or_insert(&mut self, w: W, hash: u64, rehash: fn(W) -> u64) -> (u32, bool) {
        let mut j = hash as usize & self.mask;
        loop {
            let idx = self.slots[j];
            if idx == Self::EMPTY {
                break;
            }
            if self.words[idx as usize] == w {
                return (idx, false);
            }
            j = (j + 1) & self.mask;
        }
        let next = self.words.len() as u32;
        self.slots[j] = next;
        self.words.push(w);
        if self.words.len() * 2 > self.slots.len() {
            self.grow(rehash);
        }
        (next, true)
    }

    #[cold]
    fn grow(&mut self, rehash: fn(W) -> u64) {
        let cap = self.slots.len() * 2;
        self.slots = vec![Self::EMPTY; cap];
        self.mask = cap - 1;
        for (idx, &w) in self.words.iter().enumerate() {
            let mut j = rehash(w) as usize & self.mask;
            while self.slots[j] != Self::EMPTY {
                j = (j + 1) & self.mask;
            }
            self.slots[j] = idx as u32;
        }
    }
}

impl<'b> LongTable<'b> {
    /// [`LongTable::fold_grouped`] by scattering (see the module docs), or `None` when an id
    /// does not fit a word, the ids are not `Int32`, `Int64` or `Utf8`, or there are 2^31
    /// rows or more.
    pub(super) fn fold_scattered<C, A>(
        &self,
        parse: &(impl Fn(&'b str) -> Result<C, &'static str> + Sync),
        add: &(impl Fn(&mut A, C) + Sync),
    ) -> Option<Folded<A>>
    where
        C: Copy + Default + Send + Sync,
        A: Copy + Default + Send + Sync,
    {
        if self.rows >= NO_ADD as usize {
            return None;
        }
        match self.patient_type {
            DataType::Int32 => self.scatter_codes(&self.int32_keys()?, parse, add),
            DataType::Int64 => self.scatter_codes(&self.int64_keys()?, parse, add),
            DataType::Utf8 => self.scatter_codes(&self.utf8_keys()?, parse, add),
            _ => None,
        }
    }

    /// [`LongTable::fold_scattered`] with the patient column resolved: resolve the code
    /// column.
    fn scatter_codes<K: WordKeys<'b>, C, A>(
        &self,
        keys: &[K],
        parse: &(impl Fn(&'b str) -> Result<C, &'static str> + Sync),
        add: &(impl Fn(&mut A, C) + Sync),
    ) -> Option<Folded<A>>
    where
        C: Copy + Default + Send + Sync,
        A: Copy + Default + Send + Sync,
    {
        match self.utf8_codes() {
            Some(codes) => self.scatter_fold(keys, &codes, parse, add),
            None => {
                let codes: Vec<StrCol<'b>> = self.batches.iter().map(|c| c.code).collect();
                self.scatter_fold(keys, &codes, parse, add)
            }
        }
    }

    fn scatter_fold<K: WordKeys<'b>, S: FoldCodes<'b>, C, A>(
        &self,
        keys: &[K],
        codes: &[S],
        parse: &(impl Fn(&'b str) -> Result<C, &'static str> + Sync),
        add: &(impl Fn(&mut A, C) + Sync),
    ) -> Option<Folded<A>>
    where
        C: Copy + Default + Send + Sync,
        A: Copy + Default + Send + Sync,
    {
        let with_age = self.has_age();
        let ranges = self.chunk_ranges();
        let mut bufs: Vec<Scattered<K::Word, C>> = (0..ROUND_CHUNKS.min(ranges.len()))
            .map(|_| Scattered::new())
            .collect();
        let mut groups: Vec<Groups<K::Word, A>> = (0..PARTS)
            .map(|_| Groups {
                table: WordTable::with_capacity(self.rows / (PARTS * 16)),
                firsts: Vec::new(),
                acc: Vec::new(),
                ages: Vec::new(),
            })
            .collect();
        let bits: Vec<AtomicU64> = (0..self.rows.div_ceil(64))
            .map(|_| AtomicU64::new(0))
            .collect();
        let mut rejects: Vec<Reject> = Vec::new();
        let (mut scored, mut excluded) = (0usize, 0usize);
        for round in ranges.chunks(ROUND_CHUNKS) {
            let bufs = &mut bufs[..round.len()];
            let fits = bufs
                .par_iter_mut()
                .zip(round)
                .map(|(s, &(b, start, end))| {
                    self.scatter_chunk(s, &keys[b], &codes[b], (b, start, end), parse)
                })
                .collect::<Vec<bool>>();
            if fits.contains(&false) {
                return None;
            }
            for s in bufs.iter() {
                // Chunks are in row order and each keeps its rejects in row order.
                rejects.extend_from_slice(&s.rejects);
                scored += s.scored;
                excluded += s.excluded;
            }
            // Fold each partition on its own; mark every patient's first row.
            let bufs = &*bufs;
            groups.par_iter_mut().enumerate().for_each(|(p, g)| {
                for s in bufs {
                    let offset = self.offsets[s.batch];
                    let age_at = |row: u32| {
                        let at = RowAt {
                            row: u64::from(row),
                            batch: s.batch as u32,
                            index: (u64::from(row) - offset) as u32,
                        };
                        match self.age(at) {
                            Some(a) if a >= 0 => AgeAt::Known(age_of(a)),
                            _ => AgeAt::Missing,
                        }
                    };
                    for e in s.part(p) {
                        let (l, new) = g.table.find_or_insert(e.word, K::hash(e.word), K::hash);
                        let row = e.row & !NO_ADD;
                        let l = l as usize;
                        if new {
                            g.firsts.push(row);
                            g.acc.push(A::default());
                            bits[row as usize >> 6].fetch_or(1 << (row & 63), Ordering::Relaxed);
                            if with_age {
                                g.ages.push(if s.dirty_ages {
                                    age_at(row)
                                } else {
                                    AgeAt::First
                                });
                            }
                        } else if with_age && matches!(g.ages[l], AgeAt::Missing) {
                            g.ages[l] = age_at(row);
                        }
                        if e.row & NO_ADD == 0 {
                            add(&mut g.acc[l], e.value);
                        }
                    }
                }
            });
        }
        drop(bufs);

        // A patient's number is the number of first rows before its own.
        let words: Vec<u64> = bits.into_iter().map(AtomicU64::into_inner).collect();
        let mut before = Vec::with_capacity(words.len() + 1);
        let mut patients = 0u32;
        for w in &words {
            before.push(patients);
            patients += w.count_ones();
        }
        before.push(patients);
        let rank = |r: usize| {
            let w = r >> 6;
            let low = words.get(w).map_or(0, |&x| x & ((1u64 << (r & 63)) - 1));
            (before[w] + low.count_ones()) as usize
        };
        // The parts are the chunks: a part holds the patients whose first row is in its
        // chunk, gathered from every partition (each partition's first rows are in order).
        let mut parts: Vec<FoldPart<A>> = ranges
            .par_iter()
            .map(|&(b, start, end)| {
                let o = self.offsets[b] as usize;
                let (r0, r1) = ((o + start) as u32, (o + end) as u32);
                let k0 = rank(r0 as usize);
                let n = rank(r1 as usize) - k0;
                let mut part = FoldPart {
                    batch: b as u32,
                    offset: self.offsets[b],
                    skip: 0,
                    firsts: vec![0; n],
                    acc: vec![A::default(); n],
                    ages: Vec::new(),
                };
                if with_age {
                    part.ages = vec![None; n];
                }
                let age_col = self.batches[b].age;
                for g in &groups {
                    let lo = g.firsts.partition_point(|&f| f < r0);
                    let hi = lo + g.firsts[lo..].partition_point(|&f| f < r1);
                    for l in lo..hi {
                        let r = g.firsts[l];
                        let k = rank(r as usize) - k0;
                        let i = r - o as u32;
                        part.firsts[k] = i;
                        part.acc[k] = g.acc[l];
                        if with_age {
                            part.ages[k] = match g.ages[l] {
                                AgeAt::First => age_col.and_then(|c| c.get(i as usize)).map(age_of),
                                AgeAt::Known(a) => Some(a),
                                AgeAt::Missing => None,
                            };
                        }
                    }
                }
                part
            })
            .collect();
        drop(groups);
        parts.retain(|p| !p.firsts.is_empty());
        Some(Folded {
            walk: Walk {
                patients: Vec::new(),
                counts: RowCounts {
                    rows_in: self.rows,
                    rows_scored: scored,
                    rows_excluded: excluded,
                    rows_rejected: rejects.len(),
                    patients: patients as usize,
                },
                rejects,
            },
            parts,
        })
    }

    /// Phase one for the rows `start..end` of batch `b`: words, row checks and parsed codes,
    /// written into `s` by partition; `false` when an id does not fit a word.
    fn scatter_chunk<K: WordKeys<'b>, S: FoldCodes<'b>, C: Copy + Default>(
        &self,
        s: &mut Scattered<K::Word, C>,
        keys: &K,
        codes: &S,
        (b, start, end): (usize, usize, usize),
        parse: &impl Fn(&'b str) -> Result<C, &'static str>,
    ) -> bool {
        let part = |w: K::Word| (K::hash(w) >> (64 - PART_BITS)) as usize;
        s.starts.fill(0);
        for i in start..end {
            match keys.word(i) {
                Ok(Some(w)) => s.starts[part(w) + 1] += 1,
                Ok(None) => {}
                Err(LongId) => return false,
            }
        }
        for p in 0..PARTS {
            s.starts[p + 1] += s.starts[p];
        }
        let rows = s.starts[PARTS] as usize;
        if s.entries.len() < rows {
            s.entries.resize(rows, Entry::default());
        }
        let mut next = s.starts.clone();
        s.batch = b;
        s.rejects.clear();
        (s.scored, s.excluded) = (0, 0);
        let cols = &self.batches[b];
        let offset = self.offsets[b];
        let window = self.window.zip(cols.date);
        let age_col = cols.age.filter(|_| self.has_age());
        let ages_clean = age_col.is_none_or(|a| a.clean(start, end));
        s.dirty_ages = !ages_clean;
        let rejects = &mut s.rejects;
        let mut reject = |i: usize, field, reason| {
            let at = RowAt {
                row: offset + i as u64,
                batch: b as u32,
                index: i as u32,
            };
            rejects.push(Reject { at, field, reason });
        };
        for i in start..end {
            let Ok(Some(word)) = keys.word(i) else {
                reject(i, Field::Patient, "null_patient");
                continue;
            };
            let row = (offset + i as u64) as u32;
            let slot = &mut next[part(word)];
            let e = &mut s.entries[*slot as usize];
            *slot += 1;
            *e = Entry {
                word,
                row: row | NO_ADD,
                value: C::default(),
            };
            if !ages_clean && age_col.and_then(|a| a.get(i)).is_some_and(|a| a < 0) {
                reject(i, Field::Age, "negative_age");
                continue;
            }
            match row_code(&mut s.cache, codes, window, i, parse) {
                RowCode::Value(value) => {
                    s.scored += 1;
                    e.row = row;
                    e.value = value;
                }
                RowCode::Excluded => s.excluded += 1,
                RowCode::Reject(field, reason) => reject(i, field, reason),
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Int64Array, StringArray};

    /// Words are equal exactly when the ids are: NUL padding, lengths 0 to 15, the eighth
    /// and ninth bytes; longer ids do not fit and null ids have no word.
    #[test]
    fn words_compare_like_ids() {
        let ids = [
            "",
            "\0",
            "a",
            "a\0",
            "ab",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefghi",
            "abcdefghj",
            "9434765919",
            "9434765918",
            "abcdefghijklmno",
            "abcdefghijklmnp",
            "é",
        ];
        let arr = StringArray::from(ids.to_vec());
        let keys = Utf8Keys::of(&arr);
        let words: Vec<[u64; 2]> = (0..ids.len())
            .map(|i| keys.word(i).ok().flatten().unwrap())
            .collect();
        for (a, wa) in ids.iter().zip(&words) {
            for (b, wb) in ids.iter().zip(&words) {
                assert_eq!(wa == wb, a == b, "{a:?} {b:?}");
            }
        }
        let odd = StringArray::from(vec![Some("abcdefghijklmnop"), None]);
        let keys = Utf8Keys::of(&odd);
        assert!(keys.word(0).is_err(), "16 bytes");
        assert!(matches!(keys.word(1), Ok(None)));

        let ints = Int64Array::from(vec![Some(i64::MIN), Some(-1), Some(0), Some(1), None]);
        let keys = PrimKeys::of(&ints);
        let w: Vec<Option<u64>> = (0..5).map(|i| keys.word(i).ok().flatten()).collect();
        assert_eq!(w[4], None);
        for i in 0..4 {
            for j in 0..4 {
                assert_eq!(w[i] == w[j], i == j);
            }
        }
    }

    /// The table finds what it inserted, numbers patients in order and keeps them across
    /// growth from its smallest size.
    #[test]
    fn word_table_grows() {
        let mut t = WordTable::<u64>::with_capacity(0);
        let n = 10_000u64;
        for k in 0..n {
            assert_eq!(
                t.find_or_insert(k * 7, fmix64(k * 7), fmix64),
                (k as u32, true)
            );
        }
        for k in 0..n {
            assert_eq!(
                t.find_or_insert(k * 7, fmix64(k * 7), fmix64),
                (k as u32, false)
            );
        }
        assert!(t.slots.len() >= 2 * n as usize);
    }
}
