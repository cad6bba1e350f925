"""A training config small enough to fit in seconds on a few invented examples, for the tests
that train (tests/test_train.py, tests/test_exit_codes.py)."""

from __future__ import annotations


def small_config(epochs: int = 8) -> str:
    return f"""
[data]
max_tokens = 32
vocab_size = 50
min_count = 1

[model]
word_dim = 8
feature_dim = 4
hidden = 12
layers = 1
dropout = 0.0

[train]
seed = 3
epochs = {epochs}
batch_size = 4
learning_rate = 0.03
weight_decay = 0.0
clip = 5.0
word_dropout = 0.0
calibration_articles = 0
"""
