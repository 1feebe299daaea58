//! QR codes as tiny PNG files, for the templates and for other programs.
//!
//! Error correction level M (15 %): a response URL stays at version 4
//! (33 modules), so at the 24 mm the letters use a module is over 0.7 mm,
//! easy for any phone camera. The templates get a 1-bit PNG with one pixel
//! per module and no quiet zone (the templates leave white space of at least
//! four modules around it): the PDF draws it without smoothing
//! (`/Interpolate false`), so every module is an exact square at any
//! resolution, as a vector drawing would be. Measured for a batch of 500
//! letters against the alternatives: the PNG takes about 6 % less time for
//! the whole batch than an SVG path (which Typst parses and the PDF export
//! turns into path operators, page by page) and makes the PDF a fifth
//! smaller; drawing the modules as Typst shapes is far slower.
//!
//! The mask is chosen here rather than by `qrcode`'s `apply_best_mask`: that
//! one spends about 0.6 ms per code scoring the eight masks, which is most of
//! the time of a 500-letter batch outside Typst. `penalty` scores a mask by
//! the four rules of ISO/IEC 18004 (§ 7.8.3) on bit sets, without a branch
//! per module, in about a microsecond; any mask gives a valid code, the
//! lowest score the easiest one to read. A big batch's codes are made on
//! background threads while Typst evaluates the letters on the job's own
//! thread (`Batch`), so they cost the batch next to nothing.

use std::sync::{Arc, OnceLock};

use typst::foundations::Bytes;

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel};

use crate::error::PrintError;

const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The modules of the QR code for `data`, row by row, and the width.
pub fn modules(data: &str) -> Result<(Vec<bool>, usize), PrintError> {
    let qr_error = |e: qrcode::types::QrError| PrintError::Qr(e.to_string());
    let bits = qrcode::bits::encode_auto(data.as_bytes(), EcLevel::M).map_err(qr_error)?;
    let version = bits.version();
    let (codewords, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M)
        .map_err(qr_error)?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&codewords, &ec);
    if usize::try_from(version.width()).unwrap_or(usize::MAX) > MAX_WIDTH {
        // Far longer than any response URL: let the crate choose, slowly.
        let dark: Vec<bool> = canvas
            .apply_best_mask()
            .into_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        let width = dark.len().isqrt();
        return Ok((dark, width));
    }
    let best = MASKS
        .iter()
        .map(|&mask| {
            let mut masked = canvas.clone();
            masked.apply_mask(mask);
            let dark: Vec<bool> = masked
                .into_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect();
            let width = dark.len().isqrt();
            (penalty(&dark, width), dark, width)
        })
        .min_by_key(|(score, _, _)| *score)
        .ok_or_else(|| PrintError::Qr("no mask".into()))?;
    Ok((best.1, best.2))
}

/// The PNGs of [`png`] (one pixel per module, no quiet zone) for a batch,
/// made in the background while the job
/// goes on: the typesetter evaluates the letters one by one on one core and
/// asks for code `n` ([`Batch::get`]) when it reaches letter `n`, by
/// which time the other cores have made it. Each worker takes every
/// `workers`-th code, so the codes come in about the order they are asked
/// for.
pub(crate) struct Batch {
    codes: Vec<OnceLock<Result<Bytes, String>>>,
}

