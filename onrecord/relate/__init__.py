"""Relations between the entities of an article, and the stances its speakers take.

This stage runs after resolution (``onrecord.engine``), on the parse, once the quotations'
speakers are known; it reads resolution's public result (``onrecord.resolve.Resolved``) and may
add a person the entity recogniser missed to its entity index:

- a **relation** (``praises``, ``criticises``, ``thanks``, ``accuses``, ``supports``, ``opposes``)
  comes from a verb whose subject and object are both named entities of the article: "Musk
  attacked Starmer", "X was praised by Y", "heaped praise on X", "described X as a liar", or from
  what a speaker says of someone ("a line has been crossed by X", "X ought to stay out of it");
- a **stance** is a holder's position for or against something that is not a person: "called
  for a national inquiry", "backed calls for a new probe", "we don't need more inquiries". The
  topic is matched later, at query time (``onrecord stance``), against the stance's target.

Negation flips a stance and cancels a relation ("did not criticise", "refused to back"). Inside
a quotation the holder of a stance is the quotation's speaker. Each finding keeps its cue, the
sentence as evidence, and a confidence.

Modules: ``records`` (what is found, the words looked at), ``mentions`` (who a phrase names),
``finders`` (relations and stances, verb by verb).
"""

from __future__ import annotations

from onrecord.relate.finders import Relator
from onrecord.relate.records import FoundRelation, FoundStance, polarity
from onrecord.resolve import Resolved


def relate(resolved: Resolved) -> tuple[list[FoundRelation], list[FoundStance]]:
    """The relations and stances of one resolved doc (entity indices; see ``Relator``). A
    person the entity recogniser missed is added to ``resolved``'s entity index."""
    return Relator(resolved).run()


__all__ = ["FoundRelation", "FoundStance", "Relator", "polarity", "relate"]
