//! Issue 5, end to end: a consultant prints a letter through `veldwerk-cli`,
//! the family scans its QR code and answers in a real browser (headless
//! Chromium), and the answer reaches the consultant's laptop at the next
//! sync as a "reactie via QR" contact moment with a task on the right case,
//! ending the outreach sequence that waited for it.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};
use chrono::{Days, Utc};
use serde_json::Value;
use uuid::Uuid;
use veldwerk_domain::rules::calendar::within_one_working_day;
use veldwerk_domain::{ContactKind, ContactOutcome, LetterKind};
use veldwerk_e2e::chromium::ChromeDriver;
use veldwerk_protocol::ResponseToken;
use veldwerk_server::store::response::dutch_local;
use veldwerk_vault::model::TimelineEntry;
use veldwerk_vault::{OutreachStatus, PrintedLetter, Vault};

use crate::support::{Device, Office, PASSPHRASE, cli_binary, fast_vault, uuid};

/// Runs an outside tool and returns its standard output.
fn tool(name: &str, args: &[&str]) -> Result<Vec<u8>> {
    let out = Command::new(name)
        .args(args)
        .output()
        .with_context(|| format!("running {name}: apt-get install -y poppler-utils zbar-tools"))?;
    ensure!(
        out.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(out.stdout)
}

/// The QR code on the first page of `pdf`, rendered at 150 dpi.
fn decode_qr(pdf: &Path) -> Result<String> {
    let prefix = pdf.with_extension("");
    tool(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-png",
            "-singlefile",
            &pdf.to_string_lossy(),
            &prefix.to_string_lossy(),
        ],
    )?;
    let png = prefix.with_extension("png");
    let text = String::from_utf8(tool("zbarimg", &["--raw", "-q", &png.to_string_lossy()])?)?;
    let codes: Vec<&str> = text.lines().collect();
    match codes.as_slice() {
        [one] => Ok((*one).to_owned()),
        other => bail!("expected one QR code on the letter, found {}", other.len()),
    }
}

/// `veldwerk-cli --vault DIR args...` on the device's vault.
fn cli(dir: &Path, args: &[&str]) -> Result<String> {
    veldwerk_e2e::run_cli(&cli_binary()?, dir, PASSPHRASE, args)
}

/// Runs `f` with the device's vault closed, as when the office tool uses
/// the same vault folder, and opens it again afterwards.
fn with_vault_closed<T>(dev: &Device, f: impl FnOnce() -> Result<T>) -> Result<T> {
    dev.vault.take().context("an open vault")?.lock()?;
    let result = f();
    let vault = Vault::unlock_with(
        dev.dir.path(),
        &veldwerk_vault::Passphrase::new(PASSPHRASE),
        fast_vault(),
        Utc::now(),
    )?;
    dev.vault.put(vault);
    result
}

