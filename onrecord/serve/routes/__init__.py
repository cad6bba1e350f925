"""The routes: the JSON API under /api (``api``), the pages with their .json and .csv twins
(``pages``), and extraction and ingest on request (``extract``); ``params`` holds the query
parameters they share, ``common`` the page renderer. ``onrecord.serve.app`` registers them."""
