//! Veldwerk's domain: the people, cases and field routines of leerplicht and
//! Doorstroompunt work, and the rules of Dutch law that govern them.
//!
//! Everything here is pure: no IO, no async, no clock. Rules take the date they
//! are evaluated on as a parameter, and are effective-dated where the law
//! changed (the Doorstroompunt age limit went from 23 to 27 on 2026-01-01).
