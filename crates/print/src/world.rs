//! The closed world Typst compiles in: embedded fonts, the standard library,
//! the templates, and the in-memory files of one print job. Nothing is read
//! from the disk or the network, and the date is the job's date, so the same
//! input gives the same PDF on every machine.
//!
//! [`Engine`] holds what is expensive and shared (library, fonts, parsed
//! templates) and is built once per [`crate::Printer`]; [`JobWorld`] adds
//! one job's files on top and lives for one compilation.

use std::collections::HashMap;
use std::sync::Arc;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::qr::Batch;
use crate::templates::TemplateSet;

/// The fonts: Noto Sans (SIL Open Font License 1.1), from the `notosans` crate.
const FONTS: [&[u8]; 4] = [
    notosans::REGULAR_TTF,
    notosans::BOLD_TTF,
    notosans::ITALIC_TTF,
    notosans::BOLD_ITALIC_TTF,
];

/// Built once, shared by every compilation.
pub(crate) struct Engine {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    templates: HashMap<FileId, Source>,
}

impl Engine {
    pub(crate) fn new(templates: &TemplateSet) -> Self {
        let fonts: Vec<Font> = FONTS
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)))
            .collect();
        let templates = templates
            .files()
            .map(|(path, text)| {
                let id = file_id(&format!("/{path}"));
                (id, Source::new(id, text.to_owned()))
            })
            .collect();
        Self {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            templates,
        }
    }

    pub(crate) fn font_count(&self) -> usize {
        self.fonts.len()
    }
}

/// The id of a file at an absolute virtual path such as `/data.json`.
pub(crate) fn file_id(path: &str) -> FileId {
    FileId::new(None, VirtualPath::new(path))
}

/// One compilation's world.
pub(crate) struct JobWorld<'a> {
    engine: &'a Engine,
    main: Source,
    files: HashMap<FileId, Bytes>,
    /// QR codes still being made: the file at a path is code `n` of the batch.
    qr_codes: Option<(Arc<Batch>, HashMap<FileId, usize>)>,
    today: Option<Datetime>,
}

impl<'a> JobWorld<'a> {
    pub(crate) fn new(engine: &'a Engine, main_text: &str, today: Option<Datetime>) -> Self {
        Self {
            engine,
            main: Source::new(file_id("/main.typ"), main_text.to_owned()),
            files: HashMap::new(),
            qr_codes: None,
            today,
        }
    }

    pub(crate) fn add_file(&mut self, path: &str, bytes: impl AsRef<[u8]> + Send + Sync + 'static) {
        self.files.insert(file_id(path), Bytes::new(bytes));
    }

    /// The QR codes of a batch, code `n` at `path(n)`; reading one waits
    /// until it is made.
    pub(crate) fn add_qr_codes(
        &mut self,
        batch: Arc<Batch>,
        count: usize,
        path: impl Fn(usize) -> String,
    ) {
        let paths = (0..count).map(|nr| (file_id(&path(nr)), nr)).collect();
        self.qr_codes = Some((batch, paths));
    }

    /// The template or main source behind an id, for error messages.
    pub(crate) fn lookup(&self, id: FileId) -> Option<&Source> {
        if id == self.main.id() {
            Some(&self.main)
        } else {
            self.engine.templates.get(&id)
        }
    }
}

impl World for JobWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.lookup(id).cloned().ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(bytes) = self.files.get(&id) {
            return Ok(bytes.clone());
        }
        if let Some((batch, paths)) = &self.qr_codes
            && let Some(code) = paths.get(&id).and_then(|&nr| batch.get(nr))
        {
            return code.map_err(|e| FileError::Other(Some(e.into())));
        }
        match self.lookup(id) {
            Some(source) => Ok(Bytes::from_string(source.text().to_owned())),
            None => Err(not_found(id)),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        self.today
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().as_rootless_path().to_owned())
}
