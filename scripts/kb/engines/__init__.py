"""The thin glue for each site generator: MkDocs (a hook) and Zensical (a configuration overlay)."""
