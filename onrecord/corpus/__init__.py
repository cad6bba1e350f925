"""The corpus: many articles in one store, with speaker identity and quote provenance across them.

Data flows one way: ``sources`` turns inputs (text, HTML, WARC, JSONL) into ``Item`` records;
``ingest`` extracts each item with the pipeline in worker processes and one writer puts the
article into a ``store`` (SQLite or PostgreSQL); then ``identity`` (one speaker id per person
across articles) and ``provenance`` (the same quotation in several articles) run over the whole
corpus (``consolidate``); ``stance`` answers who is for or against a topic. The records read
from inputs are in ``onrecord.corpus.records``, those the store keeps in ``onrecord.store.records``.
"""
