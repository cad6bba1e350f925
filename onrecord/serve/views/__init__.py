"""The views: one function per page, each returning the plain data that both the HTML page and its
``.json`` twin (and the JSON API) are built from.

A view reads the store and shapes the answer; it knows nothing of HTTP or HTML. Lookups that find
nothing raise ``NotFound`` (404); a bad query raises the store's ``QueryError`` (400).

One module per page family: ``search``, ``speakers``, ``relations`` (stance and the graph),
``articles`` (the extract page too), ``quotes`` and ``diversity``; ``common`` holds what they share.
"""
