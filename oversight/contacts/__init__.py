"""A10.5 (Art. 10(五)): the liaison office's assignment page, the standing-committee member's page, and the
contact data checks' fact loading. Models, reads and writes: deputies.models / deputies.contacts."""
