//! Helpers for the print tests: a printer with the built-in templates, and
//! the outside tools that read PDFs back (`pdftotext` and `pdftoppm` from
//! poppler-utils, `zbarimg` from zbar-tools). A missing tool fails the test
//! with a message saying what to install; tests never skip silently.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};
use veldwerk_print::{Branding, Printer, ResponseBase, TemplateSet};

pub const BASE: &str = "https://reactie.voorbeeld.nl";

/// Points per millimetre (1 pt = 1/72 inch).
pub const PT_PER_MM: f64 = 72.0 / 25.4;

pub fn printer() -> Result<Printer> {
    printer_with(TemplateSet::builtin())
}

pub fn printer_with(templates: TemplateSet) -> Result<Printer> {
    Ok(Printer::new(
        Branding::builtin()?,
        &templates,
        ResponseBase::parse(BASE)?,
    )?)
}

/// Runs an outside tool; fails with install instructions when it is missing.
fn run(tool: &str, args: &[&str]) -> Result<std::process::Output> {
    let output = Command::new(tool).args(args).output().map_err(|e| {
        anyhow::anyhow!(
            "could not run `{tool}` ({e}). The print tests need poppler-utils (pdftotext, pdftoppm) \
             and zbar-tools (zbarimg): apt-get install -y poppler-utils zbar-tools"
        )
    })?;
    Ok(output)
}

/// A temp folder holding one PDF (synthetic data only).
pub struct Pdf {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl Pdf {
    pub fn write(bytes: &[u8]) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("test.pdf");
        std::fs::write(&path, bytes)?;
        Ok(Self { _dir: dir, path })
    }

    fn path_str(&self) -> Result<&str> {
        self.path.to_str().context("temp path is not UTF-8")
    }

    /// `pdftotext -layout` of one page (1-based).
    pub fn layout_text(&self, page: usize) -> Result<String> {
        let p = page.to_string();
        let out = run(
            "pdftotext",
            &["-layout", "-f", &p, "-l", &p, self.path_str()?, "-"],
        )?;
        ensure!(
            out.status.success(),
            "pdftotext failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(String::from_utf8(out.stdout)?)
    }

    /// Every word with its box, from `pdftotext -bbox`, in the order the
    /// PDF draws them.
    pub fn words(&self) -> Result<Vec<Word>> {
        let out = run("pdftotext", &["-bbox", self.path_str()?, "-"])?;
        ensure!(
            out.status.success(),
            "pdftotext -bbox failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        parse_bbox(&String::from_utf8(out.stdout)?)
    }

    /// The words of one page joined by single spaces: for sentence checks
    /// that must not depend on where lines break.
    pub fn page_sentences(&self, page: usize) -> Result<String> {
        Ok(self
            .words()?
            .iter()
            .filter(|w| w.page == page)
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" "))
    }

    /// Renders one page at 200 dpi with `pdftoppm` and decodes every QR code
    /// on it with `zbarimg`, one string per code.
    ///
    /// Anti-aliasing is off: zbar misreads the grey edges of small modules
    /// now and then (on a sheet of ten business cards it missed one code in
    /// 2 sheets of 15 at 150 dpi with anti-aliasing), while a phone camera
    /// does not care.
    pub fn qr_codes(&self, page: usize) -> Result<Vec<String>> {
        self.qr_codes_in(page, None)
    }

    /// Like [`Pdf::qr_codes`], for one rectangle of the page only (left,
    /// top, width, height in mm): one card of a sheet, the way a phone sees
    /// it. zbar now and then misses one of ten codes in a whole sheet while
    /// each card alone always decodes.
    pub fn qr_codes_in_rect(&self, page: usize, rect_mm: [f64; 4]) -> Result<Vec<String>> {
        self.qr_codes_in(page, Some(rect_mm))
    }

    fn qr_codes_in(&self, page: usize, rect_mm: Option<[f64; 4]>) -> Result<Vec<String>> {
        let p = page.to_string();
        let name = match rect_mm {
            None => format!("page-{page}"),
            Some([x, y, ..]) => format!("page-{page}-{x}-{y}"),
        };
        let prefix = self.path.with_file_name(name);
        let prefix_str = prefix.to_str().context("temp path is not UTF-8")?;
        let px = |mm: f64| (mm / 25.4 * 200.0).round().to_string();
        let crop: Vec<String> = match rect_mm {
            None => Vec::new(),
            Some([x, y, w, h]) => ["-x", &px(x), "-y", &px(y), "-W", &px(w), "-H", &px(h)]
                .map(str::to_owned)
                .to_vec(),
        };
        let mut args = vec![
            "-r",
            "200",
            "-png",
            "-aa",
            "no",
            "-aaVector",
            "no",
            "-singlefile",
            "-f",
            &p,
            "-l",
            &p,
        ];
        args.extend(crop.iter().map(String::as_str));
        args.extend([self.path_str()?, prefix_str]);
        let out = run("pdftoppm", &args)?;
        ensure!(
            out.status.success(),
            "pdftoppm failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let png = prefix.with_extension("png");
        decode_png(&png)
    }
}

/// Decodes every QR code in a PNG file with `zbarimg`.
pub fn decode_png(png: &Path) -> Result<Vec<String>> {
    let png = png.to_str().context("temp path is not UTF-8")?;
    let out = run(
        "zbarimg",
        &["--raw", "-q", "-Sdisable", "-Sqrcode.enable", png],
    )?;
    // zbarimg exits with 4 when it finds no code: that is an empty answer.
    if !out.status.success() && out.status.code() != Some(4) {
        bail!("zbarimg failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8(out.stdout)?
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// One word from `pdftotext -bbox`, with its box in points from the top-left.
#[derive(Debug, Clone)]
pub struct Word {
    pub page: usize,
    pub text: String,
    pub x_min: f64,
    pub y_min: f64,
    pub x_max: f64,
    pub y_max: f64,
}

fn attribute(tag: &str, name: &str) -> Result<f64> {
    let start = tag
        .find(&format!("{name}=\""))
        .with_context(|| format!("no {name} in {tag}"))?
        + name.len()
        + 2;
    let end = tag[start..].find('"').context("unterminated attribute")? + start;
    Ok(tag[start..end].parse()?)
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn parse_bbox(html: &str) -> Result<Vec<Word>> {
    let mut words = Vec::new();
    let mut page = 0;
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let close = rest.find('>').context("bad word tag")?;
            let tag = &rest[..close];
            let text = rest[close + 1..]
                .strip_suffix("</word>")
                .context("bad word end")?;
            words.push(Word {
                page,
                text: unescape(text),
                x_min: attribute(tag, "xMin")?,
                y_min: attribute(tag, "yMin")?,
                x_max: attribute(tag, "xMax")?,
                y_max: attribute(tag, "yMax")?,
            });
        }
    }
    Ok(words)
}

/// The position of the first run of consecutive words on `page` that spells
/// `phrase` (split on whitespace).
pub fn find_phrase<'a>(words: &'a [Word], page: usize, phrase: &str) -> Option<&'a [Word]> {
    let wanted: Vec<&str> = phrase.split_whitespace().collect();
    let on_page: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].page == page)
        .collect();
    on_page.windows(wanted.len()).find_map(|window| {
        let matches = window
            .iter()
            .zip(&wanted)
            .all(|(&i, w)| words[i].text == *w);
        // Page words are consecutive in the list, so the window is a slice.
        matches.then(|| &words[window[0]..=window[window.len() - 1]])
    })
}

