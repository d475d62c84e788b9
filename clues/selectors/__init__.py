"""Read queries of the clues app, one module per area; every one starts from for_user()."""

from clues.selectors.letters import (
    ISSUE_ROWS_ORDER,
    LETTER_LIST_ORDER,
    OPINION_ORDER,
    accept_preview,
    batches_of,
    board_summary,
    letter_board,
    letters_for,
    opinion_items_for,
    partners_without_main_letter,
    replies_of,
    rows_with_issues,
)

__all__ = [
    "ISSUE_ROWS_ORDER",
    "LETTER_LIST_ORDER",
    "OPINION_ORDER",
    "accept_preview",
    "batches_of",
    "board_summary",
    "letter_board",
    "letters_for",
    "opinion_items_for",
    "partners_without_main_letter",
    "replies_of",
    "rows_with_issues",
]
