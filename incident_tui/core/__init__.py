"""The headless core: models, store, clock, templates, rules, export. No textual, no rich."""