impl Batch {
    /// Starts making the codes for `urls`: small batches right here, big
    /// ones on background threads (all cores but the one that typesets).
    pub(crate) fn start(urls: Vec<String>) -> Arc<Self> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let workers = if urls.len() < 64 {
            0
        } else {
            (cores - 1).max(1)
        };
        let codes = urls.iter().map(|_| OnceLock::new()).collect();
        let batch = Arc::new(Self { codes });
        if workers == 0 {
            for (code, url) in batch.codes.iter().zip(&urls) {
                let _ = code.set(make(url));
            }
            return batch;
        }
        let urls = Arc::new(urls);
        for worker in 0..workers {
            let mine = move |urls: &[String]| (worker..urls.len()).step_by(workers);
            let (shared, urls_shared) = (Arc::clone(&batch), Arc::clone(&urls));
            // Not joined: [`Batch::check`] waits for every code, and a
            // worker ends right after its last one.
            let spawned = std::thread::Builder::new()
                .name("veldwerk-qr".into())
                .spawn(move || {
                    for nr in mine(&urls_shared) {
                        // A panic becomes this code's error rather than a
                        // typesetter waiting forever.
                        let code = std::panic::catch_unwind(|| make(&urls_shared[nr]))
                            .unwrap_or_else(|_| Err("QR thread stopped".into()));
                        let _ = shared.codes[nr].set(code);
                    }
                });
            if spawned.is_err() {
                // No thread to be had: make this worker's share here.
                for nr in mine(&urls) {
                    let _ = batch.codes[nr].set(make(&urls[nr]));
                }
            }
        }
        batch
    }

    /// Code `nr`, waiting until it is made.
    pub(crate) fn get(&self, nr: usize) -> Option<Result<Bytes, String>> {
        self.codes.get(nr).map(|code| code.wait().clone())
    }

    /// Waits for every code and returns the first failure, if any.
    pub(crate) fn check(&self) -> Result<(), PrintError> {
        for code in &self.codes {
            if let Err(e) = code.wait() {
                return Err(PrintError::Qr(e.clone()));
            }
        }
        Ok(())
    }
}

/// The code for the templates: see the module documentation.
fn make(url: &str) -> Result<Bytes, String> {
    png(url, 1, 0).map(Bytes::new).map_err(|e| match e {
        PrintError::Qr(message) => message,
        other => other.to_string(),
    })
}

/// A PNG of the QR code for `data`, black on white, one bit per pixel:
/// `scale` pixels per module and a quiet zone of `quiet` modules around it.
/// Uncompressed (stored deflate blocks), so no image library is needed.
pub fn png(data: &str, scale: usize, quiet: usize) -> Result<Vec<u8>, PrintError> {
    let (dark, width) = modules(data)?;
    let scale = scale.max(1);
    let size = (width + 2 * quiet) * scale;
    let row_bytes = size.div_ceil(8);
    let mut raw = Vec::with_capacity(size * (row_bytes + 1));
    for py in 0..size {
        raw.push(0); // filter: none
        let mut row = vec![0xffu8; row_bytes]; // white
        if let Some(y) = (py / scale).checked_sub(quiet).filter(|y| *y < width) {
            for px in 0..size {
                let is_dark = (px / scale)
                    .checked_sub(quiet)
                    .filter(|x| *x < width)
                    .is_some_and(|x| dark[y * width + x]);
                if is_dark {
                    row[px / 8] &= !(0x80 >> (px % 8));
                }
            }
        }
        raw.extend_from_slice(&row);
    }
    // zlib stream of stored blocks (at most 65 535 bytes each).
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == blocks.len()));
        let len = u16::try_from(block.len()).unwrap_or(u16::MAX);
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());

    let side = u32::try_from(size).unwrap_or(u32::MAX).to_be_bytes();
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&side);
    header.extend_from_slice(&side);
    header.extend_from_slice(&[1, 0, 0, 0, 0]); // 1 bit grey, no interlace
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [
        (b"IHDR", header.as_slice()),
        (b"IDAT", zlib.as_slice()),
        (b"IEND", &[][..]),
    ] {
        png.extend_from_slice(&u32::try_from(data.len()).unwrap_or(0).to_be_bytes());
        let start = png.len();
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        let crc = crc32(&png[start..]);
        png.extend_from_slice(&crc.to_be_bytes());
    }
    Ok(png)
}

/// CRC-32 (IEEE), bit by bit: the PNGs are small.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The widest symbol [`penalty`] handles: a line plus four quiet modules on
/// each side fits in a `u128` (version 26; a response URL needs version 4).
const MAX_WIDTH: usize = 120;

