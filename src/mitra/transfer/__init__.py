"""Data in and out: spreadsheet and EDI imports, list exports and the partnership's complete export."""
