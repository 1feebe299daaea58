//! `veldwerk-cli` end to end: the real binary in temporary folders.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use age::secrecy::ExposeSecret;
use serde_json::Value;
use sha2::{Digest, Sha256};

mod print;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const PASSPHRASE: &str = "paard batterij nietje correct";

struct Office {
    tmp: tempfile::TempDir,
    identity: age::x25519::Identity,
}

impl Office {
    fn new() -> Result<Office, Box<dyn std::error::Error>> {
        Ok(Office {
            tmp: tempfile::Builder::new()
                .prefix("veldwerk-cli-test")
                .tempdir()?,
            identity: age::x25519::Identity::generate(),
        })
    }

    fn vault(&self) -> PathBuf {
        self.tmp.path().join("vault")
    }

    /// `veldwerk-cli --vault DIR args...` with the passphrase in the environment.
    fn run(&self, args: &[&str]) -> Result<Output, std::io::Error> {
        cli()
            .arg("--vault")
            .arg(self.vault())
            .args(args)
            .env("VELDWERK_PASSPHRASE", PASSPHRASE)
            .output()
    }

    fn ok(&self, args: &[&str]) -> Result<String, Box<dyn std::error::Error>> {
        let out = self.run(args)?;
        if !out.status.success() {
            return Err(format!("{args:?}: {}", String::from_utf8_lossy(&out.stderr)).into());
        }
        Ok(String::from_utf8(out.stdout)?)
    }

    fn init(&self) -> TestResult {
        let recipient = self.identity.to_public().to_string();
        self.ok(&["init", "--recovery-recipient", &recipient])?;
        Ok(())
    }
}

fn cli() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_veldwerk-cli"));
    c.env_remove("VELDWERK_PASSPHRASE")
        .env_remove("VELDWERK_VAULT");
    c
}

fn hashes(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, Box<dyn std::error::Error>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        out.insert(
            entry.file_name().to_string_lossy().into_owned(),
            Sha256::digest(std::fs::read(entry.path())?).to_vec(),
        );
    }
    Ok(out)
}

#[test]
fn a_consultant_adds_a_youth_and_a_case_finds_them_and_lists_the_caseload() -> TestResult {
    let office = Office::new()?;
    office.init()?;
    let id = office.ok(&[
        "youth",
        "add",
        "--given-name",
        "Eva",
        "--family-name",
        "Doğan",
        "--birth-date",
        "2012-03-14",
        "--street",
        "Kerkstraat",
        "--number",
        "12a",
        "--postcode",
        "7412ab",
        "--town",
        "Brakelveen",
        "--bsn",
        "111222333",
    ])?;
    let id = id.trim();
    assert_eq!(
        uuid::Uuid::parse_str(id).map(|u| u.get_version_num()).ok(),
        Some(7)
    );

    let hits: Value = serde_json::from_str(&office.ok(&["--json", "search", "dogan"])?)?;
    assert_eq!(hits[0]["id"], id);
    assert_eq!(hits[0]["title"], "Eva Doğan");
    let plain = office.ok(&["search", "7412"])?;
    assert!(plain.contains(id), "{plain}");

    let case = office.ok(&[
        "case", "add", "--youth", id, "--kind", "verzuim", "--soort", "luxe",
    ])?;
    let list: Value =
        serde_json::from_str(&office.ok(&["case", "list", "--json", "--on", "2026-03-02"])?)?;
    let rows = list.as_array().ok_or("a list")?;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["id"], case.trim());
    assert_eq!(rows[0]["kind"], "verzuim");
    assert_eq!(rows[0]["status"], "open");
    assert_eq!(rows[0]["youth_name"], "Eva Doğan");
    assert_eq!(rows[0]["due_tasks"], 0);
    assert_eq!(rows[0]["legal_status"]["phase"], "leerplichtig");
    let filtered: Value =
        serde_json::from_str(&office.ok(&["case", "list", "--json", "--kind", "vsv"])?)?;
    assert_eq!(filtered.as_array().map(Vec::len), Some(0));
    Ok(())
}

