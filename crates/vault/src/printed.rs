//! What printing takes from the vault and leaves in it: the facts a case's
//! letter needs ([`Vault::letter_recipient`]: one rule for the app and the
//! office's CLI, the youth's address else a responsible parent's), printed
//! letters with their response links, and visit cards printed in advance.
//!
//! A printed letter is two append-only records written in one transaction:
//! the `letter` (case, letter type, token, short code, URL, expiry) and the
//! letter's contact moment ("brief verstuurd": kind `brief`, outcome
//! `verstuurd`, pointing at the letter). Both are pushed through the outbox;
//! the server indexes the letter's token and short code (migration
//! server/0002), so the QR code answers as soon as the push is applied, on
//! the letter's case only.
//!
//! Business cards are printed before anyone knows which door they go
//! through. Their tokens are kept here (`printed_card`, device state, not
//! synced); when a consultant records "niet thuis, kaartje achtergelaten"
//! and types the card's short code, [`Vault::printed_card`] gives the
//! [`CardLeft`] for the home visit's contact moment, and that contact moment
//! (`card_token`, `card_short_code`) links the card to the case on the
//! server.

use chrono::{Days, NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;
use veldwerk_domain::{ContactKind, ContactOutcome, LetterKind};
use veldwerk_protocol::{ResponseToken, ShortCode};

use crate::caseload::{contact_moment_mutation, letter_mutation};
use crate::model::{CardLeft, CaseRecord, NewContactMoment, NewLetter, YouthRecord};
use crate::query::ymd;
use crate::{Vault, VaultError};

/// How long the response form answers a letter's QR code: 90 days after
/// the letter's date, long enough for a family that answers late, short
/// enough that an old letter found in a drawer leads nowhere. The bureau's
/// working default; DOMAIN.md gives no term.
pub const LETTER_LINK_VALID_DAYS: u64 = 90;

/// The last day a letter dated `sent_on` can be answered through its QR code.
pub fn letter_link_expires_on(sent_on: NaiveDate) -> NaiveDate {
    sent_on
        .checked_add_days(Days::new(LETTER_LINK_VALID_DAYS))
        .unwrap_or(NaiveDate::MAX)
}

/// What a case's letter needs from the vault, the same for the app and the
/// office's CLI: the case, its youth, where the letter goes and the school.
#[derive(Clone)]
pub struct LetterRecipient {
    pub case: CaseRecord,
    pub youth: YouthRecord,
    /// The youth's own address when it is complete (street, number,
    /// postcode, town), else the first complete one of a responsible
    /// contact person (parent or carer); `None` when neither is known.
    pub address: Option<MailingAddress>,
    /// The case's school, else the youth's.
    pub school_name: Option<String>,
}

/// Personal data: `Debug` shows the case only.
impl std::fmt::Debug for LetterRecipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LetterRecipient")
            .field("case", &self.case.id)
            .finish_non_exhaustive()
    }
}

/// A complete postal address as stored; the postcode is checked by whoever
/// prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct MailingAddress {
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub town: String,
}

impl MailingAddress {
    fn complete(
        street: &Option<String>,
        house_number: &Option<String>,
        postcode: &Option<String>,
        town: &Option<String>,
    ) -> Option<MailingAddress> {
        Some(MailingAddress {
            street: filled(street)?,
            house_number: filled(house_number)?,
            postcode: filled(postcode)?,
            town: filled(town)?,
        })
    }
}

fn filled(part: &Option<String>) -> Option<String> {
    part.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// One printed letter to record.
#[derive(Clone)]
pub struct PrintedLetter {
    pub case_id: Uuid,
    pub template: LetterKind,
    /// Local (Dutch) time the letter was made; its date is the letter's date.
    pub at: NaiveDateTime,
    /// The token behind the letter's QR code.
    pub token: ResponseToken,
    /// What the QR code encodes (`<public address>/r/<TOKEN>`).
    pub url: String,
    /// The last day the link is answered, usually
    /// [`letter_link_expires_on`] of the letter's date.
    pub expires_on: NaiveDate,
}

/// The token is a bearer secret: `Debug` shows the case and letter type only.
impl std::fmt::Debug for PrintedLetter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrintedLetter")
            .field("case_id", &self.case_id)
            .field("template", &self.template)
            .finish_non_exhaustive()
    }
}

/// The records one printed letter became.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LetterRecorded {
    pub case_id: Uuid,
    pub letter_id: Uuid,
    pub contact_moment_id: Uuid,
}

