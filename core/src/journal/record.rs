//! Encoding and decoding of the header line and of record lines (format v1).
//!
//! A record line is `{"seq":N,"at":"<RFC 3339>","who":"<id>","event":<JSON>` (the *body*)
//! followed by the 18-byte suffix `,"crc":"xxxxxxxx"}` and `\n`, where `xxxxxxxx` is the
//! CRC-32 (IEEE) of the body in lowercase hex. The line as a whole is a JSON object.

use std::cell::Cell;
use std::fmt;
use std::io::{self, BufRead, Read, Write};
use std::marker::PhantomData;

use chrono::{DateTime, Datelike, SecondsFormat, Utc};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::MAX_RECORD_LEN;
use super::{CorruptReason, Envelope, Header, JournalError, FORMAT_NAME, FORMAT_VERSION};

/// The header line starts with these bytes in every version (the writer's field order).
const HEADER_PREFIX: &[u8] = br#"{"format":"carecoord.journal","version":"#;
/// Longest header line read.
pub(crate) const MAX_HEADER_LEN: usize = 64 * 1024;
/// `,"crc":"` + 8 hex digits + `"}`.
const SUFFIX_LEN: usize = 18;
const CRC_TAG: &[u8] = br#","crc":""#;
const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends the header line for `schema` to `buf`.
pub(crate) fn encode_header(buf: &mut Vec<u8>, schema: &str) {
    buf.extend_from_slice(HEADER_PREFIX);
    // Writing into a Vec cannot fail.
    let _ = write!(buf, "{FORMAT_VERSION}");
    buf.extend_from_slice(br#","schema":"#);
    let _ = serde_json::to_writer(&mut *buf, schema);
    buf.extend_from_slice(b"}\n");
}

/// Whether `bytes` (a first line without its newline) looks like a header cut short.
pub(crate) fn is_torn_header(bytes: &[u8]) -> bool {
    if bytes.len() <= HEADER_PREFIX.len() {
        HEADER_PREFIX.starts_with(bytes)
    } else {
        bytes.starts_with(HEADER_PREFIX)
    }
}

#[derive(Deserialize)]
struct RawHeader {
    format: Option<String>,
    version: Option<u64>,
    schema: Option<String>,
}

/// Parses a complete header line (without its newline).
pub(crate) fn parse_header(line: &[u8]) -> Result<Header, JournalError> {
    let raw: RawHeader = serde_json::from_slice(line).map_err(|_| JournalError::NotAJournal {
        reason: "the first line is not a JSON header object",
    })?;
    if raw.format.as_deref() != Some(FORMAT_NAME) {
        return Err(JournalError::NotAJournal {
            reason: "the header's `format` is not `carecoord.journal`",
        });
    }
    let version = raw.version.ok_or(JournalError::NotAJournal {
        reason: "the header has no `version`",
    })?;
    if version != u64::from(FORMAT_VERSION) {
        return Err(JournalError::UnsupportedVersion { found: version });
    }
    Ok(Header {
        version: FORMAT_VERSION,
        schema: raw.schema.unwrap_or_default(),
    })
}

/// Appends one record line to `buf`. On error `buf` may hold part of the record.
///
/// The error is `(field, reason)` for [`JournalError::InvalidEvent`].
pub(crate) fn encode_record<E: Serialize + ?Sized>(
    buf: &mut Vec<u8>,
    seq: u64,
    who: &str,
    at: DateTime<Utc>,
    event: &E,
) -> Result<(), (&'static str, &'static str)> {
    if who.is_empty() {
        return Err(("who", "must not be empty"));
    }
    if !(0..=9999).contains(&at.year()) {
        return Err(("at", "year must be between 0000 and 9999 (RFC 3339)"));
    }
    let start = buf.len();
    buf.extend_from_slice(br#"{"seq":"#);
    // Writing into a Vec cannot fail.
    let _ = write!(buf, "{seq}");
    buf.extend_from_slice(br#","at":""#);
    buf.extend_from_slice(at.to_rfc3339_opts(SecondsFormat::AutoSi, true).as_bytes());
    buf.extend_from_slice(br#"","who":"#);
    serde_json::to_writer(&mut *buf, who).map_err(|_| ("who", "could not be written"))?;
    buf.extend_from_slice(br#","event":"#);
    let event_start = buf.len();
    serde_json::to_writer(&mut *buf, event).map_err(|_| ("event", "could not be serialized"))?;
    if buf[event_start..].contains(&b'\n') {
        return Err(("event", "serialized to JSON with a raw newline"));
    }
    let crc = crc32fast::hash(&buf[start..]);
    buf.extend_from_slice(CRC_TAG);
    for shift in (0..8).rev() {
        buf.push(HEX[((crc >> (shift * 4)) & 0xf) as usize]);
    }
    buf.extend_from_slice(b"\"}\n");
    if buf.len() - start > MAX_RECORD_LEN {
        return Err(("event", "record is longer than MAX_RECORD_LEN"));
    }
    Ok(())
}

/// Checks the suffix and checksum of a record line (without its newline).
pub(crate) fn check_frame(line: &[u8]) -> Result<(), CorruptReason> {
    if line.len() < SUFFIX_LEN + 2 || line[0] != b'{' {
        return Err(CorruptReason::Framing);
    }
    let (body, suffix) = line.split_at(line.len() - SUFFIX_LEN);
    if !suffix.starts_with(CRC_TAG) || !suffix.ends_with(b"\"}") {
        return Err(CorruptReason::Framing);
    }
    let mut stored = 0u32;
    for &b in &suffix[CRC_TAG.len()..CRC_TAG.len() + 8] {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => return Err(CorruptReason::Framing),
        };
        stored = (stored << 4) | u32::from(digit);
    }
    if crc32fast::hash(body) == stored {
        Ok(())
    } else {
        Err(CorruptReason::Checksum)
    }
}

/// Decodes a record line whose frame has been checked.
pub(crate) fn decode_record<E: de::DeserializeOwned>(
    line: &[u8],
) -> Result<Envelope<E>, CorruptReason> {
    let field = Cell::new("record");
    let mut de = serde_json::Deserializer::from_slice(line);
    let decoded = RecordSeed::<E> {
        field: &field,
        _event: PhantomData,
    }
    .deserialize(&mut de)
    .and_then(|rec| de.end().map(|()| rec));
    decoded.map_err(|e| CorruptReason::Decode {
        field: field.get(),
        column: e.column(),
    })
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum Field {
    Seq,
    At,
    Who,
    Event,
    #[serde(other)]
    Other,
}

/// Deserializes a record, noting in `field` which field it was decoding when it failed, so
/// the error can name it without repeating serde's message (which may quote the payload).
struct RecordSeed<'a, E> {
    field: &'a Cell<&'static str>,
    _event: PhantomData<fn() -> E>,
}

impl<'de, E: Deserialize<'de>> DeserializeSeed<'de> for RecordSeed<'_, E> {
    type Value = Envelope<E>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, E: Deserialize<'de>> Visitor<'de> for RecordSeed<'_, E> {
    type Value = Envelope<E>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a journal record object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut seq, mut at, mut who, mut event) = (None, None, None, None);
        loop {
            self.field.set("record");
            let Some(key) = map.next_key::<Field>()? else {
                break;
            };
            match key {
                Field::Seq => {
                    self.field.set("seq");
                    if seq.is_some() {
                        return Err(de::Error::duplicate_field("seq"));
                    }
                    seq = Some(map.next_value::<u64>()?);
                }
                Field::At => {
                    self.field.set("at");
                    if at.is_some() {
                        return Err(de::Error::duplicate_field("at"));
                    }
                    let text: &'de str = map.next_value()?;
                    let instant = DateTime::parse_from_rfc3339(text)
                        .map_err(|_| de::Error::custom("invalid RFC 3339 timestamp"))?;
                    at = Some(instant.with_timezone(&Utc));
                }
                Field::Who => {
                    self.field.set("who");
                    if who.is_some() {
                        return Err(de::Error::duplicate_field("who"));
                    }
                    who = Some(map.next_value::<String>()?);
                }
                Field::Event => {
                    self.field.set("event");
                    if event.is_some() {
                        return Err(de::Error::duplicate_field("event"));
                    }
                    event = Some(map.next_value::<E>()?);
                }
                Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let missing = |name: &'static str| {
            self.field.set(name);
            de::Error::missing_field(name)
        };
        Ok(Envelope {
            seq: seq.ok_or_else(|| missing("seq"))?,
            at: at.ok_or_else(|| missing("at"))?,
            who: who.ok_or_else(|| missing("who"))?,
            event: event.ok_or_else(|| missing("event"))?,
        })
    }
}

/// One line read from the file.
pub(crate) struct Line {
    /// Bytes consumed, newline included.
    pub len: u64,
    /// Whether it ended with `\n` (else it runs to the end of the file).
    pub complete: bool,
    /// Whether it was longer than the limit (then `buf` holds only its start).
    pub overflow: bool,
}

/// Reads one line into `buf` (cleared first), keeping at most `limit` bytes of it and
/// skipping the rest of an overlong line.
pub(crate) fn read_line<R: BufRead>(
    src: &mut R,
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<Line> {
    buf.clear();
    let n = src.by_ref().take(limit as u64).read_until(b'\n', buf)?;
    if buf.last() == Some(&b'\n') {
        return Ok(Line {
            len: n as u64,
            complete: true,
            overflow: false,
        });
    }
    if n < limit {
        return Ok(Line {
            len: n as u64,
            complete: false,
            overflow: false,
        });
    }
    // Overlong: skip to the end of the line without keeping it.
    let mut len = n as u64;
    loop {
        let chunk = match src.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(Line {
                len,
                complete: false,
                overflow: true,
            });
        }
        match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => {
                src.consume(i + 1);
                len += i as u64 + 1;
                return Ok(Line {
                    len,
                    complete: true,
                    overflow: true,
                });
            }
            None => {
                let n = chunk.len();
                src.consume(n);
                len += n as u64;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn line(seq: u64, event: &str) -> Vec<u8> {
        let mut buf = Vec::new();
        let at = Utc.with_ymd_and_hms(2026, 3, 29, 1, 30, 0).unwrap();
        encode_record(&mut buf, seq, "staff-7", at, &event).unwrap();
        buf
    }

    #[test]
    fn checksum_is_crc32_ieee() {
        // The standard check value of CRC-32/ISO-HDLC (zlib, gzip, PNG).
        assert_eq!(crc32fast::hash(b"123456789"), 0xcbf4_3926);
        let body = br#"{"seq":1,"at":"2026-03-29T01:30:00Z","who":"staff-7","event":"referral""#;
        assert_eq!(crc32fast::hash(body), 0x7341_dcd3);
    }

    #[test]
    fn record_bytes_are_exactly_the_documented_form() {
        // The checksum was computed independently with Python's zlib.crc32 over the body
        // `{"seq":1,"at":"2026-03-29T01:30:00Z","who":"staff-7","event":"referral"` (no
        // closing brace: the body stops where `,"crc":` starts).
        let got = line(1, "referral");
        let text = std::str::from_utf8(&got).unwrap();
        assert_eq!(
            text,
            "{\"seq\":1,\"at\":\"2026-03-29T01:30:00Z\",\"who\":\"staff-7\",\
             \"event\":\"referral\",\"crc\":\"7341dcd3\"}\n"
        );
        assert_eq!(check_frame(&got[..got.len() - 1]), Ok(()));
        let env: Envelope<String> = decode_record(&got[..got.len() - 1]).unwrap();
        assert_eq!(env.seq, 1);
        assert_eq!(env.who, "staff-7");
        assert_eq!(env.event, "referral");
    }

    #[test]
    fn header_is_exactly_the_documented_form() {
        let mut buf = Vec::new();
        encode_header(&mut buf, "carecoord.caseload.v1");
        assert_eq!(
            buf,
            b"{\"format\":\"carecoord.journal\",\"version\":1,\
              \"schema\":\"carecoord.caseload.v1\"}\n"
        );
        let h = parse_header(&buf[..buf.len() - 1]).unwrap();
        assert_eq!(h.schema, "carecoord.caseload.v1");
        assert!(is_torn_header(&buf[..5]));
        assert!(is_torn_header(&buf[..buf.len() - 1]));
        assert!(!is_torn_header(b"{\"format\":\"other"));
    }

    #[test]
    fn decode_errors_name_the_field_not_the_value() {
        // Well framed (checksum recomputed) but the payload is not a u32.
        let l = line(1, "Ada Lovelace");
        let err = decode_record::<u32>(&l[..l.len() - 1]).unwrap_err();
        assert!(matches!(err, CorruptReason::Decode { field: "event", .. }));
        assert!(!err.to_string().contains("Ada"));
    }

    #[test]
    fn overlong_lines_are_skipped_not_kept() {
        let mut data = vec![b'x'; 100];
        data.push(b'\n');
        data.extend_from_slice(b"ok\n");
        let mut src = io::BufReader::with_capacity(16, &data[..]);
        let mut buf = Vec::new();
        let l = read_line(&mut src, &mut buf, 10).unwrap();
        assert_eq!((l.len, l.complete, l.overflow), (101, true, true));
        assert!(buf.len() <= 10);
        let l = read_line(&mut src, &mut buf, 10).unwrap();
        assert_eq!((l.len, l.complete, l.overflow), (3, true, false));
        assert_eq!(buf, b"ok\n");
    }
}
