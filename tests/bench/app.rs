//! `veldwerk-bench-app`: how fast every screen of the real app reacts on the
//! 2,000-youth benchmark caseload (issue 6: "every screen reacts within
//! 100 ms"), for `cargo xtask bench`.
//!
//! Set-up (not measured): a real `veldwerk-server` (from the same target
//! folder) on a loopback port adds a consultant and gives a one-time code;
//! a device vault is enrolled with it through the real sync engine and
//! filled with the synthetic demo caseload (`veldwerk_vault::demo`, 2,000
//! youth: about 3,000 cases and 30,000 contact moments) and synced, so its
//! work is on the server as on a consultant's laptop (cases closed past
//! the retention period leave the device with that sync). Then the server
//! stops: the app runs offline, as in the field, and no screen may wait on
//! the network.
//!
//! The real app binary (`VELDWERK_APP_BIN`) runs under tauri-driver and
//! WebKitWebDriver (`VELDWERK_TAURI_DRIVER`) on the display in `DISPLAY`;
//! `cargo xtask bench` starts an Xvfb of its own and sets all three. The
//! bench unlocks the vault and then walks the consultant's screens in
//! rounds. Each action is timed inside the page (`tests/bench/app_measure.js`):
//! from `performance.now()` just before the click or keystroke (dispatched
//! in the page, so WebDriver's round trips are not counted) to the first
//! frame painted after the screen's content is in the DOM: data from the
//! vault, not a "loading" line. One round warms up; then `--rounds` (20)
//! rounds are measured. Each figure is the 95th percentile as a `BENCH`
//! line with target "< 100 ms"; the text output has p50, p95 and the
//! maximum.
//!
//! Not measured here: the letter's PDF (the letter screen is measured up to
//! its form; rendering is the print suite's figure) and the unlock itself
//! (key derivation is deliberately slow).
//!
//! There is no baseline: no other implementation of these screens exists
//! to compare with.
//!
//! Options: `--youth N` (2000), `--rounds N` (20).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail, ensure};
use serde_json::{Value, json};
use veldwerk_e2e::env_path;
use veldwerk_e2e::server::Bureau;
use veldwerk_e2e::webdriver::{Driver, Session};
use veldwerk_sync::{
    ClientOptions, EnrollOptions, VaultHandle, client_for, enroll_with, sync_once,
};
use veldwerk_vault::demo::{self, DemoOptions};
use veldwerk_vault::{MIN_WORK_FACTOR, Passphrase, VaultOptions};

/// The in-page measurement of one action (see the file for its contract).
const MEASURE: &str = include_str!("app_measure.js");

/// The bench consultant's passphrase (synthetic).
const PASSPHRASE: &str = "bench fiets lamp regen";

/// The figure every screen must meet (issue 6).
const TARGET: &str = "< 100 ms";

/// The screens and actions, in the order of the report.
const FIGURES: &[(&str, &str)] = &[
    ("today", "Vandaag (tab)"),
    ("caseload", "Caseload list (tab)"),
    ("search", "Caseload search, per keystroke"),
    ("sort", "Caseload sort change"),
    ("filter", "Caseload filter change (werkproces)"),
    ("case", "Case detail (open from the list)"),
    (
        "outreach",
        "Outreach panel of a VSV case (open from the list)",
    ),
    ("visit_form", "Home visit form open"),
    ("visit_save", "Home visit save"),
    ("letter", "Letters (form; PDF not included)"),
    ("spreekuur", "Spreekuur (tab)"),
    ("sync", "Sync screen (tab)"),
    ("conflicts", "Conflicts on the sync screen (tab)"),
    ("settings", "Settings (tab)"),
];

struct Options {
    youth: usize,
    rounds: usize,
}

fn options() -> Result<Options> {
    let mut options = Options {
        youth: 2_000,
        rounds: 20,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<usize> {
            args.next()
                .with_context(|| format!("{name} needs a number"))?
                .parse()
                .with_context(|| format!("{name} needs a number"))
        };
        match arg.as_str() {
            "--youth" => options.youth = number("--youth")?,
            "--rounds" => options.rounds = number("--rounds")?,
            other => bail!("unknown argument {other:?} (known: --youth N, --rounds N)"),
        }
    }
    ensure!(options.rounds > 0, "--rounds must be at least 1");
    Ok(options)
}

