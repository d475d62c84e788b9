from django.dispatch import Signal

# Sent after a round changes status, inside the transaction: inspection_round, from_status,
# to_status, by. Other apps act on the stages that concern them (letters when preparing
# starts) without the rounds app knowing them.
round_moved = Signal()
