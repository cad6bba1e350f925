"""``onrecord train``: train the learned attribution model."""

from __future__ import annotations

import click

from onrecord.cli.common import spacy_command
from onrecord.errors import OnrecordError


@click.group(name="train")
def train_group() -> None:
    """Train the learned attribution model (needs the train extra: pip install 'onrecord[train]').

    Example:

    \b
        onrecord train polnear ../shared/data/polnear --out model/
    """


@train_group.command(name="polnear")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--out", type=click.Path(file_okay=False), default=None, help="Folder for the trained model.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Training config (TOML).  [default: onrecord/learn/tagger-minilm.toml, the shipped model's]",
)
@click.option(
    "--cache",
    type=click.Path(file_okay=False),
    default=None,
    help="Keep the featurized corpus here and reuse it on the next run.",
)
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="Processes for parsing."
)
@click.option(
    "--threads", type=click.IntRange(min=1), default=None, help="Torch threads.  [default: all cores]"
)
@click.option(
    "--device",
    default="cpu",
    show_default=True,
    help="Where torch trains: cpu, or cuda on a machine with a GPU (the model runs on the CPU either way).",
)
@click.option(
    "--features-only",
    is_flag=True,
    help="Only parse and featurize into --cache (with the pretrained encoder a config tunes), for a "
    "fit elsewhere: python -m onrecord.training.train CACHE WEIGHTS.pt, which needs PyTorch and not spaCy.",
)
@click.option(
    "--weights",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Fit nothing: export and calibrate these weights (written by python -m onrecord.training.train).",
)
@click.option(
    "--hold-out",
    "hold_out",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Leave these train articles out of the fit and its vocabulary: a file of document ids, one "
    "per line, or a JSONL file with a doc_id per record (train_resolved.jsonl), to score the model on them.",
)
@spacy_command
def train_polnear_command(
    path: str,
    out: str | None,
    config_path: str | None,
    cache: str | None,
    jobs: int,
    threads: int | None,
    device: str,
    features_only: bool,
    weights: str | None,
    hold_out: str | None,
) -> None:
    """Train the tagger on PolNeAR train, choose the epoch on dev, write tagger.onnx to OUT.

    The same config, seed and versions give the same model. To run it, set ONRECORD_MODEL=OUT;
    to ship it, copy OUT over onrecord/learn/model/.

    Example:

    \b
        onrecord train polnear ../shared/data/polnear --out model/ -j 2
        # fitting on another machine (a GPU, no spaCy): features here, fit there, export here
        onrecord train polnear ../shared/data/polnear --cache feats/ --config CONFIG --features-only
        python -m onrecord.training.train feats/ weights.pt --config CONFIG --device cuda
        onrecord train polnear ../shared/data/polnear --cache feats/ --config CONFIG --weights weights.pt --out model/
    """
    # heavy: numpy and the trainer, only when the command runs
    from onrecord.training.train import read_doc_ids, train_polnear

    if features_only and (cache is None or out is not None or weights is not None):
        raise click.UsageError("--features-only takes --cache and neither --out nor --weights")
    if not features_only and out is None:
        raise click.UsageError("--out is required (or --features-only with --cache)")
    if weights is not None and cache is None:
        raise click.UsageError("--weights needs the --cache the weights were fitted on")
    try:
        train_polnear(
            path,
            out,
            config_path=config_path,
            cache=cache,
            n_process=jobs,
            threads=threads,
            device=device,
            weights=weights,
            held_out=read_doc_ids(hold_out) if hold_out else (),
            log=click.echo,
        )
    except OnrecordError as e:
        raise click.ClickException(str(e)) from e