fn main() -> Result<()> {
    let options = options()?;
    let app = env_path("VELDWERK_APP_BIN")?;
    let driver_bin = env_path("VELDWERK_TAURI_DRIVER")?;
    // Say which build is measured: only a release build gives the figure.
    let build = if app.components().any(|c| c.as_os_str() == "release") {
        String::new()
    } else {
        " [debug build]".to_owned()
    };

    let data = tempfile::tempdir()?;
    let cases = seed(&data.path().join("vault"), options.youth)?;
    println!(
        "App benchmark: {} youth ({cases} cases), {} rounds after one warm-up, app {}",
        options.youth,
        options.rounds,
        app.display()
    );

    let driver = Driver::start(&driver_bin, &[("VELDWERK_DATA_DIR", data.path())])?;
    let s = driver.session(&app)?;
    s.set_window_size(1280, 800)?;
    s.wait_for_text("main h2", "Ontgrendelen")?;
    s.type_into("#passphrase", PASSPHRASE)?;
    s.click_button("Ontgrendelen")?;
    s.wait_for_text("#content h1", "Vandaag")?;
    // Offline: the first sync attempt has failed before measuring starts.
    s.wait_for_text(".corner", "Offline")?;

    let mut samples: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for round in 0..=options.rounds {
        let measured = walk(&s, round)?;
        if round > 0 {
            for (name, ms) in measured {
                samples.entry(name).or_default().push(ms);
            }
        }
    }

    println!(
        "\n{:<52} {:>8} {:>8} {:>8} {:>8}",
        "screen / action (ms)", "samples", "p50", "p95", "max"
    );
    for (key, label) in FIGURES {
        let mut values = samples
            .remove(key)
            .with_context(|| format!("no samples of {key}"))?;
        values.sort_by(f64::total_cmp);
        let p50 = percentile(&values, 50.0);
        let p95 = percentile(&values, 95.0);
        let max = values.last().copied().unwrap_or_default();
        println!(
            "{label:<52} {:>8} {p50:>8.1} {p95:>8.1} {max:>8.1}",
            values.len()
        );
        let entry = json!({
            "name": format!("app {} youth{build}: {label}, p95", options.youth),
            "value": p95,
            "unit": "ms",
            "target": TARGET,
        });
        println!("BENCH {entry}");
    }
    Ok(())
}

/// Enrolls a vault in `dir` with a real server, fills it with the demo
/// caseload, syncs it (a device whose work is on the server, as normally)
/// and stops the server. Returns the number of cases generated.
fn seed(dir: &Path, youth: usize) -> Result<usize> {
    let bureau = Bureau::new()?;
    let server = bureau.serve()?;
    // A leerplichtambtenaar with the BOA flag, like the demo user of
    // `cargo xtask run`, in every gemeente the demo region may have.
    let mut add = vec![
        "user",
        "add",
        "--name",
        "Bench Consulent",
        "--role",
        "leerplichtambtenaar",
        "--boa",
    ];
    for gemeente in demo::GEMEENTEN {
        add.extend(["--gemeente", gemeente]);
    }
    let out = bureau.admin(&add)?;
    let user = uuid::Uuid::parse_str(&out).with_context(|| format!("a user id, not {out:?}"))?;
    let code = bureau.enrollment_code(user)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let options = EnrollOptions {
        vault: VaultOptions {
            // The unlock is not measured; a fast key derivation saves set-up time.
            work_factor: MIN_WORK_FACTOR,
            ..VaultOptions::default()
        },
        client: ClientOptions::default(),
    };
    let mut enrolled = runtime.block_on(enroll_with(
        dir,
        &server.url(),
        &code,
        "Bench-laptop",
        &Passphrase::new(PASSPHRASE),
        &options,
    ))?;
    let summary = demo::generate(
        &mut enrolled.vault,
        &DemoOptions {
            youth,
            seed: 1,
            today: chrono::Local::now().date_naive(),
        },
    )?;
    let client = client_for(&enrolled.vault, &ClientOptions::default())?;
    let vault = VaultHandle::new(enrolled.vault);
    let synced = runtime.block_on(sync_once(&vault, &client))?;
    println!("seeded and synced: {synced:?}");
    drop(vault);
    server.kill();
    Ok(summary.cases)
}

/// One in-page measured action: `action` (see app_measure.js), and the
/// `marks` that show its result. Returns the milliseconds per mark.
fn measure(s: &Session, action: Value, marks: Value) -> Result<BTreeMap<String, f64>> {
    let answer = s.execute_async(MEASURE, &[json!({ "action": action, "marks": marks })])?;
    if let Some(failed) = answer["failed"].as_str() {
        let screen = s.text_of("#content").unwrap_or_default();
        bail!("{failed} (action {action}); the screen shows: {screen}");
    }
    let marks = answer["marks"]
        .as_object()
        .with_context(|| format!("no marks in {answer}"))?;
    marks
        .iter()
        .map(|(name, ms)| {
            let ms = ms.as_f64().with_context(|| format!("{name}: {ms}"))?;
            Ok((name.clone(), ms))
        })
        .collect()
}

/// A click on the element matching `selector` whose text contains `text`.
fn click(selector: &str, text: Option<&str>) -> Value {
    json!({ "kind": "click", "selector": selector, "text": text })
}

fn tab(label: &str) -> Value {
    click("nav .tab", Some(label))
}

/// A mark: an element matching `selector` is shown.
fn shown(name: &str, selector: &str) -> Value {
    json!({ "name": name, "selector": selector })
}

