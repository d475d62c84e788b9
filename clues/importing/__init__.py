"""Import of partner clue workbooks (docs/domain.md §6): the column spec, the parser and the template.

Import from the submodules (clues.importing.parser, .result, .template, .spec); this package
imports nothing itself, so that template tags and services can load any one of them without
a cycle through the others.
"""
