//! Turning command-line text into validated domain values, with a plain
//! Dutch one-line message that names the field when it does not fit.
//!
//! Everything a command needs is parsed here before the vault is unlocked,
//! so bad input never writes anything.

use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveDate;
use uuid::Uuid;
use veldwerk_domain::{
    Address, Bsn, CaseKind, CaseStatus, EmailAddress, Onderwijsnummer, PersonName, PhoneNumber,
    VerzuimKind, VrijstellingArticle, VrijstellingStatus, VsvKind,
};
use veldwerk_vault::model::{CaseSubKind, CaseloadSort};

/// A date `JJJJ-MM-DD`; `field` is its Dutch name for the message.
pub fn date(text: &str, field: &str) -> Result<NaiveDate> {
    let text = text.trim();
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(d) if text.len() == 10 => Ok(d),
        _ => bail!("{field} klopt niet: gebruik JJJJ-MM-DD, zoals 2012-03-14"),
    }
}

/// A record id (a UUID); `field` is its Dutch name for the message.
pub fn id(text: &str, field: &str) -> Result<Uuid> {
    Uuid::parse_str(text.trim()).map_err(|_| anyhow!("{field} klopt niet: dat is geen id"))
}

/// The domain's own one-line messages name the field already.
fn domain<T>(result: Result<T, veldwerk_domain::InvalidValue>) -> Result<T> {
    result.map_err(|e| anyhow!("{e}"))
}

pub fn name(
    given: &str,
    call: Option<&str>,
    prefix: Option<&str>,
    family: &str,
) -> Result<PersonName> {
    domain(PersonName::parse(given, call, prefix, family))
}

pub fn bsn(text: Option<&str>) -> Result<Option<Bsn>> {
    text.map(|t| domain(Bsn::parse(t))).transpose()
}

pub fn onderwijsnummer(text: Option<&str>) -> Result<Option<Onderwijsnummer>> {
    text.map(|t| domain(Onderwijsnummer::parse(t))).transpose()
}

pub fn phone(text: Option<&str>) -> Result<Option<PhoneNumber>> {
    text.map(|t| domain(PhoneNumber::parse(t))).transpose()
}

pub fn email(text: Option<&str>) -> Result<Option<EmailAddress>> {
    text.map(|t| domain(EmailAddress::parse(t))).transpose()
}

/// An address from its parts: none given is no address; some given needs
/// all of street, number, postcode and town (the message names the first
/// one missing or wrong).
pub fn address(
    street: Option<&str>,
    number: Option<&str>,
    postcode: Option<&str>,
    town: Option<&str>,
    gemeente: Option<&str>,
) -> Result<Option<Address>> {
    if street.is_none() && number.is_none() && postcode.is_none() && town.is_none() {
        return Ok(None);
    }
    domain(Address::parse(
        street.unwrap_or_default(),
        number.unwrap_or_default(),
        postcode.unwrap_or_default(),
        town.unwrap_or_default(),
        gemeente,
    ))
    .map(Some)
}

pub fn case_kind(text: &str) -> Result<CaseKind> {
    text.parse::<CaseKind>().map_err(|e| {
        anyhow!(
            "Werkproces klopt niet: {e}; kies uit {}",
            CaseKind::CODES.join(", ")
        )
    })
}

pub fn case_status(text: &str) -> Result<CaseStatus> {
    text.parse::<CaseStatus>().map_err(|e| {
        anyhow!(
            "Status klopt niet: {e}; kies uit {}",
            CaseStatus::CODES.join(", ")
        )
    })
}

/// The soort of a case of `kind`: a verzuim or vsv code, or for a
/// vrijstelling the article ("5a", "15", "3b"; status aangevraagd).
pub fn sub_kind(kind: CaseKind, text: &str) -> Result<CaseSubKind> {
    let text = text.trim();
    let wrong = |codes: &[&str]| {
        anyhow!(
            "Soort klopt niet bij {}: kies uit {}",
            kind.code(),
            codes.join(", ")
        )
    };
    Ok(match kind {
        CaseKind::Verzuim => CaseSubKind::Verzuim(
            text.parse::<VerzuimKind>()
                .map_err(|_| wrong(VerzuimKind::CODES))?,
        ),
        CaseKind::Vsv => {
            CaseSubKind::Vsv(text.parse::<VsvKind>().map_err(|_| wrong(VsvKind::CODES))?)
        }
        CaseKind::Vrijstelling => CaseSubKind::Vrijstelling(
            text.parse::<VrijstellingArticle>()
                .map_err(|_| wrong(&["5a", "5b", "5c", "15", "3a", "3b"]))?,
            VrijstellingStatus::Requested,
        ),
        CaseKind::InformatieAdvies => bail!("Soort: informatie_advies heeft geen soort"),
    })
}

pub fn sort(text: &str) -> Result<CaseloadSort> {
    Ok(match text.trim() {
        "naam" | "name" => CaseloadSort::YouthName,
        "geopend" | "opened" => CaseloadSort::OpenedOn,
        "taken" | "due" => CaseloadSort::DueTasks,
        "werkproces" | "kind" => CaseloadSort::Kind,
        _ => bail!("Sortering klopt niet: kies uit naam, geopend, taken, werkproces"),
    })
}

/// The text of an age identity file (`AGE-SECRET-KEY-1...`).
pub fn identity_file(path: &std::path::Path) -> Result<String> {
    std::fs::read_to_string(path).context("Herstelsleutel: het bestand is niet te lezen")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_field_in_dutch() {
        let e = |r: Result<_>| {
            r.err()
                .map(|e: anyhow::Error| e.to_string())
                .unwrap_or_default()
        };
        assert!(e(date("14-03-2012", "Geboortedatum").map(|_| ())).starts_with("Geboortedatum"));
        assert!(e(date("2012-02-30", "Geboortedatum").map(|_| ())).starts_with("Geboortedatum"));
        assert!(e(bsn(Some("123456789")).map(|_| ())).starts_with("BSN"));
        let postcode = address(
            Some("Kerkstraat"),
            Some("1"),
            Some("12345"),
            Some("Utrecht"),
            None,
        );
        assert!(e(postcode.map(|_| ())).starts_with("Postcode"));
        let street = address(None, None, Some("1234 AB"), None, None);
        assert!(e(street.map(|_| ())).starts_with("Straat"));
        assert!(e(case_kind("brandweer").map(|_| ())).starts_with("Werkproces"));
    }
}