/// Whitespace collapsed to single spaces.
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Pdf {
    /// The size in millimetres of the dark area inside a rectangle of one
    /// page (given in mm from the top-left), rendered at 200 dpi in grey.
    pub fn dark_extent_mm(
        &self,
        page: usize,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
    ) -> Result<(f64, f64)> {
        let dpi = 200.0;
        let px = |mm: f64| ((mm / 25.4 * dpi).round() as i64).to_string();
        let p = page.to_string();
        let prefix = self.path.with_file_name(format!("crop-{page}"));
        let prefix_str = prefix.to_str().context("temp path is not UTF-8")?;
        let args = [
            "-r",
            "200",
            "-gray",
            "-singlefile",
            "-f",
            &p,
            "-l",
            &p,
            "-x",
            &px(x),
            "-y",
            &px(y),
            "-W",
            &px(w),
            "-H",
            &px(h),
        ];
        let mut all: Vec<&str> = args.to_vec();
        let pdf = self.path_str()?.to_owned();
        all.push(&pdf);
        all.push(prefix_str);
        let out = run("pdftoppm", &all)?;
        ensure!(
            out.status.success(),
            "pdftoppm failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let pgm = std::fs::read(prefix.with_extension("pgm"))?;
        let (width, height, pixels) = parse_pgm(&pgm)?;
        let (mut min_x, mut min_y, mut max_x, mut max_y) = (usize::MAX, usize::MAX, 0, 0);
        for (i, &v) in pixels.iter().enumerate() {
            if v < 128 {
                let (cx, cy) = (i % width, i / width);
                min_x = min_x.min(cx);
                max_x = max_x.max(cx);
                min_y = min_y.min(cy);
                max_y = max_y.max(cy);
            }
        }
        ensure!(
            min_x <= max_x && height > 0,
            "nothing dark in the rectangle"
        );
        let mm = |px: usize| px as f64 / dpi * 25.4;
        Ok((mm(max_x - min_x + 1), mm(max_y - min_y + 1)))
    }
}

/// A binary greyscale PGM (P5, 8 bit): width, height, pixels.
fn parse_pgm(bytes: &[u8]) -> Result<(usize, usize, &[u8])> {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        ensure!(start < i, "short PGM header");
        fields.push(std::str::from_utf8(&bytes[start..i])?);
    }
    ensure!(
        fields[0] == "P5" && fields[3] == "255",
        "not an 8-bit P5 PGM"
    );
    let (width, height): (usize, usize) = (fields[1].parse()?, fields[2].parse()?);
    let pixels = &bytes[i + 1..];
    ensure!(pixels.len() >= width * height, "PGM data too short");
    Ok((width, height, &pixels[..width * height]))
}
