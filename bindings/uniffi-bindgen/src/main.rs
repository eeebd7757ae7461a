//! uniffi's own binding generator, pinned to the version the core is built with.

fn main() {
    uniffi::uniffi_bindgen_main()
}
