"""Corpora read as data, for the evaluation and the training above the run-time code."""
