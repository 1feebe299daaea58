//! SQLCipher's `sqlcipher_provider` interface (SQLCipher 4.19, `crypto.h`
//! in its source): a C record of function pointers, filled with thin
//! adapters over [`crate::primitives`].
//!
//! The record's layout must match the bundled SQLCipher exactly; it is
//! checked by the tests in `tests/openssl_compat.rs`, which would fail
//! (wrong algorithm called, wrong sizes, or a crash) if it drifted. If
//! rusqlite's bundled SQLCipher is upgraded, compare `struct
//! sqlcipher_provider` in `sqlcipher-src`'s `sqlcipher.c` with [`Provider`].
//!
//! The adapters take no state: SQLCipher passes the keys with every call,
//! and no key material outlives a call here except inside the RustCrypto
//! types, which wipe themselves on drop (`zeroize` features). Nothing here
//! can panic on SQLCipher's input; a size or algorithm that does not fit
//! returns `SQLITE_ERROR`, which SQLCipher reports as a failed page.
#![allow(unsafe_code)]

use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr;

use rusqlite::ffi;

use crate::InstallError;
use crate::primitives::{self, BLOCK_SIZE, Digest, Direction, IV_SIZE, KEY_SIZE};

const OK: c_int = ffi::SQLITE_OK;
const ERROR: c_int = ffi::SQLITE_ERROR;
/// `SQLCIPHER_ENCRYPT`; `SQLCIPHER_DECRYPT` is 0.
const ENCRYPT: c_int = 1;

/// `struct sqlcipher_provider`, field for field. SQLCipher calls every
/// pointer except `init` and `shutdown` without checking it for NULL.
#[repr(C)]
pub(crate) struct Provider {
    init: Option<unsafe extern "C" fn() -> c_int>,
    shutdown: Option<unsafe extern "C" fn()>,
    get_provider_name: unsafe extern "C" fn(*mut c_void) -> *const c_char,
    add_random: unsafe extern "C" fn(*mut c_void, *const c_void, c_int) -> c_int,
    random: unsafe extern "C" fn(*mut c_void, *mut c_void, c_int) -> c_int,
    hmac: unsafe extern "C" fn(
        *mut c_void,
        c_int,
        *const u8,
        c_int,
        *const u8,
        c_int,
        *const u8,
        c_int,
        *mut u8,
    ) -> c_int,
    kdf: unsafe extern "C" fn(
        *mut c_void,
        c_int,
        *const u8,
        c_int,
        *const u8,
        c_int,
        c_int,
        c_int,
        *mut u8,
    ) -> c_int,
    cipher: unsafe extern "C" fn(
        *mut c_void,
        c_int,
        *const u8,
        c_int,
        *const u8,
        *const u8,
        c_int,
        *mut u8,
    ) -> c_int,
    get_cipher: unsafe extern "C" fn(*mut c_void) -> *const c_char,
    get_key_sz: unsafe extern "C" fn(*mut c_void) -> c_int,
    get_iv_sz: unsafe extern "C" fn(*mut c_void) -> c_int,
    get_block_sz: unsafe extern "C" fn(*mut c_void) -> c_int,
    get_hmac_sz: unsafe extern "C" fn(*mut c_void, c_int) -> c_int,
    ctx_init: unsafe extern "C" fn(*mut *mut c_void) -> c_int,
    ctx_free: unsafe extern "C" fn(*mut *mut c_void) -> c_int,
    fips_status: unsafe extern "C" fn(*mut c_void) -> c_int,
    get_provider_version: unsafe extern "C" fn(*mut c_void) -> *const c_char,
    next: *mut Provider,
}

unsafe extern "C" {
    /// SQLCipher's allocator: the provider record must come from it,
    /// because SQLCipher's shutdown (at process exit) frees every
    /// registered provider with `sqlcipher_free`.
    fn sqlcipher_malloc(size: u64) -> *mut c_void;
    /// Makes `p` the default provider for codec contexts created from now on.
    fn sqlcipher_register_provider(p: *mut Provider) -> c_int;
}

