"""Import of a talent-pool roster (.xlsx): the column spec, the parser and the template.

It reuses core.excel: the reader and error workbook, the header reduction and synonym lookup
(columns), the unit matcher (units). Import from the submodules; this package imports nothing
itself.
"""
