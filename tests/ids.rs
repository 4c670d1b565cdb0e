//! Identifiers: Rust API, Arrow batch and C ABI give the fixture's answers.

use arrow_array::{Array, StringArray};
use carecoord::ids::{batch, Icd10Code, NhsNumber, SnomedId};

struct Case {
    kind: String,
    input: String,
    valid: bool,
    reason: String,
    canonical: String,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(crate::data("ids_cases.csv")).expect("fixture");
    text.lines()
        .skip(1)
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), 5, "fixture line {l:?}");
            Case {
                kind: f[0].into(),
                input: f[1].into(),
                valid: f[2] == "true",
                reason: f[3].into(),
                canonical: f[4].into(),
            }
        })
        .collect()
}

/// The scalar Rust API: validity, reason code and canonical form.
fn rust_answer(c: &Case) -> (bool, String, String) {
    match c.kind.as_str() {
        "nhs_number" => match NhsNumber::parse(&c.input) {
            Ok(n) => (true, String::new(), n.as_str().to_owned()),
            Err(e) => (false, e.code().to_owned(), String::new()),
        },
        "snomed" => match SnomedId::parse(&c.input) {
            Ok(n) => (true, String::new(), n.to_string()),
            Err(e) => (false, e.code().to_owned(), String::new()),
        },
        "icd10" => match Icd10Code::parse(&c.input) {
            Ok(n) => (true, String::new(), n.as_str().to_owned()),
            Err(e) => (false, e.code().to_owned(), String::new()),
        },
        other => panic!("unknown kind {other}"),
    }
}

#[test]
fn rust_scalar_matches_fixture() {
    let cases = cases();
    assert!(cases.len() >= 30);
    for c in &cases {
        let (valid, reason, canonical) = rust_answer(c);
        assert_eq!(valid, c.valid, "{} {:?}", c.kind, c.input);
        assert_eq!(reason, c.reason, "{} {:?}", c.kind, c.input);
        assert_eq!(canonical, c.canonical, "{} {:?}", c.kind, c.input);
    }
}

#[test]
fn arrow_batch_matches_fixture() {
    for kind in ["nhs_number", "snomed", "icd10"] {
        let cases: Vec<Case> = cases().into_iter().filter(|c| c.kind == kind).collect();
        let col = StringArray::from_iter_values(cases.iter().map(|c| c.input.as_str()));
        let reasons = match kind {
            "nhs_number" => batch::nhs_number_reasons(&col),
            "snomed" => batch::snomed_reasons(&col),
            _ => batch::icd10_reasons(&col),
        }
        .expect("strings");
        for (i, c) in cases.iter().enumerate() {
            let got = if reasons.is_null(i) {
                ""
            } else {
                reasons.value(i)
            };
            assert_eq!(got, c.reason, "{kind} {:?}", c.input);
        }
    }
}

#[test]
fn c_abi_matches_fixture() {
    use ffi::carecoord_result;
    for c in cases() {
        let p = c.input.as_ptr().cast();
        let len = c.input.len();
        match c.kind.as_str() {
            "nhs_number" => {
                let mut v = 0u64;
                // SAFETY: p/len describe a live Rust string; v is a local.
                let r = unsafe { ffi::ids::carecoord_nhs_number_parse(p, len, &mut v) };
                assert_eq!(
                    r == carecoord_result::CARECOORD_RESULT_OK,
                    c.valid,
                    "{:?}",
                    c.input
                );
                if c.valid {
                    assert_eq!(format!("{v:010}"), c.canonical);
                }
                // SAFETY: as above.
                assert_eq!(
                    unsafe { ffi::ids::carecoord_nhs_number_is_valid(p, len) },
                    c.valid
                );
            }
            "snomed" => {
                // SAFETY: as above.
                assert_eq!(
                    unsafe { ffi::ids::carecoord_snomed_id_is_valid(p, len) },
                    c.valid
                );
            }
            _ => {
                let mut buf = [0 as std::ffi::c_char; 8];
                let mut n = 0usize;
                // SAFETY: as above; buf has 8 bytes.
                let r = unsafe {
                    ffi::ids::carecoord_icd10_clean(p, len, buf.as_mut_ptr(), buf.len(), &mut n)
                };
                assert_eq!(
                    r == carecoord_result::CARECOORD_RESULT_OK,
                    c.valid,
                    "{:?}",
                    c.input
                );
                if c.valid {
                    let s: Vec<u8> = buf[..n].iter().map(|&b| b as u8).collect();
                    assert_eq!(String::from_utf8(s).unwrap(), c.canonical);
                }
            }
        }
    }
}

#[test]
fn c_abi_batch_agrees_with_rust_on_generated_register() {
    let rows = carecoord::synth::register(&carecoord::synth::RegisterConfig {
        patients: 20_000,
        fault_rate: 0.05,
        ..Default::default()
    })
    .rows;
    let strs: Vec<ffi::text::carecoord_str> = rows
        .iter()
        .map(|r| ffi::text::carecoord_str {
            ptr: r.nhs_number.as_ptr().cast(),
            len: r.nhs_number.len(),
        })
        .collect();
    let mut valid = vec![0u8; rows.len()];
    let mut count = 0usize;
    // SAFETY: strs borrow live strings; valid has one byte per row.
    let r = unsafe {
        ffi::ids::carecoord_nhs_number_validate_batch(
            strs.as_ptr(),
            strs.len(),
            valid.as_mut_ptr(),
            std::ptr::null_mut(),
            &mut count,
        )
    };
    assert_eq!(r, ffi::carecoord_result::CARECOORD_RESULT_OK);
    let rust: Vec<u8> = rows
        .iter()
        .map(|r| u8::from(NhsNumber::is_valid(&r.nhs_number)))
        .collect();
    assert_eq!(valid, rust);
    assert_eq!(count, rust.iter().filter(|&&v| v == 1).count());
    assert!(count < rows.len(), "the 5% faults must show");
}
