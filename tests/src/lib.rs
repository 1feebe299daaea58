//! Support for Veldwerk's end-to-end tests: starting real binaries, driving the
//! real app through WebDriver, and collecting artifacts under `target/`.
