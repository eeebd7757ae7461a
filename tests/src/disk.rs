//! A small disk for a test to fill: a tmpfs of a few MiB mounted on a temporary directory in the
//! machine's own mount namespace (a server the test did not start, PostgreSQL, must see it too),
//! filled with a file until writing fails with "no space left", freed again, and unmounted when
//! dropped. Mounting needs root; `SmallDisk::mount` says `None` otherwise and the test is skipped
//! with a line saying so.

use std::io::Write;
use std::path::Path;

pub struct SmallDisk {
    mount: tempfile::TempDir,
}

impl SmallDisk {
    /// A fresh tmpfs of `megabytes` MiB, or `None` when this process may not mount (not root).
    pub fn mount(megabytes: u32) -> Option<SmallDisk> {
        if unsafe { libc::geteuid() } != 0 {
            eprintln!("skipped: mounting a small disk to fill needs root");
            return None;
        }
        let mount = tempfile::TempDir::new().expect("a mount point");
        let status = std::process::Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={megabytes}M,mode=0755"),
                "tmpfs",
            ])
            .arg(mount.path())
            .status()
            .expect("mount");
        assert!(status.success(), "mounting a tmpfs as root failed");
        Some(SmallDisk { mount })
    }

    pub fn path(&self) -> &Path {
        self.mount.path()
    }

    /// Writes a file until the disk is full.
    pub fn fill(&self) {
        let mut filler = std::fs::File::create(self.filler()).expect("a filler file");
        let block = vec![0u8; 64 * 1024];
        loop {
            match filler.write_all(&block) {
                Ok(()) => {}
                Err(e) if e.raw_os_error() == Some(libc::ENOSPC) => break,
                Err(e) => panic!("filling the disk: {e}"),
            }
        }
        let _ = filler.sync_all();
    }

    /// Takes the filler away again (nothing if there is none).
    pub fn free(&self) {
        let _ = std::fs::remove_file(self.filler());
    }

    fn filler(&self) -> std::path::PathBuf {
        self.mount.path().join("filler")
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.mount.path())
            .status();
    }
}
