//! A private folder for printed PDFs, which are personal data.
//!
//! The folder is made under the operating system's temp folder, readable
//! only by the user (mode 0700 on Unix; on Windows the per-user temp folder
//! is already private), and files in it get mode 0600. [`PrivateTempDir::wipe`]
//! overwrites every file with zeros before removing it; the app calls it after
//! printing and when the vault locks, and dropping the folder wipes and
//! removes it.
//!
//! Overwriting is a best effort: on SSDs and copy-on-write file systems the
//! old blocks may survive. The real protections are the short life of these
//! files and full-disk encryption; overwriting narrows the window.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::PrintError;

/// A private temp folder that is wiped on [`PrivateTempDir::wipe`] and on drop.
#[derive(Debug)]
pub struct PrivateTempDir {
    dir: tempfile::TempDir,
}

impl PrivateTempDir {
    /// Makes a new folder `veldwerk-print-XXXXXX` in the OS temp folder.
    pub fn new() -> Result<Self, PrintError> {
        let mut builder = tempfile::Builder::new();
        builder.prefix("veldwerk-print-");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o700));
        }
        let dir = builder
            .tempdir()
            .map_err(PrintError::io("create the private print folder"))?;
        Ok(Self { dir })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a new file (mode 0600) and returns its path. `file_name` must be
    /// a plain name without folders; use names without personal data
    /// (`brief-2.pdf`, not the young person's name), because names of files
    /// show up in print queues. An existing file of that name is replaced.
    pub fn write(&self, file_name: &str, bytes: &[u8]) -> Result<PathBuf, PrintError> {
        let plain = !file_name.is_empty()
            && file_name != "."
            && file_name != ".."
            && !file_name.contains(['/', '\\', ':', '\0']);
        if !plain {
            return Err(PrintError::invalid(
                "file name",
                "must be a plain file name without folders",
            ));
        }
        let path = self.dir.path().join(file_name);
        if path.exists() {
            wipe_file(&path)
                .map_err(PrintError::io("replace a file in the private print folder"))?;
        }
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options
            .open(&path)
            .map_err(PrintError::io("create a file in the private print folder"))?;
        file.write_all(bytes)
            .map_err(PrintError::io("write a file in the private print folder"))?;
        file.sync_all()
            .map_err(PrintError::io("write a file in the private print folder"))?;
        Ok(path)
    }

    /// Overwrites and removes everything in the folder; the folder itself
    /// stays, ready for the next job. Fails when a file cannot be removed
    /// (on Windows: while a viewer still has it open); call again later.
    pub fn wipe(&self) -> Result<(), PrintError> {
        wipe_contents(self.dir.path()).map_err(PrintError::io("wipe the private print folder"))
    }
}

impl Drop for PrivateTempDir {
    fn drop(&mut self) {
        // Errors cannot be reported from drop; TempDir's own drop then tries
        // to remove what is left.
        let _ = self.wipe();
    }
}

fn wipe_contents(dir: &Path) -> io::Result<()> {
    let mut first_error = None;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        let result = if kind.is_dir() {
            wipe_contents(&path).and_then(|()| fs::remove_dir(&path))
        } else if kind.is_file() {
            wipe_file(&path)
        } else {
            // A symbolic link: remove the link, never follow it.
            fs::remove_file(&path)
        };
        if let Err(e) = result {
            first_error.get_or_insert(e);
        }
    }
    first_error.map_or(Ok(()), Err)
}

fn wipe_file(path: &Path) -> io::Result<()> {
    let mut file = fs::OpenOptions::new().write(true).open(path)?;
    let len = file.metadata()?.len();
    let zeros = [0u8; 64 * 1024];
    let mut left = len;
    while left > 0 {
        let n = usize::try_from(left.min(zeros.len() as u64)).unwrap_or(zeros.len());
        file.write_all(&zeros[..n])?;
        left -= n as u64;
    }
    file.sync_all()?;
    drop(file);
    fs::remove_file(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_is_private_and_wipe_empties_it() -> Result<(), PrintError> {
        let dir = PrivateTempDir::new()?;
        let path = dir.write("brief-1.pdf", b"%PDF-1.7 test")?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| {
                fs::metadata(p)
                    .map(|m| m.permissions().mode() & 0o777)
                    .unwrap_or(0)
            };
            assert_eq!(mode(dir.path()), 0o700);
            assert_eq!(mode(&path), 0o600);
        }
        dir.wipe()?;
        assert!(!path.exists());
        assert!(dir.path().exists());
        Ok(())
    }

    #[test]
    fn dropping_the_folder_removes_it() -> Result<(), PrintError> {
        let dir = PrivateTempDir::new()?;
        dir.write("a.pdf", b"x")?;
        let path = dir.path().to_owned();
        drop(dir);
        assert!(!path.exists());
        Ok(())
    }

    #[test]
    fn file_names_with_folders_are_refused() -> Result<(), PrintError> {
        let dir = PrivateTempDir::new()?;
        assert!(dir.write("../x.pdf", b"x").is_err());
        assert!(dir.write("", b"x").is_err());
        Ok(())
    }
}