/// A case with an address, assigned to `user`, imported as the office does.
fn case_with_address(office: &Office, user: Uuid) -> Result<Uuid> {
    let csv = format!(
        "meldingnummer,datum_melding,werkproces,voornaam,achternaam,geboortedatum,straat,huisnummer,postcode,plaats,gemeente,consulent_id\n\
         M-{},2026-11-02,vsv,Sam,Testpersoon,2007-05-04,Kerkstraat,12a,7412 AB,Brakelveen,Utrecht,{user}\n",
        Uuid::now_v7().simple()
    );
    let mut new = office.bureau.import_meldingen(&csv)?;
    match (new.pop(), new.is_empty()) {
        (Some(case), true) => uuid(&case),
        _ => bail!("expected exactly one new case"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_family_answers_a_letters_qr_code_in_a_browser_and_the_consultant_gets_it_with_a_task()
-> Result<()> {
    let office = Office::open().await?;
    let anna = office.staff("Anna de Boer", "doorstroomcoach").await?;
    let case = case_with_address(&office, anna.user)?;
    anna.sync().await?;
    ensure!(anna.has("case", case)?, "the case reached Anna's laptop");
    let today = dutch_local(Utc::now()).date();
    anna.vault.with(|v| v.start_outreach(case, today, true))??;

    // Week 2 of the outreach: the letter announcing the home visit.
    let work = tempfile::tempdir()?;
    let pdf = work.path().join("brief.pdf");
    let visit_day = today
        .checked_add_days(Days::new(7))
        .context("a date")?
        .format("%Y-%m-%d")
        .to_string();
    let printed: Value = with_vault_closed(&anna, || {
        let out = cli(
            anna.dir.path(),
            &[
                "--json",
                "print",
                "letter",
                "--case",
                &case.to_string(),
                "--template",
                "aankondiging-huisbezoek",
                "--on",
                &visit_day,
                "--from",
                "10:00",
                "--until",
                "12:00",
                "--out",
                &pdf.to_string_lossy(),
            ],
        )?;
        Ok(serde_json::from_str(&out)?)
    })?;
    let link = printed["letters"][0]["url"]
        .as_str()
        .context("the link in --json")?
        .to_owned();
    ensure!(
        link.starts_with(&format!("{}/r/", office.url())),
        "the QR code points at the server the laptop enrolled with: {link}"
    );
    let scanned = decode_qr(&pdf)?;
    ensure!(
        scanned == link,
        "the QR code on paper is the recorded link: {scanned}"
    );
    // The push tells the server which case the token belongs to.
    let pushed = anna.sync().await?;
    ensure!(pushed.pushed >= 2, "letter and contact moment: {pushed:?}");

    // The family scans the code and answers on their phone. (The WebDriver
    // client blocks: it runs outside the async runtime's reach.)
    tokio::task::block_in_place(|| -> Result<()> {
        let browser = ChromeDriver::start()?;
        let page = browser.session()?;
        page.goto(&scanned)?;
        ensure!(page.title()? == "Reageren", "the form opened");
        page.click("input[name=channel][value=telefoon]")?;
        page.type_into("#contact", "06 12345678")?;
        page.click("input[name=time][value=middag]")?;
        page.type_into("#message", "Graag na drie uur")?;
        page.click("button[type=submit]")?;
        // Wait for the answer page itself: right after the click the form
        // page may still be shown, and its text is not empty either.
        page.wait_for_text(
            "main",
            "Bedankt! We nemen zo snel mogelijk contact met u op.",
        )?;
        Ok(())
    })?;
    let answered_on = dutch_local(Utc::now()).date();

    // Back at the laptop: the answer is on the case, with a task.
    anna.sync().await?;
    let (responses, detail, outreach) = anna.vault.with(|v| -> Result<_> {
        Ok((
            v.responses(case)?,
            v.case_detail(case, answered_on)?.context("the case")?,
            v.outreach(case)?.context("the outreach")?,
        ))
    })??;
    ensure!(responses.len() == 1, "one answer: {responses:?}");
    let response = &responses[0];
    ensure!(response.channel.as_deref() == Some("telefoon"));
    ensure!(response.preferred_time.as_deref() == Some("middag"));
    ensure!(response.message.as_deref() == Some("Graag na drie uur"));
    let reactions = detail
        .timeline
        .iter()
        .filter(|e| {
            matches!(e, TimelineEntry::ContactMoment(c)
                if c.kind == Some(ContactKind::QrResponse)
                    && c.outcome == Some(ContactOutcome::ReactionReceived))
        })
        .count();
    ensure!(reactions == 1, "one 'reactie via QR' contact moment");
    let due: Vec<_> = detail
        .timeline
        .iter()
        .filter_map(|e| match e {
            TimelineEntry::Task(t) if t.title == "Reageer op reactie via QR" && !t.done => {
                Some(t.due_on)
            }
            _ => None,
        })
        .collect();
    let expected = [today, answered_on].map(|d| Some(within_one_working_day(d)));
    ensure!(
        due.len() == 1 && expected.contains(&due[0]),
        "one task due within one working day: {due:?}"
    );
    ensure!(outreach.status == OutreachStatus::Ended);
    ensure!(outreach.ended_by_response_id == Some(response.id));

    // A second sync brings nothing twice.
    anna.settle().await?;
    ensure!(anna.vault.with(|v| v.responses(case))??.len() == 1);
    Ok(())
}

/// Fills in and sends the response form shown in `page`.
fn answer_form(page: &veldwerk_e2e::webdriver::Session, message: &str) -> Result<()> {
    // Right after the code is sent the entry page may still be the one
    // shown: wait for the form's own field before reading the title.
    page.find("#contact")?;
    ensure!(page.title()? == "Reageren", "the form opened");
    page.click("input[name=channel][value=whatsapp]")?;
    page.type_into("#contact", "06 12345678")?;
    page.click("input[name=time][value=avond]")?;
    page.type_into("#message", message)?;
    page.click("button[type=submit]")?;
    // Wait for the answer page itself: right after the click the form page
    // may still be the one shown, and its text is not empty either.
    page.wait_for_text(
        "main",
        "Bedankt! We nemen zo snel mogelijk contact met u op.",
    )?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_card_left_at_a_home_is_answered_by_typing_its_short_code() -> Result<()> {
    let office = Office::open().await?;
    let anna = office.staff("Anna de Boer", "doorstroomcoach").await?;
    let case = case_with_address(&office, anna.user)?;
    anna.sync().await?;

    // Cards printed in advance, one left in the letterbox: its code typed
    // into the laptop links it to the case.
    let work = tempfile::tempdir()?;
    let pdf = work.path().join("kaartjes.pdf");
    let sheet: Value = with_vault_closed(&anna, || {
        let out = cli(
            anna.dir.path(),
            &[
                "--json",
                "print",
                "cards",
                "--count",
                "10",
                "--out",
                &pdf.to_string_lossy(),
            ],
        )?;
        Ok(serde_json::from_str(&out)?)
    })?;
    let cards = sheet["cards"].as_array().context("cards")?;
    ensure!(cards.len() == 10);
    let code = cards[3]["short_code"]
        .as_str()
        .context("a code")?
        .to_owned();
    with_vault_closed(&anna, || {
        cli(
            anna.dir.path(),
            &[
                "case",
                "card-left",
                "--case",
                &case.to_string(),
                "--code",
                &code.to_lowercase(),
            ],
        )
    })?;
    anna.sync().await?;
    ensure!(anna.pending()? == 0, "the visit reached the server");

    // The family types the code on the entry page and answers.
    let entry = format!("{}/r", office.url());
    tokio::task::block_in_place(|| -> Result<()> {
        let browser = ChromeDriver::start()?;
        let page = browser.session()?;
        page.goto(&entry)?;
        page.type_into("#code", &code)?;
        page.click("button[type=submit]")?;
        answer_form(&page, "Ik was op mijn werk")
    })?;

    anna.sync().await?;
    let responses = anna.vault.with(|v| v.responses(case))??;
    ensure!(responses.len() == 1, "the answer is on the card's case");
    ensure!(responses[0].channel.as_deref() == Some("whatsapp"));
    ensure!(responses[0].message.as_deref() == Some("Ik was op mijn werk"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_and_an_unknown_link_show_the_same_page() -> Result<()> {
    let office = Office::open().await?;
    let anna = office.staff("Anna de Boer", "doorstroomcoach").await?;
    let case = case_with_address(&office, anna.user)?;
    anna.sync().await?;

    // A letter whose link expired yesterday, recorded and pushed as printing does.
    let today = dutch_local(Utc::now()).date();
    let long_ago = today.checked_sub_days(Days::new(120)).context("a date")?;
    let expired = ResponseToken::generate()?;
    let unknown = ResponseToken::generate()?;
    let base = office.url();
    anna.vault.with(|v| {
        v.record_printed_letters(&[PrintedLetter {
            case_id: case,
            template: LetterKind::InvitationToTalk,
            at: long_ago.and_hms_opt(10, 0, 0).unwrap_or_default(),
            url: format!("{base}/r/{expired}"),
            token: expired.clone(),
            expires_on: today.checked_sub_days(Days::new(1)).unwrap_or(today),
        }])
    })??;
    anna.sync().await?;
    ensure!(
        anna.pending()? == 0,
        "the expired letter reached the server"
    );

    // Status and bytes are the same, so nothing tells them apart.
    veldwerk_sync::install_crypto_provider();
    let http = reqwest::Client::new();
    let mut answers = Vec::new();
    for token in [&expired, &unknown] {
        let r = http.get(format!("{base}/r/{token}")).send().await?;
        answers.push((r.status().as_u16(), r.text().await?));
    }
    ensure!(answers[0].0 == 404, "not found: {}", answers[0].0);
    ensure!(
        answers[0] == answers[1],
        "the same page for expired and unknown"
    );

    // And a browser shows the same friendly page for both.
    let shown = tokio::task::block_in_place(|| -> Result<Vec<(String, String)>> {
        let browser = ChromeDriver::start()?;
        let page = browser.session()?;
        let mut shown = Vec::new();
        for token in [&expired, &unknown] {
            page.goto(&format!("{base}/r/{token}"))?;
            shown.push((page.title()?, page.text_of("main")?));
        }
        Ok(shown)
    })?;
    ensure!(shown[0] == shown[1], "{shown:?}");
    ensure!(shown[0].0 == "Deze link werkt niet", "{shown:?}");
    Ok(())
}

/// `print letter` for an officiële waarschuwing on `case`, by the enrolled user of `dev`.
fn print_warning(dev: &Device, case: Uuid, pdf: &Path) -> Result<String> {
    with_vault_closed(dev, || {
        cli(
            dev.dir.path(),
            &[
                "print",
                "letter",
                "--case",
                &case.to_string(),
                "--template",
                "officiele-waarschuwing",
                "--school",
                "Het Voorbeeld College",
                "--period-from",
                "2026-10-01",
                "--period-until",
                "2026-10-31",
                "--hours",
                "24",
                "--out",
                &pdf.to_string_lossy(),
            ],
        )
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_boa_prints_an_official_warning_in_the_bureaus_house_style_and_a_coach_cannot()
-> Result<()> {
    let office = Office::open().await?;
    // The house style is a setting on the server; enrollment brings it.
    office.bureau.admin(&[
        "branding",
        "set",
        "--organisation-name",
        "Leerplicht Regio Proef",
        "--phone",
        "030 765 43 21",
    ])?;
    let boa_user = uuid(&office.bureau.admin(&[
        "user",
        "add",
        "--name",
        "Bea Bakker",
        "--role",
        "leerplichtambtenaar",
        "--boa",
        "--gemeente",
        "Utrecht",
    ])?)?;
    let bea = office.device_for(boa_user).await?;
    let bram = office.staff("Bram Visser", "doorstroomcoach").await?;
    let beas = case_with_address(&office, bea.user)?;
    let brams = case_with_address(&office, bram.user)?;
    bea.sync().await?;
    bram.sync().await?;

    let work = tempfile::tempdir()?;
    let pdf = work.path().join("waarschuwing.pdf");
    print_warning(&bea, beas, &pdf)?;
    let text = String::from_utf8(tool("pdftotext", &[&pdf.to_string_lossy(), "-"])?)?;
    for expected in [
        "Officiële waarschuwing",
        "Leerplicht Regio Proef",
        "030 765 43 21",
        "Bea Bakker",
        "Het Voorbeeld College",
    ] {
        ensure!(
            text.contains(expected),
            "{expected:?} in the letter:\n{text}"
        );
    }
    ensure!(decode_qr(&pdf)?.starts_with(&format!("{}/r/", office.url())));

    let refused = print_warning(&bram, brams, &work.path().join("geweigerd.pdf"));
    let message = format!("{:#}", refused.err().context("a coach is refused")?);
    ensure!(message.contains("alleen een BOA"), "{message}");
    ensure!(!work.path().join("geweigerd.pdf").exists());
    Ok(())
}
