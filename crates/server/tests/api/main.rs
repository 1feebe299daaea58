//! Integration tests of the server: the real server on port 0 (`support`),
//! the real binary for the admin CLI, and the router without a socket.

mod binary;
mod enrollment;
mod errors;
mod import;
mod openapi;
mod response_form;
mod support;
mod sync;
mod tls;
