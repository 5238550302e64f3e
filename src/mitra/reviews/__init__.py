"""The quarterly partnership review: one document, in HTML and PDF, that both partners bring to the meeting."""
