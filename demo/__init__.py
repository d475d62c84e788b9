"""Demo data for 示范区 (docs/domain.md §4.3), made through the same services users call.

Every person and unit here is fictional.
"""
