"""The site: rendering templates to pages, authored Markdown, charts, tables, search entries, sanitising,
playbook macros, the mkdocs plugin and `kam render`. May import every stage below it."""
