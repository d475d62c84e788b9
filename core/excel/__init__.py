"""Spreadsheet helpers shared by every import and export: a streaming reader for .xlsx/.xlsm,
.xls and .csv (`reader`), text normalisation for hand-typed cells (`normalize`) and the error
workbook that marks bad cells (`errors`). Nothing here knows about a particular domain."""
