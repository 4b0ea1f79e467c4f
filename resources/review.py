"""What the regional review (/review/) shows from this app: the resources waiting for a
reviewer (a section of the reps' queue), and the curriculum figures that help a region find
people for its Regional Team Model.

- Completions are counted per module per group over the group's current members (a person
  in two groups counts in both). Only people who keep a learning record have completions.
- Names are listed only for people who let their region's team see them.

Each function is a fixed number of queries, whatever the number of groups or people."""

from collections import defaultdict

from django.db.models import Count

from groups.models import Membership
from groups.review_queue import Reviewer, SectionKind, register

from .models import Module, Resource


def waiting_resources(reviewer: Reviewer, now):
    """Leads' submissions waiting in the reviewer's areas, oldest first (a section of the
    reps' queue, groups.review_queue)."""
    return (
        Resource.objects.filter(
            status=Resource.Status.PENDING, group__area_id__in=reviewer.area_ids
        )
        .select_related("group", "submitted_by")
        .order_by("created_at", "pk")
    )


def register_sections() -> None:
    register(
        SectionKind(
            key="resources",
            order=35,
            title="resources sent for review",
            template="resources/_review_resources.html",
            waiting=waiting_resources,
        )
    )


def learning_table(groups) -> dict:
    """The curriculum figures as a table: one row per group, one cell per module with the
    number of people who completed it and the names of those who agreed to be seen."""
    modules = list(Module.objects.filter(is_active=True))
    counts, names = module_counts(groups), visible_learners(groups)
    rows = [
        {
            "group": group,
            "cells": [
                {
                    "count": counts.get(group.pk, {}).get(module.pk, 0),
                    "names": names.get(group.pk, {}).get(module.pk, []),
                }
                for module in modules
            ],
        }
        for group in groups
    ]
    return {"modules": modules, "rows": rows}


def module_counts(groups) -> dict[int, dict[int, int]]:
    """{group id: {module id: people who completed it}} for these groups."""
    rows = (
        Membership.objects.current()
        .filter(group__in=groups, user__learning_completions__module__is_active=True)
        .values("group_id", "user__learning_completions__module_id")
        .annotate(people=Count("user_id", distinct=True))
        .order_by()
    )
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for row in rows:
        counts[row["group_id"]][row["user__learning_completions__module_id"]] = row["people"]
    return dict(counts)


def visible_learners(groups) -> dict[int, dict[int, list[str]]]:
    """{group id: {module id: [names]}}: only people who agreed to be visible to their
    region's team."""
    rows = (
        Membership.objects.current()
        .filter(
            group__in=groups,
            user__learning_choice__keep_record=True,
            user__learning_choice__visible_to_region=True,
            user__learning_completions__module__is_active=True,
        )
        .values_list("group_id", "user__learning_completions__module_id", "user__display_name")
        .order_by("user__display_name", "user_id")
    )
    names: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for group_id, module_id, name in rows:
        names[group_id][module_id].append(name or "An activist")
    return {group: dict(per_module) for group, per_module in names.items()}
