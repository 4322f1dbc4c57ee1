"""One module per mention type; each registers itself with `pipeline.register_extractor`."""
