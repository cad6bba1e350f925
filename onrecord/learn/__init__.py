"""The learned attribution model (``--mode accurate``).

- ``arrays``: what the tagger reads and writes as arrays (columns, roles, BIO tags, vocabularies,
  featurized examples), without spaCy;
- ``features``: token features from a parsed Doc and the rule engine's candidates;
- ``decode``: constrained BIO decoding;
- ``tagger``: the shipped ONNX model at run time and the assembly of spans into candidates;
- ``data`` and ``train``: PolNeAR examples and the PyTorch training recipe (``onrecord train``);
  ``net`` and ``encoder``: its torch modules and the encoder's word pieces and windows.
"""
