"""Building the spaCy pipeline onrecord runs on."""
