fn main() {
    // The package root is the repository root (tauri.conf.json lives there); capabilities
    // are kept with the shell's sources.
    tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("src-tauri/capabilities/**/*"),
    )
    .expect("tauri-build failed");
}