/// Allocate the record with SQLCipher's allocator, fill it and register it.
pub(crate) fn register() -> Result<(), InstallError> {
    // SAFETY: plain library initialisation; SQLCipher's own set-up (its
    // mutexes, and the OpenSSL provider as the first default) runs here, so
    // registering afterwards takes the provider mutex properly.
    let rc = unsafe { ffi::sqlite3_initialize() };
    if rc != OK {
        return Err(InstallError::Initialize(rc));
    }
    let record = Provider {
        init: None,
        shutdown: None,
        get_provider_name,
        add_random,
        random,
        hmac,
        kdf,
        cipher,
        get_cipher,
        get_key_sz,
        get_iv_sz,
        get_block_sz,
        get_hmac_sz,
        ctx_init,
        ctx_free,
        fips_status,
        get_provider_version,
        next: ptr::null_mut(),
    };
    // SAFETY: sqlcipher_malloc returns zeroed memory of the requested size
    // (or NULL), suitably aligned for any C struct; the record is written
    // once before SQLCipher sees the pointer, and SQLCipher owns it from
    // then on (it only ever writes `next` and frees it at exit).
    unsafe {
        let p = sqlcipher_malloc(size_of::<Provider>() as u64).cast::<Provider>();
        if p.is_null() {
            return Err(InstallError::OutOfMemory);
        }
        p.write(record);
        match sqlcipher_register_provider(p) {
            OK => Ok(()),
            rc => Err(InstallError::Register(rc)),
        }
    }
}

/// A C string with static lifetime for the `get_*` callbacks.
fn c_str(s: &'static CStr) -> *const c_char {
    s.as_ptr()
}

/// A length from C as `usize`; negative lengths are refused.
fn len(n: c_int) -> Option<usize> {
    usize::try_from(n).ok()
}

/// A readable slice from C, or `None` for NULL or a negative length.
///
/// # Safety
/// When `p` is not NULL it must point at `n` readable bytes that stay
/// valid and unchanged for `'a`.
unsafe fn input<'a>(p: *const u8, n: c_int) -> Option<&'a [u8]> {
    let n = len(n)?;
    if p.is_null() {
        return None;
    }
    // SAFETY: guaranteed by the caller (SQLCipher passes buffers of the
    // sizes it names).
    Some(unsafe { std::slice::from_raw_parts(p, n) })
}

extern "C" fn get_provider_name(_ctx: *mut c_void) -> *const c_char {
    c_str(c"veldwerk-rustcrypto")
}

extern "C" fn get_provider_version(_ctx: *mut c_void) -> *const c_char {
    c_str(c"RustCrypto aes, cbc, hmac, sha2, pbkdf2")
}

extern "C" fn get_cipher(_ctx: *mut c_void) -> *const c_char {
    c_str(c"aes-256-cbc")
}

extern "C" fn get_key_sz(_ctx: *mut c_void) -> c_int {
    KEY_SIZE as c_int
}

extern "C" fn get_iv_sz(_ctx: *mut c_void) -> c_int {
    IV_SIZE as c_int
}

extern "C" fn get_block_sz(_ctx: *mut c_void) -> c_int {
    BLOCK_SIZE as c_int
}

extern "C" fn get_hmac_sz(_ctx: *mut c_void, algorithm: c_int) -> c_int {
    // 0 for SHA-1 or an unknown number: SQLCipher then fails to set up the
    // page format, and the database does not open.
    Digest::from_sqlcipher(algorithm).map_or(0, |d| d.size() as c_int)
}

extern "C" fn fips_status(_ctx: *mut c_void) -> c_int {
    0
}

/// The adapters keep no state, so the per-connection context is NULL.
extern "C" fn ctx_init(ctx: *mut *mut c_void) -> c_int {
    if !ctx.is_null() {
        // SAFETY: SQLCipher passes the address of its context field.
        unsafe { ctx.write(ptr::null_mut()) };
    }
    OK
}

extern "C" fn ctx_free(ctx: *mut *mut c_void) -> c_int {
    ctx_init(ctx)
}

/// `PRAGMA cipher_add_random`: the operating system's generator needs no
/// seeding from the application, so the bytes are accepted and not used.
extern "C" fn add_random(_ctx: *mut c_void, _buffer: *const c_void, _length: c_int) -> c_int {
    OK
}

extern "C" fn random(_ctx: *mut c_void, buffer: *mut c_void, length: c_int) -> c_int {
    let Some(n) = len(length) else { return ERROR };
    if buffer.is_null() {
        return ERROR;
    }
    // SAFETY: SQLCipher passes a writable buffer of `length` bytes that
    // nothing else touches during the call.
    let out = unsafe { std::slice::from_raw_parts_mut(buffer.cast::<u8>(), n) };
    match primitives::random(out) {
        Ok(()) => OK,
        Err(_) => ERROR,
    }
}

