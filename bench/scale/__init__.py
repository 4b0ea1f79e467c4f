"""A generated national dataset for performance work (`manage.py seed_scale`).

Rows go in with PostgreSQL COPY from in-memory CSV, with ids chosen here so that child
rows can point at parents without reading anything back. Every maintained counter
(LocalGroup.member_count, Event.confirmed_count/waitlist_count, Action.count,
Campaign.supporter_count) is computed from the very rows written, before its parent row
is written. Sizes follow a Zipf-like law: a few big groups, events and actions, many small.

The generator is deterministic for a given --seed and --scale, and exact: the plan's
numbers are the rows written (tests rely on this).
"""

from .copy import Report
from .generator import Generator
from .plan import Plan, apportion, plan_for, zipf_weights

__all__ = ["Generator", "Plan", "Report", "apportion", "plan_for", "zipf_weights"]
