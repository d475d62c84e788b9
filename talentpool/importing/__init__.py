"""Import of a talent-pool roster (.xlsx): the column spec, the parser and the template.

It reuses the clue importer's engine: core.excel's reader and error workbook, and from
clues.importing the header reduction, the synonym lookup and the unit matcher. Import from
the submodules; this package imports nothing itself.
"""
