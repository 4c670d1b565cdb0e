//! Serde helpers for the chrono and identifier types in events, state and rows.
//!
//! Dates are ISO 8601 `YYYY-MM-DD`; instants are RFC 3339 in UTC with a `Z` and as many
//! fractional digits as needed (readers accept any offset); times of day are `HH:MM`. Error
//! messages name the expected form, never the text that failed (it could be patient data).

use chrono::{DateTime, NaiveDate, NaiveTime, SecondsFormat, Utc, Weekday};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};

fn parse_date<E: serde::de::Error>(s: &str) -> Result<NaiveDate, E> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|_| s.len() == 10)
        .ok_or_else(|| E::custom("expected a date as YYYY-MM-DD"))
}

fn parse_instant<E: serde::de::Error>(s: &str) -> Result<DateTime<Utc>, E> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| E::custom("expected an RFC 3339 date-time such as 2026-04-01T08:30:00Z"))
}

pub(crate) fn fmt_instant(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

pub(crate) mod date {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&d.format("%Y-%m-%d"))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        parse_date(&s)
    }
}

pub(crate) mod opt_date {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.collect_str(&d.format("%Y-%m-%d")),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        match <Option<std::borrow::Cow<'de, str>>>::deserialize(d)? {
            Some(s) => parse_date(&s).map(Some),
            None => Ok(None),
        }
    }
}

pub(crate) mod instant {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&fmt_instant(t))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        parse_instant(&s)
    }
}

#[allow(dead_code)]
pub(crate) mod opt_instant {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        t: &Option<DateTime<Utc>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&fmt_instant(t)),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        match <Option<std::borrow::Cow<'de, str>>>::deserialize(d)? {
            Some(s) => parse_instant(&s).map(Some),
            None => Ok(None),
        }
    }
}

pub(crate) mod time_hm {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&t.format("%H:%M"))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        NaiveTime::parse_from_str(&s, "%H:%M")
            .map_err(|_| D::Error::custom("expected a time of day as HH:MM"))
    }
}

pub(crate) fn weekday_str(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

pub(crate) mod weekdays {
    use super::*;
    use serde::ser::SerializeSeq;

    pub(crate) fn serialize<S: Serializer>(days: &[Weekday], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(days.len()))?;
        for d in days {
            seq.serialize_element(weekday_str(*d))?;
        }
        seq.end()
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Weekday>, D::Error> {
        let names = <Vec<std::borrow::Cow<'de, str>>>::deserialize(d)?;
        names
            .iter()
            .map(|n| match n.as_ref() {
                "mon" => Ok(Weekday::Mon),
                "tue" => Ok(Weekday::Tue),
                "wed" => Ok(Weekday::Wed),
                "thu" => Ok(Weekday::Thu),
                "fri" => Ok(Weekday::Fri),
                "sat" => Ok(Weekday::Sat),
                "sun" => Ok(Weekday::Sun),
                _ => Err(D::Error::custom("expected a weekday: mon, tue, ..., sun")),
            })
            .collect()
    }
}

pub(crate) mod opt_nhs {
    use super::*;
    use crate::ids::NhsNumber;

    pub(crate) fn serialize<S: Serializer>(n: &Option<NhsNumber>, s: S) -> Result<S::Ok, S::Error> {
        match n {
            Some(n) => s.serialize_str(n.as_str()),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<NhsNumber>, D::Error> {
        match <Option<std::borrow::Cow<'de, str>>>::deserialize(d)? {
            // NhsNumberError names the rule broken, never the value.
            Some(s) => NhsNumber::parse(&s).map(Some).map_err(D::Error::custom),
            None => Ok(None),
        }
    }
}

pub(crate) mod opt_snomed {
    use super::*;
    use crate::ids::SnomedId;

    pub(crate) fn serialize<S: Serializer>(n: &Option<SnomedId>, s: S) -> Result<S::Ok, S::Error> {
        match n {
            Some(n) => s.collect_str(n),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<SnomedId>, D::Error> {
        match <Option<std::borrow::Cow<'de, str>>>::deserialize(d)? {
            Some(s) => SnomedId::parse(&s).map(Some).map_err(D::Error::custom),
            None => Ok(None),
        }
    }
}

pub(crate) mod los_convention {
    use super::*;
    use crate::risk::LosConvention;

    pub(crate) fn serialize<S: Serializer>(c: &LosConvention, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(c.as_str())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<LosConvention, D::Error> {
        match <std::borrow::Cow<'de, str>>::deserialize(d)?.as_ref() {
            "midnights" => Ok(LosConvention::Midnights),
            "inclusive_days" => Ok(LosConvention::InclusiveDays),
            _ => Err(D::Error::custom("expected `midnights` or `inclusive_days`")),
        }
    }
}

pub(crate) mod opt_region {
    use super::*;
    use crate::calendar::Region;

    pub(crate) fn serialize<S: Serializer>(r: &Option<Region>, s: S) -> Result<S::Ok, S::Error> {
        match r {
            Some(r) => s.serialize_str(r.as_str()),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Region>, D::Error> {
        match <Option<std::borrow::Cow<'de, str>>>::deserialize(d)? {
            None => Ok(None),
            Some(s) => Region::ALL
                .into_iter()
                .find(|r| r.as_str() == s)
                .map(Some)
                .ok_or_else(|| {
                    D::Error::custom(
                        "expected a region: england-and-wales, scotland or northern-ireland",
                    )
                }),
        }
    }
}

/// A map keyed by date, written with `YYYY-MM-DD` keys.
pub(crate) mod date_map {
    use super::*;
    use serde::ser::SerializeMap;
    use serde::Serialize;
    use std::collections::BTreeMap;

    pub(crate) fn serialize<S: Serializer, V: Serialize>(
        m: &BTreeMap<NaiveDate, V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(m.len()))?;
        for (k, v) in m {
            map.serialize_entry(&k.format("%Y-%m-%d").to_string(), v)?;
        }
        map.end()
    }
}
