//! Letters and visit cards to PDF: templates from `templates/`, the bureau's
//! branding, and a QR code on every letter that opens the response form.
