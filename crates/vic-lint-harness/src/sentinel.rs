//! The neighbour of the degraded scenario (RUN-4): a container that stands for an unrelated
//! process of the appliance. It shares the component's network and data tree, owns a folder in
//! each of `storage/data`, `storage/db` and `storage/log`, and only waits.
//!
//! Its image is built here, from nothing: a scratch image holding one static x86-64 program of
//! 129 bytes that calls pause(2) forever. Nothing is pulled, and no busybox is needed on the
//! user's machine. Other architectures get no neighbour, and the scenario says so.

use std::path::Path;

use crate::engine::{Engine, EngineError};

/// The folder the neighbour owns in each storage folder of the tree.
pub const FOLDER: &str = "vic-lint-neighbour";
/// What it keeps there; the scenario checks these are left as they were.
pub const FILES: [(&str, &str); 3] = [
    ("storage/data/vic-lint-neighbour/state.json", "{\"owner\": \"an unrelated appliance process\"}\n"),
    ("storage/db/vic-lint-neighbour/records.db", "record 1\nrecord 2\n"),
    ("storage/log/vic-lint-neighbour/neighbour.log", "neighbour started\n"),
];

const LOAD_ADDRESS: u64 = 0x40_0000;
const HEADERS: u64 = 64 + 56;

/// `mov eax, 34 (pause); syscall; jmp back to mov`.
const CODE: [u8; 9] = [0xb8, 0x22, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xeb, 0xf7];

/// The ELF file: its header, one loadable segment (the whole file, read and execute), the code.
pub fn program() -> Vec<u8> {
    let size = HEADERS + CODE.len() as u64;
    let mut elf = Vec::with_capacity(size as usize);
    elf.extend_from_slice(&[0x7f, b'E', b'L', b'F', 2, 1, 1, 0]);
    elf.extend_from_slice(&[0; 8]);
    elf.extend_from_slice(&2u16.to_le_bytes()); // executable
    elf.extend_from_slice(&0x3eu16.to_le_bytes()); // x86-64
    elf.extend_from_slice(&1u32.to_le_bytes());
    elf.extend_from_slice(&(LOAD_ADDRESS + HEADERS).to_le_bytes()); // entry
    elf.extend_from_slice(&64u64.to_le_bytes()); // program headers
    elf.extend_from_slice(&0u64.to_le_bytes()); // no section headers
    elf.extend_from_slice(&0u32.to_le_bytes());
    for half in [64u16, 56, 1, 64, 0, 0] {
        elf.extend_from_slice(&half.to_le_bytes());
    }
    elf.extend_from_slice(&1u32.to_le_bytes()); // PT_LOAD
    elf.extend_from_slice(&5u32.to_le_bytes()); // R+X
    elf.extend_from_slice(&0u64.to_le_bytes());
    elf.extend_from_slice(&LOAD_ADDRESS.to_le_bytes());
    elf.extend_from_slice(&LOAD_ADDRESS.to_le_bytes());
    elf.extend_from_slice(&size.to_le_bytes());
    elf.extend_from_slice(&size.to_le_bytes());
    elf.extend_from_slice(&0x1000u64.to_le_bytes());
    elf.extend_from_slice(&CODE);
    elf
}

/// The neighbour's image on this engine, built on first use; an error says why there is none.
pub async fn image(engine: &Engine) -> Result<String, String> {
    let arch = engine.architecture().await;
    if !matches!(arch.as_deref(), Some("x86_64" | "amd64")) {
        return Err(format!(
            "the neighbour container is built for x86-64 only, and this engine runs {}",
            arch.as_deref().unwrap_or("an unknown architecture")
        ));
    }
    let bytes = program();
    let mut hash: u32 = 0x811c_9dc5;
    for b in &bytes {
        hash = (hash ^ u32::from(*b)).wrapping_mul(0x0100_0193);
    }
    let tag = format!("vic-lint/neighbour:{hash:08x}");
    if engine.image(&tag).await.is_ok() {
        return Ok(tag);
    }
    let dir = tempfile::tempdir().map_err(|e| format!("cannot create a build folder: {e}"))?;
    write_context(dir.path(), &bytes).map_err(|e| format!("cannot write the build folder: {e}"))?;
    engine.build(dir.path(), &tag).await.map_err(|e: EngineError| e.to_string())?;
    Ok(tag)
}

fn write_context(dir: &Path, program: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("neighbour");
    std::fs::write(&bin, program)?;
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755))?;
    std::fs::write(
        dir.join("Dockerfile"),
        "FROM scratch\nCOPY neighbour /neighbour\nLABEL vic-lint.neighbour=true\nENTRYPOINT [\"/neighbour\"]\n",
    )
}

/// Gives the neighbour its files in a tree copy.
pub fn seed(tree: &Path) -> std::io::Result<()> {
    for (path, text) in FILES {
        let p = tree.join(path);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(p, text)?;
    }
    Ok(())
}

/// Whether a changed path is the neighbour's.
pub fn owns(path: &str) -> bool {
    path.split('/').nth(2) == Some(FOLDER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_program_is_one_loadable_segment_that_jumps_back_to_pause() {
        let elf = program();
        assert_eq!(elf.len(), 129);
        assert_eq!(elf.get(..4), Some(&b"\x7fELF"[..]));
        let entry = u64::from_le_bytes(elf.get(24..32).and_then(|b| b.try_into().ok()).unwrap_or_default());
        assert_eq!(entry, LOAD_ADDRESS + 120);
        assert_eq!(elf.get(120..), Some(&CODE[..]));
        // jmp rel8 counts from the end of the jmp (129) and must land on the mov (120).
        assert_eq!(CODE.last().map(|b| i64::from(*b as i8)), Some(120 - 129));
    }

    #[test]
    fn the_neighbour_owns_its_folders_only() {
        assert!(owns("storage/data/vic-lint-neighbour/state.json"));
        assert!(owns("storage/log/vic-lint-neighbour"));
        assert!(!owns("storage/data/reference/config.env"));
        assert!(!owns("storage/data"));
    }
}