impl Vault {
    /// What the letter for `case_id` needs (see [`LetterRecipient`]);
    /// `None` when the case or its youth is not in the vault.
    pub fn letter_recipient(
        &mut self,
        case_id: Uuid,
    ) -> Result<Option<LetterRecipient>, VaultError> {
        let Some(case) = self.cases().get(case_id)? else {
            return Ok(None);
        };
        let Some(youth) = self.youth().get(case.youth_id)? else {
            return Ok(None);
        };
        let address = match MailingAddress::complete(
            &youth.street,
            &youth.house_number,
            &youth.postcode,
            &youth.town,
        ) {
            Some(own) => Some(own),
            None => self
                .youth()
                .contact_persons(youth.id)?
                .iter()
                .filter(|p| p.responsible)
                .find_map(|p| {
                    MailingAddress::complete(&p.street, &p.house_number, &p.postcode, &p.town)
                }),
        };
        let school_name = match case.school_id.or(youth.school_id) {
            Some(id) => self.schools().get(id)?.map(|s| s.name),
            None => None,
        };
        Ok(Some(LetterRecipient {
            case,
            youth,
            address,
            school_name,
        }))
    }

    /// Record printed letters (one, or a whole batch) in one transaction:
    /// per letter the `letter` record with its response link and a "brief
    /// verstuurd" contact moment on its case, each with its outbox
    /// operation and audit entry. Nothing is written when one of them
    /// fails (an unknown case, a token recorded before).
    pub fn record_printed_letters(
        &mut self,
        letters: &[PrintedLetter],
    ) -> Result<Vec<LetterRecorded>, VaultError> {
        let user = self.user_id();
        let mut batch = Vec::with_capacity(letters.len() * 2);
        let mut recorded = Vec::with_capacity(letters.len());
        for l in letters {
            if self.letter_token_known(&l.token)? {
                return Err(VaultError::InvalidMutation {
                    entity: veldwerk_protocol::entities::LETTER.to_owned(),
                    reason: "this response token was recorded before",
                });
            }
            let letter_id = Uuid::now_v7();
            let contact_moment_id = Uuid::now_v7();
            batch.push(letter_mutation(
                letter_id,
                &NewLetter {
                    case_id: l.case_id,
                    template: l.template,
                    sent_on: l.at.date(),
                    token: Some(l.token.as_str().to_owned()),
                    short_code: Some(l.token.short_code().as_str().to_owned()),
                    url: Some(l.url.clone()),
                    expires_on: Some(l.expires_on),
                },
            ));
            batch.push(contact_moment_mutation(
                contact_moment_id,
                l.case_id,
                user,
                &NewContactMoment {
                    kind: ContactKind::Letter,
                    at: l.at,
                    outcome: ContactOutcome::Sent,
                    note: None,
                    letter_kind: Some(l.template),
                    letter_id: Some(letter_id),
                    card: None,
                },
            ));
            recorded.push(LetterRecorded {
                case_id: l.case_id,
                letter_id,
                contact_moment_id,
            });
        }
        self.apply_batch(user, batch)?;
        Ok(recorded)
    }

    fn letter_token_known(&self, token: &ResponseToken) -> Result<bool, VaultError> {
        Ok(self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM letter WHERE token = ?1)")?
            .query_row([token.as_str()], |r| r.get(0))?)
    }

    /// Keep the tokens of business cards printed on `on`, so a card can be
    /// found by its short code when it is left at a home. One transaction;
    /// a short code already kept refuses the whole sheet (print it again
    /// with new tokens).
    pub fn record_printed_cards(
        &mut self,
        tokens: &[ResponseToken],
        on: NaiveDate,
    ) -> Result<(), VaultError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO printed_card (short_code, token, printed_on) VALUES (?1, ?2, ?3)",
            )?;
            for token in tokens {
                let inserted = stmt.execute(params![
                    token.short_code().as_str(),
                    token.as_str(),
                    ymd(on)
                ]);
                match inserted {
                    Ok(_) => {}
                    Err(rusqlite::Error::SqliteFailure(e, _))
                        if e.code == rusqlite::ErrorCode::ConstraintViolation =>
                    {
                        return Err(VaultError::InvalidMutation {
                            entity: "printed_card".to_owned(),
                            reason: "a card with this short code was printed before",
                        });
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The printed card with this short code, as the home visit's contact
    /// moment records it; `None` when no card with this code was printed
    /// on this device.
    pub fn printed_card(&self, code: &ShortCode) -> Result<Option<CardLeft>, VaultError> {
        let token: Option<String> = self
            .conn
            .prepare_cached("SELECT token FROM printed_card WHERE short_code = ?1")?
            .query_row([code.as_str()], |r| r.get(0))
            .optional()?;
        Ok(token.map(|token| CardLeft {
            token,
            short_code: code.as_str().to_owned(),
        }))
    }
}
