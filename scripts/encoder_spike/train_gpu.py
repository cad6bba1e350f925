"""The encoder spike's training (README, "The transformer encoder"): the tagger with the first K
MiniLM layers, trained on the arrays of ``prepare.py``; prints dev span F1 per epoch and saves
the best epoch's weights (float16, without the frozen word-piece table).

    python scripts/encoder_spike/train_gpu.py DATA_DIR NAME [K=3] [vec=0] [layers=1] [epochs=10] ...

It needs torch and transformers, not spaCy, so it runs on a GPU machine that has no onrecord
install: only this repository and DATA_DIR. The modules are onrecord's (``onrecord.learn.net``);
the batching is this script's own, with the recipe's settings (chunks of 256 tokens, windows of
at most 510 word pieces, mean of the pieces per token, bfloat16 products on a GPU). Several runs
can share one GPU. ``vec=1`` adds the tok2vec vectors as ``prepare.py`` cut them (PCA, int8).
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from onrecord.learn.decode import viterbi_roles
from onrecord.learn.net import build_encoder, build_tagger, crf_nll, pool

DEFAULTS: dict[str, Any] = {
    "K": 3, "hidden": 160, "layers": 1, "lr": 2e-3, "lr_enc": 5e-5, "epochs": 10, "batch": 32,
    "limit": 0, "dropout": 0.3, "save": 1, "vec": 0, "held": 84,
}  # fmt: skip
CLS, SEP = 101, 102
DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


def load(folder: Path, split: str) -> list[dict[str, np.ndarray]]:
    z = dict(np.load(folder / f"{split}.npz"))
    names = ("ids", "gold", "chunks", "wp", "wptok", "win", "vec")
    offsets = {k: np.concatenate([[0], np.cumsum(z[k + "_n"])]) for k in names}
    vectors = z["vec"].astype(np.float32) * z["vec_scale"]
    docs = []
    for d in range(len(z["docs"])):
        doc = {k: (vectors if k == "vec" else z[k])[offsets[k][d] : offsets[k][d + 1]] for k in names}
        for k in ("ids", "gold", "wp", "wptok"):
            doc[k] = doc[k].astype(np.int64)
        docs.append(doc)
    return docs


def items(docs: list[dict[str, np.ndarray]]) -> list[tuple[Any, ...]]:
    """(ids, gold, windows as (pieces, token relative to the chunk), vectors) per chunk."""
    out = []
    for d in docs:
        for lo, hi in d["chunks"]:
            wins = []
            for ws, we in d["win"]:
                if ws >= lo and we <= hi:
                    a, b = np.searchsorted(d["wptok"], [ws, we])
                    wins.append((d["wp"][a:b], d["wptok"][a:b] - lo))
            out.append((d["ids"][lo:hi], d["gold"][lo:hi], wins, d["vec"][lo:hi]))
    return out


def tensors(
    batch: list[tuple[Any, ...]], args: dict[str, Any], columns: int, word_dropout: float, rng: Any
) -> tuple[Any, ...]:
    length = max(len(x[0]) for x in batch)
    ids = np.zeros((len(batch), length, columns), np.int64)
    gold = np.full((len(batch), length, 3), -100, np.int64)
    vec = np.zeros((len(batch), length, batch[0][3].shape[1] if args["vec"] else 0), np.float32)
    wins = [(row, w) for row, item in enumerate(batch) for w in item[2]]
    width = max([len(w[0]) for _, w in wins] + [0]) + 2
    pieces = np.zeros((max(1, len(wins)), width), np.int64)
    mask = np.zeros_like(pieces)
    slots = np.full_like(pieces, -1)
    for row, (i, g, _, v) in enumerate(batch):
        ids[row, : len(i)] = i
        gold[row, : len(g)] = g
        if args["vec"]:
            vec[row, : len(v)] = v
    for k, (row, (wp, token)) in enumerate(wins):
        n = len(wp)
        pieces[k, 0], pieces[k, 1 : n + 1], pieces[k, n + 1] = CLS, wp, SEP
        mask[k, : n + 2] = 1
        slots[k, 1 : n + 1] = row * length + token
    if word_dropout:
        drop = (rng.random(ids.shape[:2]) < word_dropout) & (ids[:, :, 0] > 1)
        ids[:, :, 0][drop] = 1
    return tuple(torch.from_numpy(a).to(DEVICE) for a in (ids, gold, pieces, mask, slots, vec))


def spans(tags: list[int]) -> list[tuple[int, int]]:
    out, start = [], -1
    for i, t in enumerate(tags):
        if t == 1 or (t == 2 and start < 0):
            if start >= 0:
                out.append((start, i - 1))
            start = i
        elif t == 0 and start >= 0:
            out.append((start, i - 1))
            start = -1
    if start >= 0:
        out.append((start, len(tags) - 1))
    return out


def main() -> None:
    folder, name = Path(sys.argv[1]), sys.argv[2]
    args = dict(DEFAULTS)
    for a in sys.argv[3:]:
        key, value = a.split("=")
        args[key] = type(DEFAULTS[key])(value)
    out = Path(os.environ.get("OUT", "."))

    def say(s: str) -> None:
        print(f"[{name}] {s}", flush=True)

    say(json.dumps(args))
    random.seed(13)
    np.random.seed(13)
    torch.manual_seed(13)
    meta = json.loads((folder / "meta.json").read_text())
    train, dev = load(folder, "train"), load(folder, "dev")
    train = train[: -args["held"]] if args["held"] else train  # the recipe's calibration articles stay out
    if args["limit"]:
        train, dev = train[: args["limit"]], dev[: max(2, args["limit"] // 4)]
    k = args["K"]
    encoder = build_encoder(meta["bert"], k, dict(np.load(folder / "minilm.npz"))).to(DEVICE) if k else None
    width = (meta["bert"]["hidden_size"] if k else 0) + (train[0]["vec"].shape[1] if args["vec"] else 0)
    settings = {"word_dim": 64, "feature_dim": 16, "hidden": args["hidden"], "layers": args["layers"]}
    model = build_tagger(meta["sizes"], {**settings, "dropout": args["dropout"], "crf": True}, width).to(
        DEVICE
    )

    def forward(ids: Any, pieces: Any, mask: Any, slots: Any, vec: Any) -> Any:
        if encoder is not None:
            states = encoder(pieces, mask)
            flat = pool(
                states.reshape(-1, states.shape[-1]).float(), slots.reshape(-1), ids.shape[0] * ids.shape[1]
            )
            vec = torch.cat([vec, flat.view(ids.shape[0], ids.shape[1], -1)], dim=-1)
        return model(ids, vec)

    train_items, dev_items = items(train), items(dev)
    say(f"{len(train_items)} train chunks, {len(dev_items)} dev chunks")
    groups = [{"params": list(model.parameters()), "lr": args["lr"], "weight_decay": 1e-4}]
    if encoder is not None:
        tuned = [p for p in encoder.parameters() if p.requires_grad]
        groups.append({"params": tuned, "lr": args["lr_enc"], "weight_decay": 0.01})
    optimizer = torch.optim.AdamW(groups)
    steps = args["epochs"] * ((len(train_items) + args["batch"] - 1) // args["batch"])
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=[g["lr"] for g in groups], total_steps=steps
    )
    rng, nrng = random.Random(13), np.random.default_rng(13)
    columns = len(meta["sizes"])

    def evaluate() -> np.ndarray:
        model.eval()
        if encoder is not None:
            encoder.eval()
        transitions, start = model.transitions.detach().cpu().numpy(), model.start.detach().cpu().numpy()
        tp, n_pred, n_gold = np.zeros(3), np.zeros(3), np.zeros(3)
        with torch.no_grad():
            for i in range(0, len(dev_items), 64):
                batch = dev_items[i : i + 64]
                ids, _, pieces, mask, slots, vec = tensors(batch, args, columns, 0.0, None)
                logp = forward(ids, pieces, mask, slots, vec).float().cpu().numpy()
                for row, item in enumerate(batch):
                    tags = viterbi_roles(logp[row, : len(item[0])], transitions, start)
                    for r in range(3):
                        gold, pred = set(spans(item[1][:, r].tolist())), set(spans(tags[:, r].tolist()))
                        tp[r] += len(gold & pred)
                        n_pred[r] += len(pred)
                        n_gold[r] += len(gold)
        return 2 * tp / np.maximum(1, n_pred + n_gold)

    best = -1.0
    for epoch in range(1, args["epochs"] + 1):
        model.train()
        if encoder is not None:
            encoder.train()
        started, total = time.time(), 0.0
        ordered = sorted(train_items, key=lambda x: len(x[0]))
        batches = [ordered[i : i + args["batch"]] for i in range(0, len(ordered), args["batch"])]
        rng.shuffle(batches)
        for batch in batches:
            ids, gold, pieces, mask, slots, vec = tensors(batch, args, columns, 0.1, nrng)
            with torch.autocast(
                DEVICE, dtype=torch.bfloat16, enabled=DEVICE == "cuda" and encoder is not None
            ):
                logp = forward(ids, pieces, mask, slots, vec)
            loss = crf_nll(logp.float(), gold, model.transitions, model.start)
            optimizer.zero_grad()
            loss.backward()
            params = list(model.parameters()) + (list(encoder.parameters()) if encoder is not None else [])
            torch.nn.utils.clip_grad_norm_(params, 5.0)
            optimizer.step()
            schedule.step()
            total += loss.item()
        f = evaluate()
        say(
            f"e{epoch} loss {total / len(batches):.3f} F1 {f[0]:.4f} {f[1]:.4f} {f[2]:.4f} m {f.mean():.4f}"
            f" {time.time() - started:.0f}s"
        )
        if f.mean() > best:
            best = float(f.mean())
            state = {"tagger." + k: v.detach().cpu().half() for k, v in model.state_dict().items()}
            if encoder is not None:
                for key, value in encoder.state_dict().items():
                    if "word_embeddings" not in key and "position_ids" not in key:
                        state["encoder." + key] = value.detach().cpu().half()
            if args["save"]:
                torch.save(
                    {"state": state, "args": args, "epoch": epoch, "dev": f.tolist()}, out / f"{name}.pt"
                )
    say(f"best mean {best:.4f}")


if __name__ == "__main__":
    main()
