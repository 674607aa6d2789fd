"""The command line: thin commands over the library, the terminal's formatting, one exit-code table.
May import everything."""
