//! The program id is chosen at build time: `ASDF_DAT_PROGRAM_ID` (base58), else the project's
//! default. `declare_id!` in lib.rs reads it, so a deploy under your own program keypair needs
//! no source edit: `ASDF_DAT_PROGRAM_ID=<your id> make build`.

const DEFAULT_PROGRAM_ID: &str = "Da57QBZtk8eMgSe85Ky85px8G5Xxh3iSb2NJx2vn9dC4";
const BASE58: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

fn main() {
    println!("cargo:rerun-if-env-changed=ASDF_DAT_PROGRAM_ID");
    let id = std::env::var("ASDF_DAT_PROGRAM_ID")
        .ok()
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
        .unwrap_or_else(|| DEFAULT_PROGRAM_ID.to_owned());
    // `Address::from_str_const` rejects a bad id at compile time too; this says which variable.
    assert!(
        (32..=44).contains(&id.len()) && id.chars().all(|c| BASE58.contains(c)),
        "ASDF_DAT_PROGRAM_ID={id:?} is not a base58 public key"
    );
    println!("cargo:rustc-env=ASDF_DAT_PROGRAM_ID={id}");
}
