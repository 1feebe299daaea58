//! Letters and visit cards to PDF: templates from `templates/`, the bureau's
//! branding, and a QR code on every letter that opens the response form.
//!
//! # Use
//! ```no_run
//! use veldwerk_print::{Branding, Printer, PrivateTempDir, ResponseBase, TemplateSet, samples};
//!
//! # fn main() -> Result<(), veldwerk_print::PrintError> {
//! // Once, at start-up (loads fonts and templates):
//! let printer = Printer::new(
//!     Branding::builtin()?,
//!     &TemplateSet::builtin(),
//!     ResponseBase::parse("https://reactie.voorbeeld.nl")?,
//! )?;
//! // Per job: one PDF for any number of letters, and one link per letter to
//! // record in the vault.
//! let rendered = printer.render_letters(&samples::all_letters()?)?;
//! let folder = PrivateTempDir::new()?;
//! let path = rendered.save(&folder, "brieven.pdf")?;
//! # let _ = path;
//! for link in &rendered.links {
//!     println!("{} {}", link.short_code, link.url);
//! }
//! folder.wipe()?; // after printing, and when the vault locks
//! # Ok(()) }
//! ```
//!
//! # Pieces
//! - [`Printer`]: builds once, renders letters ([`Letter`]), cards for the
//!   letterbox ([`NotHomeCard`]) and sheets of business cards; batches are
//!   one compilation and one PDF.
//! - [`ResponseLink`], [`Token`], [`ShortCode`]: what the QR code and the
//!   printed code mean, and what the caller records.
//! - [`Branding`] and [`TemplateSet`]: the house style as settings, the words
//!   as editable Typst templates.
//! - [`PrivateTempDir`]: where PDFs may be written.
//! - [`qr`]: the QR codes, as 1-bit PNG for the templates and for other
//!   programs (the LibreOffice baseline of the benchmark).
//!
//! Fonts (Noto Sans, SIL Open Font License 1.1) are embedded; nothing is read
//! from the system, so the output is the same on every machine.

mod branding;
pub mod card;
pub mod dutch;
mod error;
mod letter;
mod link;
mod printer;
pub mod qr;
pub mod samples;
mod tempdir;
mod templates;
mod world;

pub use branding::{Branding, Colours, Logo, Signature};
pub use card::{NotHomeCard, VisitPurpose};
pub use dutch::{PostalAddress, Postcode, next_working_day};
pub use error::PrintError;
pub use letter::{
    Addressee, Appointment, Consultant, HomeVisit, Letter, LetterKind, LetterType, SignedBy,
    Warning, YoungPerson,
};
pub use link::{ResponseBase, ResponseLink, ShortCode, Token, new_token};
pub use printer::{Printer, Rendered};
pub use tempdir::PrivateTempDir;
pub use templates::TemplateSet;