/// A mark: the caseload list answers the newest query.
fn list_settled(name: &str) -> Value {
    json!({ "name": name, "busy": "#content .results", "selector": "#content .results .count" })
}

const ROWS: &str = "#content table.list tbody tr";

/// One round through the screens; the samples it took, by figure.
fn walk(s: &Session, round: usize) -> Result<Vec<(&'static str, f64)>> {
    let mut out = Vec::new();
    let mut take = |name: &'static str, marks: BTreeMap<String, f64>| -> Result<()> {
        let ms = marks.get(name).with_context(|| format!("no mark {name}"))?;
        out.push((name, *ms));
        Ok(())
    };

    // Caseload: the tab, then search as you type, a sort and a filter.
    let marks = measure(s, tab("Caseload"), json!([shown("caseload", ROWS)]))?;
    take("caseload", marks)?;
    if round == 0 {
        println!(
            "The caseload screen says: {}",
            s.text_of("#content .count")?
        );
    }
    let fragment = search_fragment(s, round)?;
    for c in fragment.chars() {
        let typed =
            json!({ "kind": "type", "selector": "#caseload-search", "char": c.to_string() });
        take(
            "search",
            measure(s, typed, json!([list_settled("search")]))?,
        )?;
    }
    let cleared = json!({ "kind": "clear", "selector": "#caseload-search" });
    measure(s, cleared, json!([list_settled("cleared")]))?;
    let sort = json!({ "kind": "select", "selector": "#f-sort" });
    take("sort", measure(s, sort, json!([list_settled("sort")]))?)?;
    let filter = json!({ "kind": "select", "selector": "#f-kind", "value": "vsv" });
    take(
        "filter",
        measure(s, filter, json!([list_settled("filter")]))?,
    )?;

    // A different VSV case each round: detail, outreach, home visit, letter.
    // The list shows 50 rows at first (CaseloadScreen's page).
    let row = format!(
        "{ROWS}:nth-child({}) td:nth-child(2) button",
        round % 50 + 1
    );
    let marks = measure(
        s,
        click(&row, None),
        json!([
            shown("case", "#case-heading"),
            shown("outreach", "#outreach-heading")
        ]),
    )?;
    take("case", marks.clone())?;
    take("outreach", marks)?;
    let visit = click(
        "#content .screen-header button",
        Some("Huisbezoek vastleggen"),
    );
    take(
        "visit_form",
        measure(s, visit, json!([shown("visit_form", "#visit-form")]))?,
    )?;
    // Choosing the outcome is the consultant's own time, not the app's.
    s.click("#visit-form input[name='outcome']")?;
    let saved = json!([{ "name": "visit_save", "selector": "#content .success[role='status']",
                         "text": "Huisbezoek opgeslagen" }]);
    take(
        "visit_save",
        measure(s, click("#content button.save", None), saved)?,
    )?;
    measure(
        s,
        click("#content .success button", Some("Naar de zaak")),
        json!([shown("case", "#case-heading")]),
    )?;
    let letter = click("#content .screen-header button", Some("Brief maken"));
    take(
        "letter",
        measure(s, letter, json!([shown("letter", "#content form.letter")]))?,
    )?;

    // The other tabs.
    take(
        "today",
        measure(
            s,
            tab("Vandaag"),
            json!([shown("today", "#visits-heading")]),
        )?,
    )?;
    let planned = "section[aria-labelledby='planned-heading'] :is(ul.items, p.muted)";
    take(
        "spreekuur",
        measure(s, tab("Spreekuur"), json!([shown("spreekuur", planned)]))?,
    )?;
    let conflicts = "section.conflicts > :is(p:not([role='status']), article)";
    let marks = measure(
        s,
        tab("Synchronisatie"),
        json!([
            shown("sync", "#status-heading"),
            shown("conflicts", conflicts)
        ]),
    )?;
    take("sync", marks.clone())?;
    take("conflicts", marks)?;
    take(
        "settings",
        measure(
            s,
            tab("Instellingen"),
            json!([shown("settings", "#lock-heading")]),
        )?,
    )?;
    Ok(out)
}

/// What the consultant types in round `round`: the first four letters of
/// the surname of a youth in the list (the shown list, so it always finds
/// someone; another youth each round).
fn search_fragment(s: &Session, round: usize) -> Result<String> {
    let names = s.execute(
        "return [...document.querySelectorAll(arguments[0])].map((b) => b.textContent.trim());",
        &[json!(format!("{ROWS} td:nth-child(2) button"))],
    )?;
    let names: Vec<&str> = names
        .as_array()
        .context("no names")?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    ensure!(!names.is_empty(), "the caseload list shows no names");
    let name = names[(round * 7) % names.len()];
    let surname = name.split_whitespace().last().unwrap_or(name);
    Ok(surname.to_lowercase().chars().take(4).collect())
}

/// The `p`th percentile of sorted `values` (nearest rank).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
