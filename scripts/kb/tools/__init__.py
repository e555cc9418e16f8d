"""Contributor and maintainer tools: formatting, new records, change summaries, link checks, benchmarks."""