#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn hmac(
    _ctx: *mut c_void,
    algorithm: c_int,
    key: *const u8,
    key_sz: c_int,
    in1: *const u8,
    in1_sz: c_int,
    in2: *const u8,
    in2_sz: c_int,
    out: *mut u8,
) -> c_int {
    let Some(digest) = Digest::from_sqlcipher(algorithm) else {
        return ERROR;
    };
    // SAFETY: SQLCipher passes the key, the page (ciphertext and IV) and
    // the page number with their sizes; `in2` may be NULL (no second part).
    let (Some(key), Some(in1)) = (unsafe { input(key, key_sz) }, unsafe { input(in1, in1_sz) })
    else {
        return ERROR;
    };
    // SAFETY: as above.
    let in2 = unsafe { input(in2, in2_sz) }.unwrap_or_default();
    if out.is_null() {
        return ERROR;
    }
    // SAFETY: `out` has room for the MAC size SQLCipher asked
    // `get_hmac_sz` for, and does not overlap the inputs (SQLCipher writes
    // the MAC to a separate buffer, or to the reserve after the data).
    let out = unsafe { std::slice::from_raw_parts_mut(out, digest.size()) };
    match primitives::hmac(digest, key, &[in1, in2], out) {
        Ok(()) => OK,
        Err(_) => ERROR,
    }
}

#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn kdf(
    _ctx: *mut c_void,
    algorithm: c_int,
    pass: *const u8,
    pass_sz: c_int,
    salt: *const u8,
    salt_sz: c_int,
    workfactor: c_int,
    key_sz: c_int,
    key: *mut u8,
) -> c_int {
    let Some(digest) = Digest::from_sqlcipher(algorithm) else {
        return ERROR;
    };
    // SAFETY: SQLCipher passes the password (or key) and salt with sizes.
    let (Some(pass), Some(salt)) = (unsafe { input(pass, pass_sz) }, unsafe {
        input(salt, salt_sz)
    }) else {
        return ERROR;
    };
    let (Ok(rounds), Some(n)) = (u32::try_from(workfactor), len(key_sz)) else {
        return ERROR;
    };
    if rounds == 0 || key.is_null() {
        return ERROR;
    }
    // SAFETY: `key` is SQLCipher's key buffer of `key_sz` bytes, separate
    // from the password and salt buffers.
    let out = unsafe { std::slice::from_raw_parts_mut(key, n) };
    primitives::pbkdf2(digest, pass, salt, rounds, out);
    OK
}

#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn cipher(
    _ctx: *mut c_void,
    mode: c_int,
    key: *const u8,
    key_sz: c_int,
    iv: *const u8,
    input_p: *const u8,
    in_sz: c_int,
    out: *mut u8,
) -> c_int {
    let direction = if mode == ENCRYPT {
        Direction::Encrypt
    } else {
        Direction::Decrypt
    };
    let Some(n) = len(in_sz) else { return ERROR };
    // SAFETY: the key and IV buffers are SQLCipher's, of the sizes named
    // (the IV size is the one `get_iv_sz` returned).
    let (Some(key), Some(iv)) = (unsafe { input(key, key_sz) }, unsafe {
        input(iv, IV_SIZE as c_int)
    }) else {
        return ERROR;
    };
    if input_p.is_null() || out.is_null() {
        return ERROR;
    }
    let result = if ptr::eq(input_p, out) {
        // SAFETY: one buffer of `in_sz` bytes, read and written in place.
        let buffer = unsafe { std::slice::from_raw_parts_mut(out, n) };
        primitives::cbc_in_place(direction, key, iv, buffer)
    } else {
        let (a, b) = (input_p as usize, out as usize);
        if a < b + n && b < a + n {
            // Partly overlapping buffers: SQLCipher never passes these.
            return ERROR;
        }
        // SAFETY: two separate buffers of `in_sz` bytes (checked above
        // that they do not overlap); the IV lives outside the output's
        // first `in_sz` bytes (in the page's reserve area).
        let (input, output) = unsafe {
            (
                std::slice::from_raw_parts(input_p, n),
                std::slice::from_raw_parts_mut(out, n),
            )
        };
        primitives::cbc(direction, key, iv, input, output)
    };
    match result {
        Ok(()) => OK,
        Err(_) => ERROR,
    }
}
