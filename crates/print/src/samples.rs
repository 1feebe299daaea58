//! Synthetic sample letters and cards (made-up people in the made-up town
//! Voorbeeldstad) for template previews, tests and benchmarks. Never real data.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::card::{NotHomeCard, VisitPurpose};
use crate::dutch::{PostalAddress, Postcode, next_working_day};
use crate::error::PrintError;
use crate::letter::{
    Addressee, Appointment, Consultant, HomeVisit, Letter, LetterKind, LetterType, SignedBy,
    Warning, YoungPerson,
};

/// The date the samples are written on: Monday 23 November 2026.
pub fn sample_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
}

fn at(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default()
}

fn days_after(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(chrono::Days::new(days))
        .unwrap_or(date)
}

/// A leerplichtambtenaar who is a BOA.
pub fn boa() -> Consultant {
    Consultant {
        name: "Fatima el Amrani".into(),
        role: "Leerplichtambtenaar".into(),
        phone: Some("06 98 76 54 32".into()),
        whatsapp: Some("06 98 76 54 32".into()),
        email: Some("f.elamrani@leerplicht.voorbeeld.nl".into()),
        boa: true,
    }
}

/// A doorstroomcoach, not a BOA.
pub fn coach() -> Consultant {
    Consultant {
        name: "Joris Bakker".into(),
        role: "Doorstroomcoach".into(),
        phone: Some("06 11 22 33 44".into()),
        whatsapp: Some("06 11 22 33 44".into()),
        email: None,
        boa: false,
    }
}

/// A sample letter of the given type, addressed as that type usually is:
/// to the parents of a 14-year-old, or to an 19-year-old for the
/// Doorstroompunt letters.
pub fn letter(letter_type: LetterType) -> Result<Letter, PrintError> {
    let date = sample_date();
    let appointment = Appointment {
        date: days_after(date, 8),
        start: at(14, 0),
        end: Some(at(14, 45)),
        place: "Gemeentehuis Voorbeeldstad".into(),
        place_address: vec!["Stationsplein 1".into(), "Voorbeeldstad".into()],
        with_whom: None,
    };
    let (kind, adult) = match letter_type {
        LetterType::Invitation => (LetterKind::Invitation(appointment), false),
        LetterType::HomeVisitAnnouncement => (
            LetterKind::HomeVisitAnnouncement(HomeVisit {
                date: days_after(date, 8),
                from: at(14, 0),
                until: at(16, 0),
            }),
            true,
        ),
        LetterType::DoorstroompuntIntroduction => (LetterKind::DoorstroompuntIntroduction, true),
        LetterType::AbsoluteAbsence => (
            LetterKind::AbsoluteAbsence {
                reply_before: days_after(date, 14),
            },
            false,
        ),
        LetterType::AppointmentConfirmation => (
            LetterKind::AppointmentConfirmation(Appointment {
                with_whom: Some("Joris Bakker".into()),
                ..appointment
            }),
            true,
        ),
        LetterType::OfficialWarning => (
            LetterKind::OfficialWarning(Warning {
                school: "Het Voorbeeld College".into(),
                period_from: NaiveDate::from_ymd_opt(2026, 10, 26).unwrap_or(date),
                period_until: NaiveDate::from_ymd_opt(2026, 11, 13).unwrap_or(date),
                hours: 24,
            }),
            false,
        ),
    };
    let birth_date = if adult {
        NaiveDate::from_ymd_opt(2007, 5, 14).unwrap_or(date)
    } else {
        NaiveDate::from_ymd_opt(2012, 2, 3).unwrap_or(date)
    };
    let author = if letter_type == LetterType::OfficialWarning || !adult {
        boa()
    } else {
        coach()
    };
    Ok(Letter {
        kind,
        reference: format!(
            "VW-2026-{:04}",
            41 + LetterType::ALL
                .iter()
                .position(|t| *t == letter_type)
                .unwrap_or(0)
        ),
        date,
        young_person: YoungPerson {
            given_name: "Sanne".into(),
            full_name: "Sanne de Vries".into(),
        },
        addressee: Addressee::by_age(birth_date, date),
        address: PostalAddress {
            street: "Dorpsstraat".into(),
            house_number: "12".into(),
            postcode: Postcode::parse("1234 AB")?,
            town: "Voorbeeldstad".into(),
        },
        author,
        signed_by: SignedBy::Author,
        token: None,
    })
}

/// One sample letter of every type, in [`LetterType::ALL`] order.
pub fn all_letters() -> Result<Vec<Letter>, PrintError> {
    LetterType::ALL.into_iter().map(letter).collect()
}

/// A card after a luxe-verzuim check and one for a young person.
pub fn not_home_cards() -> Vec<NotHomeCard> {
    let date = sample_date();
    vec![
        NotHomeCard {
            purpose: VisitPurpose::LuxeVerzuimCheck {
                contact_before: next_working_day(date),
            },
            visited_at: NaiveDateTime::new(date, at(10, 15)),
            consultant: boa(),
            token: None,
        },
        NotHomeCard {
            purpose: VisitPurpose::YoungPerson,
            visited_at: NaiveDateTime::new(date, at(16, 30)),
            consultant: coach(),
            token: None,
        },
    ]
}