/// The mask penalty of ISO/IEC 18004 § 7.8.3.1 for a square symbol of at
/// most [`MAX_WIDTH`] modules, on bit sets (bit `i` of a line is module `i`).
fn penalty(dark: &[bool], width: usize) -> u32 {
    debug_assert!(width <= MAX_WIDTH && dark.len() == width * width);
    // Without branches on the modules (half of them are dark, at random):
    // this runs eight times per code.
    let line = |module: &dyn Fn(usize) -> bool| {
        (0..width)
            .rev()
            .fold(0u128, |bits, i| (bits << 1) | u128::from(module(i)))
    };
    let rows: Vec<u128> = dark
        .chunks_exact(width)
        .map(|row| line(&|x| row[x]))
        .collect();
    let columns: Vec<u128> = (0..width).map(|x| line(&|y| dark[y * width + x])).collect();
    let run_penalty = |run: usize| if run >= 5 { 3 + (run - 5) } else { 0 };
    // Positions (in a line shifted up by four, for the quiet zone) where the
    // finder-like pattern may start and still lie inside the symbol.
    let starts = ((1u128 << width.saturating_sub(6)) - 1) << 4;
    let mut score = 0usize;
    for &line in rows.iter().chain(&columns) {
        // N1: 3 + (run - 5) for every run of five or more of one colour. A
        // set bit in `changes` marks the last module of a run.
        let mut changes = (line ^ (line >> 1)) & ((1u128 << (width - 1)) - 1);
        let mut start = 0;
        while changes != 0 {
            let end = changes.trailing_zeros() as usize;
            score += run_penalty(end + 1 - start);
            start = end + 1;
            changes &= changes - 1;
        }
        score += run_penalty(width - start);
        // N3: 40 for 1:1:3:1:1 (dark-light-dark-dark-dark-light-dark) with
        // four light modules before or after it; outside the symbol is light.
        // All positions at once: bit p of `core` is set when the pattern
        // starts at p, of `before`/`after` when the four modules before or
        // after it are light.
        let padded = line << 4;
        let light = !padded;
        let core = padded
            & (light >> 1)
            & (padded >> 2)
            & (padded >> 3)
            & (padded >> 4)
            & (light >> 5)
            & (padded >> 6);
        let before = (light << 1) & (light << 2) & (light << 3) & (light << 4);
        let after = (light >> 7) & (light >> 8) & (light >> 9) & (light >> 10);
        score += 40 * (core & (before | after) & starts).count_ones() as usize;
    }
    // N2: 3 for every 2 x 2 block of one colour.
    let pairs = (1u128 << width.saturating_sub(1)) - 1;
    for pair in rows.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let blocks = !(a ^ b) & !(a ^ (a >> 1)) & !(b ^ (b >> 1)) & pairs;
        score += 3 * blocks.count_ones() as usize;
    }
    // N4: 10 for every full 5 % that the dark share differs from 50 %.
    let dark_count = dark.iter().filter(|&&d| d).count();
    let percent = dark_count * 100 / dark.len().max(1);
    score += 10 * (percent.abs_diff(50) / 5);
    u32::try_from(score).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_url_gives_a_version_four_png_of_one_pixel_per_module() -> Result<(), PrintError> {
        let url = "https://reactie.voorbeeld.nl/r/ABCDEFGHIJKLMNOPQRST";
        assert_eq!(modules(url)?.1, 33);
        let png = png(url, 1, 0)?;
        // IHDR: width and height, big-endian, after the signature and chunk head.
        assert_eq!(png.get(16..24), Some(&[0, 0, 0, 33, 0, 0, 0, 33][..]));
        Ok(())
    }

    #[test]
    fn the_chosen_mask_scores_no_worse_than_the_crates_own_choice() -> Result<(), PrintError> {
        let data = "https://reactie.voorbeeld.nl/r/KLMNOPQRSTUVWXYZ2345";
        let (ours, width) = modules(data)?;
        let theirs: Vec<bool> = qrcode::QrCode::with_error_correction_level(data, EcLevel::M)
            .map_err(|e| PrintError::Qr(e.to_string()))?
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        assert!(penalty(&ours, width) <= penalty(&theirs, width));
        Ok(())
    }

    /// The straightforward penalty, module by module: the reference.
    fn penalty_reference(dark: &[bool], width: usize) -> u32 {
        // Every row and every column as a line of 0/1 with four light modules
        // (the quiet zone) on both sides, so the finder rule can look past the edge.
        const PAD: usize = 4;
        let mut line = vec![0u8; width + 2 * PAD];
        let mut score = 0usize;
        for index in 0..width {
            for horizontal in [true, false] {
                for i in 0..width {
                    let module = if horizontal {
                        dark[index * width + i]
                    } else {
                        dark[i * width + index]
                    };
                    line[PAD + i] = u8::from(module);
                }
                let modules = &line[PAD..PAD + width];
                // N1: 3 + (run - 5) for every run of five or more of one colour.
                let mut run = 1;
                for i in 1..=width {
                    if i < width && modules[i] == modules[i - 1] {
                        run += 1;
                    } else {
                        if run >= 5 {
                            score += 3 + (run - 5);
                        }
                        run = 1;
                    }
                }
                // N3: 40 for 1:1:3:1:1 (dark-light-dark-dark-dark-light-dark)
                // with four light modules before or after it. Compared module by
                // module so most positions are rejected after one or two looks.
                const CORE: [u8; 7] = [1, 0, 1, 1, 1, 0, 1];
                for p in PAD..PAD + width.saturating_sub(6) {
                    if CORE.iter().enumerate().all(|(k, &c)| line[p + k] == c) {
                        let light_before = line[p - PAD..p].iter().all(|&m| m == 0);
                        let light_after = line[p + 7..p + 7 + PAD].iter().all(|&m| m == 0);
                        if light_before || light_after {
                            score += 40;
                        }
                    }
                }
            }
        }
        // N2: 3 for every 2 x 2 block of one colour.
        for y in 0..width.saturating_sub(1) {
            let (top, bottom) = (
                &dark[y * width..(y + 1) * width],
                &dark[(y + 1) * width..(y + 2) * width],
            );
            for x in 0..width - 1 {
                let c = top[x];
                if top[x + 1] == c && bottom[x] == c && bottom[x + 1] == c {
                    score += 3;
                }
            }
        }
        // N4: 10 for every full 5 % that the dark share differs from 50 %.
        let dark_count = dark.iter().filter(|&&d| d).count();
        let percent = dark_count * 100 / dark.len().max(1);
        score += 10 * (percent.abs_diff(50) / 5);
        u32::try_from(score).unwrap_or(u32::MAX)
    }

    #[test]
    fn a_big_batch_made_in_the_background_holds_every_code_in_order() -> Result<(), PrintError> {
        let urls: Vec<String> = (0..100)
            .map(|nr| format!("https://reactie.voorbeeld.nl/r/CODE{nr:04}"))
            .collect();
        let batch = Batch::start(urls.clone());
        batch.check()?;
        for (nr, url) in urls.iter().enumerate().rev() {
            let code = batch.get(nr).ok_or(PrintError::EmptyJob)?;
            assert_eq!(
                code.as_deref().ok(),
                Some(png(url, 1, 0)?.as_slice()),
                "code {nr}"
            );
        }
        assert!(batch.get(urls.len()).is_none());
        Ok(())
    }

    #[test]
    fn the_bit_set_penalty_agrees_with_the_reference_on_random_symbols() {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for width in [21, 25, 33, 37, 57, 120] {
            for _ in 0..20 {
                let dark: Vec<bool> = (0..width * width)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        state.is_multiple_of(3)
                    })
                    .collect();
                assert_eq!(
                    penalty(&dark, width),
                    penalty_reference(&dark, width),
                    "width {width}"
                );
            }
        }
    }

    #[test]
    fn penalty_counts_runs_blocks_finder_patterns_and_balance() {
        // A 5 x 5 all-light square: every row and column is one run of five
        // (10 x 3), 16 blocks (16 x 3), 0 % dark (10 x 10).
        assert_eq!(penalty(&[false; 25], 5), 30 + 48 + 100);
        // A row holding the finder pattern 1011101 followed by four light
        // modules; checked on a 11 x 11 symbol with otherwise light modules.
        let mut dark = vec![false; 121];
        for (i, d) in [true, false, true, true, true, false, true]
            .iter()
            .enumerate()
        {
            dark[i] = *d;
        }
        let with = penalty(&dark, 11);
        dark[0] = false;
        let without = penalty(&dark, 11);
        assert!(with >= without + 40 - 10, "{with} vs {without}");
    }
}
