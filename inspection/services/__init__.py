"""Writes for rounds, groups, units and memberships (rounds.py) and the round's states (workflow.py)."""

from inspection.services.rounds import (
    add_member,
    assign_unit,
    attach_work_plan,
    create_group,
    create_round,
    end_membership,
    update_round,
)

__all__ = [
    "add_member",
    "assign_unit",
    "attach_work_plan",
    "create_group",
    "create_round",
    "end_membership",
    "update_round",
]
