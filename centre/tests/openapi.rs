//! The committed OpenAPI description (`docs/openapi.json`) is the one the code generates: a
//! change to an endpoint or a wire type that is not reflected there fails here. Run with
//! `GADEPLAN_WRITE_OPENAPI=1` to write the generated one over it.

use std::path::Path;

#[test]
fn the_committed_description_is_the_generated_one() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.json");
    let generated = gadeplan_centre::openapi::json();
    if std::env::var_os("GADEPLAN_WRITE_OPENAPI").is_some() {
        std::fs::write(&committed, &generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(
        on_disk == generated,
        "docs/openapi.json differs from what the code generates; \
         run GADEPLAN_WRITE_OPENAPI=1 cargo test -p gadeplan-centre --test openapi and commit it"
    );
}

#[test]
fn the_description_names_every_endpoint_and_its_json_refusals() {
    let description: serde_json::Value =
        serde_json::from_str(&gadeplan_centre::openapi::json()).unwrap();
    for (path, method) in [
        ("/v1/enrol", "post"),
        ("/v1/push", "post"),
        ("/v1/pull", "post"),
        ("/v1/digest", "post"),
        ("/v1/report", "get"),
    ] {
        let responses = &description["paths"][path][method]["responses"];
        assert!(responses["200"].is_object(), "{path}");
        for (status, response) in responses.as_object().unwrap() {
            if status.starts_with('4') || status.starts_with('5') {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{path} {status}"
                );
            }
        }
    }
}
