"""Reading and the model: YAML with positions, the loader, the typed records, diagnostics and their
code registry, Markdown reading. Imports nothing else of ours."""
