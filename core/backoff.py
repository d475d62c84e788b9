"""How long a failed piece of background work waits before it is tried again.

Shared by core.delivery and core.outbox, so every sweep backs off the same way: the first
wait, doubled after each further failure, never longer than the cap.
"""

from datetime import timedelta


def retry_delay(failures: int, *, first: int, most: int) -> timedelta:
    """The wait after `failures` failed tries (1 for the first failure): first * 2**(failures-1), capped."""
    exponent = min(max(failures - 1, 0), 32)  # capped so a huge count stays cheap; `most` wins long before
    return timedelta(seconds=min(first * 2**exponent, most))
