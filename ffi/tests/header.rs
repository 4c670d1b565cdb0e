//! The committed header must match what cbindgen generates now, and its version macros must
//! match Cargo.toml. `CARECOORD_BLESS=1` (or `make header`) rewrites the header.

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn generate() -> String {
    let config = cbindgen::Config::from_file(root().join("cbindgen.toml")).expect("cbindgen.toml");
    let mut out = Vec::new();
    cbindgen::Builder::new()
        .with_crate(root())
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut out);
    String::from_utf8(out).expect("header is UTF-8")
}

#[test]
fn header_is_fresh() {
    let path = root().join("../include/carecoord.h");
    let fresh = generate();
    if std::env::var_os("CARECOORD_BLESS").is_some() {
        std::fs::write(&path, &fresh).expect("write header");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "include/carecoord.h is stale: run `make header` and commit it"
    );
}

#[test]
fn header_version_matches_cargo() {
    let header = std::fs::read_to_string(root().join("../include/carecoord.h")).expect("header");
    let macro_value = |name: &str| -> u32 {
        header
            .lines()
            .find_map(|l| l.strip_prefix(&format!("#define {name} ")))
            .unwrap_or_else(|| panic!("{name} missing"))
            .trim()
            .parse()
            .expect("number")
    };
    let v: Vec<u32> = env!("CARGO_PKG_VERSION")
        .split('.')
        .map(|p| p.parse().expect("numeric version"))
        .collect();
    assert_eq!(macro_value("CARECOORD_VERSION_MAJOR"), v[0]);
    assert_eq!(macro_value("CARECOORD_VERSION_MINOR"), v[1]);
    assert_eq!(macro_value("CARECOORD_VERSION_PATCH"), v[2]);
    assert_eq!(
        macro_value("CARECOORD_VERSION_NUMBER"),
        v[0] * 10000 + v[1] * 100 + v[2]
    );
    // Read the constant from the source, so that the check does not depend on a build.
    let version_rs = std::fs::read_to_string(root().join("src/version.rs")).expect("version.rs");
    let abi: u32 = version_rs
        .lines()
        .find_map(|l| l.strip_prefix("pub const ABI_VERSION: u32 = "))
        .and_then(|v| v.trim_end_matches(';').parse().ok())
        .expect("ABI_VERSION in src/version.rs");
    assert_eq!(macro_value("CARECOORD_ABI_VERSION"), abi);
}
