"""The data model and its validation: reading data/ safely, the schemas, and every rule a record must meet."""
