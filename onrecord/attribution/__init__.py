"""Attribution: pure functions from a parsed ``Doc`` to attribution candidates (content, cue, source)."""

from onrecord.attribution.candidates import Candidate
from onrecord.attribution.rules import attribute

__all__ = ["Candidate", "attribute"]
