"""Demo data for 示范区 (DOMAIN §4.3), made through the same services users call.

Every person and unit here is fictional.
"""
