//! The Veldwerk central server: device enrollment, sync, the QR response form
//! and the admin CLI. Its store is SQLite behind one module.