#[test]
fn bad_input_is_one_dutch_line_naming_the_field_and_writes_nothing() -> TestResult {
    let office = Office::new()?;
    office.init()?;
    let before = hashes(&office.vault())?;
    let base = [
        "youth",
        "add",
        "--given-name",
        "Eva",
        "--family-name",
        "Doğan",
    ];
    let cases: [(&[&str], &str); 5] = [
        (&["--birth-date", "14-03-2012"], "Geboortedatum"),
        (&["--birth-date", "2012-02-30"], "Geboortedatum"),
        (&["--birth-date", "2012-03-14", "--bsn", "123456789"], "BSN"),
        (
            &[
                "--birth-date",
                "2012-03-14",
                "--street",
                "Kerkstraat",
                "--number",
                "1",
                "--postcode",
                "12345",
                "--town",
                "Brakelveen",
            ],
            "Postcode",
        ),
        (
            &["--birth-date", "2012-03-14", "--postcode", "1234 AB"],
            "Straat",
        ),
    ];
    for (extra, field) in cases {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        let out = office.run(&args)?;
        let stderr = String::from_utf8(out.stderr)?;
        assert!(!out.status.success(), "{extra:?}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        assert!(stderr.contains(field), "{extra:?}: {stderr}");
        assert!(out.stdout.is_empty());
    }
    let bad_kind = office.run(&[
        "case",
        "add",
        "--youth",
        "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
        "--kind",
        "brandweer",
    ])?;
    assert!(!bad_kind.status.success());
    assert!(String::from_utf8(bad_kind.stderr)?.contains("Werkproces"));
    assert_eq!(hashes(&office.vault())?, before, "nothing was written");
    Ok(())
}

#[test]
fn rules_need_no_vault_and_give_the_legal_dates() -> TestResult {
    let out = cli()
        .args([
            "rules",
            "--birth-date",
            "2010-03-14",
            "--on",
            "2026-03-02",
            "--json",
        ])
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(v["leerplicht_start"], "2015-04-01");
    assert_eq!(v["leerplicht_end"], "2026-07-31");
    assert_eq!(v["kwalificatieplicht_end"], "2028-03-14");
    assert_eq!(v["school_year"], "2025-2026");
    assert_eq!(v["doorstroompunt_age_limit"], 27);
    assert_eq!(v["phase"], "leerplichtig");
    let bad = cli()
        .args(["rules", "--birth-date", "2010-3-14"])
        .output()?;
    assert!(!bad.status.success());
    assert!(String::from_utf8(bad.stderr)?.starts_with("fout: Geboortedatum"));
    Ok(())
}

#[test]
fn the_passphrase_comes_from_the_environment_or_standard_input_and_a_wrong_one_fails() -> TestResult
{
    let office = Office::new()?;
    office.init()?;
    let mut child = cli()
        .arg("--vault")
        .arg(office.vault())
        .args(["search", "x"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .ok_or("stdin")?
        .write_all(format!("{PASSPHRASE}\n").as_bytes())?;
    let out = child.wait_with_output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let wrong = cli()
        .arg("--vault")
        .arg(office.vault())
        .args(["search", "x"])
        .env("VELDWERK_PASSPHRASE", "fout")
        .output()?;
    assert!(!wrong.status.success());
    assert!(String::from_utf8(wrong.stderr)?.contains("passphrase is wrong"));
    let no_flag = cli()
        .args([
            "--passphrase",
            PASSPHRASE,
            "rules",
            "--birth-date",
            "2010-03-14",
        ])
        .output()?;
    assert!(!no_flag.status.success(), "there is no passphrase argument");
    Ok(())
}

#[test]
fn recovery_with_the_office_identity_sets_a_new_passphrase() -> TestResult {
    let office = Office::new()?;
    office.init()?;
    let identity_file = office.tmp.path().join("office.key");
    std::fs::write(&identity_file, office.identity.to_string().expose_secret())?;
    let out = cli()
        .arg("--vault")
        .arg(office.vault())
        .args(["recover", "--identity"])
        .arg(&identity_file)
        .args(["--new-passphrase-env", "NIEUW_WACHTWOORD"])
        .env("NIEUW_WACHTWOORD", "een heel nieuw wachtwoord")
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let with_new = cli()
        .arg("--vault")
        .arg(office.vault())
        .args(["search", "x"])
        .env("VELDWERK_PASSPHRASE", "een heel nieuw wachtwoord")
        .output()?;
    assert!(with_new.status.success());
    assert!(
        !office.run(&["search", "x"])?.status.success(),
        "the old passphrase is gone"
    );
    let other = Office::new()?;
    let other_file = other.tmp.path().join("other.key");
    std::fs::write(&other_file, other.identity.to_string().expose_secret())?;
    let refused = cli()
        .arg("--vault")
        .arg(office.vault())
        .args(["recover", "--identity"])
        .arg(&other_file)
        .args(["--new-passphrase-env", "NIEUW_WACHTWOORD"])
        .env("NIEUW_WACHTWOORD", "x")
        .output()?;
    assert!(!refused.status.success());
    Ok(())
}

#[test]
fn demo_data_fills_the_caseload_deterministically() -> TestResult {
    let office = Office::new()?;
    office.init()?;
    let summary: Value = serde_json::from_str(&office.ok(&[
        "--json",
        "demo",
        "--youth",
        "30",
        "--seed",
        "3",
        "--today",
        "2026-03-02",
    ])?)?;
    assert_eq!(summary["youth"], 30);
    let cases = summary["cases"].as_u64().ok_or("cases")?;
    let list: Value =
        serde_json::from_str(&office.ok(&["case", "list", "--json", "--on", "2026-03-02"])?)?;
    assert_eq!(list.as_array().map(Vec::len), Some(usize::try_from(cases)?));
    let agenda: Value =
        serde_json::from_str(&office.ok(&["--json", "agenda", "--day", "2026-03-02"])?)?;
    assert!(agenda["tasks"].as_array().is_some_and(|t| !t.is_empty()));
    Ok(())
}
