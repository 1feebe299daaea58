//! Visit cards.
//!
//! 1. The **niet-thuis-kaart** for the letterbox when nobody is home. Size:
//!    a third of A4 (210 x 99 mm, the DL format that fits every letterbox and
//!    a DL envelope). Three cards fill one A4 page exactly, so any office
//!    printer prints them on plain paper or card stock; dashed cut lines mark
//!    the thirds. A card carries no name or address of the family, only the
//!    visit, the question and the consultant's contact details, because
//!    anyone in the house may read it.
//! 2. The **visitekaartjes**: business cards of 85 x 55 mm, ten on an A4 page
//!    (2 x 5, 20 mm side margins, 11 mm top and bottom) with cut marks in the
//!    margins. Printed in advance, each with its own QR code and short code;
//!    date and time are written by hand. When a consultant records "niet thuis,
//!    kaartje achtergelaten", the short code links that card to the case.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};

/// Where the ten business cards sit on their A4 sheet: left, top, width,
/// height in mm, row by row. `templates/kaartjes/visitekaartjes.typ` lays
/// them out so; the tests read each card's QR code from its cell, as a
/// phone sees one card.
pub fn business_card_cells_mm() -> Vec<[f64; 4]> {
    const LEFT: f64 = 20.0; // (210 - 2 x 85) / 2
    const TOP: f64 = 11.0; // (297 - 5 x 55) / 2
    const WIDTH: f64 = 85.0;
    const HEIGHT: f64 = 55.0;
    (0..5u32)
        .flat_map(|row| {
            (0..2u32).map(move |column| {
                [
                    LEFT + WIDTH * f64::from(column),
                    TOP + HEIGHT * f64::from(row),
                    WIDTH,
                    HEIGHT,
                ]
            })
        })
        .collect()
}

use crate::letter::Consultant;
use crate::link::Token;

/// Why the consultant came by; decides the question on the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitPurpose {
    /// A check around a school holiday after a sick report: the family is
    /// asked to get in touch before the end of `contact_before` (usually the
    /// next working day, see [`crate::next_working_day`]). Addressed with "u".
    LuxeVerzuimCheck { contact_before: NaiveDate },
    /// A young person (Doorstroompunt): what we can do for you. Addressed with "je".
    YoungPerson,
}

/// One card for the letterbox.
#[derive(Clone, PartialEq, Eq)]
pub struct NotHomeCard {
    pub purpose: VisitPurpose,
    /// When the consultant was at the door.
    pub visited_at: NaiveDateTime,
    pub consultant: Consultant,
    /// `None` draws a new token.
    pub token: Option<Token>,
}

impl fmt::Debug for NotHomeCard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NotHomeCard")
            .field("purpose", &self.purpose)
            .field("visited_at", &self.visited_at)
            .finish_non_exhaustive()
    }
}
