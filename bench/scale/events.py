"""Venues, festivals, events, RSVPs and reports (Generator's part)."""

from __future__ import annotations

import math
import uuid

from events.models import RSVP, Event, EventReport, Festival, Venue

from .plan import DAY, NULL, apportion
from .text import EVENT_KIND_WEIGHTS, EVENT_TITLES, LOREM, VENUE_NAMES, _day, _Slugs, _ts


class EventsMixin:
    # -- events, festivals, RSVPs ----------------------------------------------------------

    def events(self) -> None:

        plan, rng = self.plan, self.rng
        self.report.step(
            f"Events: {plan.events:,} ({plan.upcoming_events:,} upcoming), "
            f"festivals: {plan.festivals}"
        )
        venues = self.writer(
            Venue,
            [
                "id",
                "name",
                "slug",
                "address",
                "town",
                "postcode_district",
                "latitude",
                "longitude",
                "step_free",
                "hearing_loop",
                "accessible_toilet",
                "quiet_room",
                "access_notes",
                "capacity",
            ],
        )
        slugs = _Slugs(200)
        venue_id = 0
        group_venues: dict[int, list[int]] = {}
        for group in self.group_list:
            ids = []
            for name in rng.sample(VENUE_NAMES, rng.choice([1, 2, 2, 3])):
                venue_id += 1
                outcode, lat, lon = rng.choice(
                    [(group.outcode, group.lat, group.lon)]
                    + self.by_prefix["".join(ch for ch in group.outcode[:2] if ch.isalpha())][:5]
                )
                venues.add(
                    (
                        venue_id,
                        name,
                        slugs.make(f"{name} {group.town}"),
                        f"1 High Street, {group.town}",
                        group.town,
                        outcode,
                        round(lat + rng.uniform(-0.02, 0.02), 5),
                        round(lon + rng.uniform(-0.02, 0.02), 5),
                        rng.random() < 0.7,
                        rng.random() < 0.4,
                        rng.random() < 0.6,
                        rng.random() < 0.2,
                        "Step-free entrance at the side." if rng.random() < 0.3 else "",
                        rng.choice([NULL, 40, 60, 100, 200]),
                    )
                )
                ids.append(venue_id)
            group_venues[group.id] = ids
        venues.close()

        # Festivals: a week each, spread over the five years, the last one upcoming.
        n_fest = plan.festivals
        sessions_total = min(n_fest * 15, plan.events // 6, n_fest * (plan.upcoming_events // 2))
        session_counts = apportion(sessions_total, [1.0] * n_fest, minimum=1)
        upcoming_sessions = session_counts[-1]
        if upcoming_sessions > plan.upcoming_events:
            raise ValueError("The upcoming festival has more sessions than upcoming events.")
        festivals = self.writer(
            Festival,
            [
                "id",
                "name",
                "slug",
                "starts_on",
                "ends_on",
                "description",
                "image",
                "status",
                "created_at",
            ],
        )
        hosts = self.writer(Festival.host_groups.through, ["festival_id", "localgroup_id"])
        festival_partners = self.writer(Festival.partners.through, ["festival_id", "partner_id"])
        fest_slugs = _Slugs(200)
        biggest = sorted(self.group_list, key=lambda g: -len(g.members))[: max(12, n_fest)]
        festival_specs = []  # (id, start epoch, host group)
        for index in range(n_fest):
            fid = index + 1
            host = biggest[index % len(biggest)]
            if index == n_fest - 1:
                start = self.now + 21 * DAY
            else:
                start = (
                    self.start
                    + DAY
                    + (index / max(1, n_fest - 1)) * (self.now - self.start - 30 * DAY)
                )
            start = math.floor(start / DAY) * DAY
            name = f"{host.town} Peace Week {_ts(start).year}"
            festivals.add(
                (
                    fid,
                    name,
                    fest_slugs.make(name),
                    _day(start),
                    _day(start + 6 * DAY),
                    "A week of workshops, cinema, performance and football.\n\n" + LOREM,
                    "",
                    "published",
                    _ts(start - 60 * DAY),
                )
            )
            hosts.add((fid, host.id))
            festival_partners.add((fid, rng.randint(1, plan.partners)))
            festival_specs.append((fid, start, host))
        festivals.close()
        hosts.close()
        festival_partners.close()

        # Event schedule: (start epoch, group, festival id or None).
        group_weights = [len(g.members) ** 0.6 + 1 for g in self.group_list]
        schedule = []
        for (fid, start, host), count in zip(festival_specs, session_counts, strict=True):
            for _ in range(count):
                schedule.append(
                    (
                        start + rng.randrange(7) * DAY + rng.choice([11, 14, 18]) * 3600 - 3600,
                        host,
                        fid,
                    )
                )
        regular_upcoming = plan.upcoming_events - upcoming_sessions
        regular_past = plan.events - len(schedule) - regular_upcoming
        if regular_past < 0:
            raise ValueError("Too few events for the festivals and upcoming events.")
        chosen = rng.choices(
            self.group_list, weights=group_weights, k=regular_past + regular_upcoming
        )
        past_span = self.now - self.start - 2 * DAY
        for i, group in enumerate(chosen):
            if i < regular_past:
                day = self.start + rng.random() * past_span
            else:
                day = self.now + DAY + rng.random() * 120 * DAY
            day = math.floor(day / DAY) * DAY
            hour = rng.choice([18, 18, 18, 17, 10, 13])  # UTC; evenings local time mostly
            schedule.append((day + hour * 3600 + rng.choice([0, 1800]), group, None))
        schedule.sort(key=lambda s: s[0])

        # Per event: status, visibility, capacity, RSVP counts decided before writing it.
        active_campaigns = [c for c in self.campaign_rows if c[2] not in ("proposed", "rejected")]
        kinds = list(EVENT_KIND_WEIGHTS)
        kind_weights = list(EVENT_KIND_WEIGHTS.values())
        plans = []
        for start, group, fid in schedule:
            upcoming = start > self.now
            roll = rng.random()
            status = "cancelled" if roll < 0.03 else ("draft" if roll < 0.05 else "published")
            visibility = "members" if rng.random() < 0.1 and fid is None else "public"
            mode = rng.choices(["in_person", "online", "hybrid"], weights=[80, 12, 8])[0]
            capacity = rng.choice([None, None, None, 20, 30, 50, 80, 150])
            weight = (
                0.0
                if status == "draft"
                else (len(group.members) ** 0.5 + 2) * (0.5 if upcoming else 1.0)
            )
            plans.append([start, group, fid, status, visibility, mode, capacity, weight])
        rsvp_sizes = apportion(plan.rsvps, [p[7] for p in plans], cap=max(1, int(plan.users * 0.5)))

        events = self.writer(
            Event,
            [
                "id",
                "title",
                "slug",
                "kind",
                "description",
                "image",
                "starts_at",
                "ends_at",
                "mode",
                "venue_id",
                "online_url",
                "capacity",
                "visibility",
                "status",
                "cancel_reason",
                "group_id",
                "campaign_id",
                "festival_id",
                "organiser_name",
                "organiser_url",
                "uid",
                "sequence",
                "confirmed_count",
                "waitlist_count",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
        )
        cohosts = self.writer(Event.cohost_groups.through, ["event_id", "localgroup_id"])
        event_partners = self.writer(Event.partners.through, ["event_id", "partner_id"])
        rsvps = self.writer(
            RSVP,
            [
                "id",
                "event_id",
                "user_id",
                "status",
                "created_at",
                "waitlisted_at",
                "updated_at",
                "checked_in_at",
            ],
        )
        reports = self.writer(
            EventReport,
            [
                "id",
                "event_id",
                "filed_by_id",
                "filed_at",
                "attendance",
                "new_contacts",
                "what_worked",
                "what_to_change",
            ],
        )
        event_slugs = _Slugs(220)
        rsvp_id = report_id = 0
        group_by_id = {g.id: g for g in self.group_list}
        self.report.step(f"RSVPs: {plan.rsvps:,}")
        for event_id, (spec, size) in enumerate(zip(plans, rsvp_sizes, strict=True), start=1):
            start, group, fid, status, visibility, mode, capacity, _ = spec
            kind = rng.choices(kinds, weights=kind_weights)[0]
            title = EVENT_TITLES[kind].format(town=group.town)
            if kind in ("stall", "meeting", "social", "vigil", "film"):
                title = f"{title}: {group.town}"
            end = start + rng.choice([1, 1.5, 2, 2, 3]) * 3600
            created = min(start - rng.uniform(3, 60) * DAY, self.now - rng.random() * DAY)
            lead = rng.choice(group.leads)
            # RSVPs: sorted by when they came; a few cancelled; first come are confirmed,
            # the rest of a full event waits (first come, first served).
            upper = min(self.now, start)
            times = sorted(created + rng.random() * max(upper - created, 60) for _ in range(size))
            people = self._sample_users(size, group.members)
            confirmed = waitlisted = 0
            past = end < self.now
            for user_id, when in zip(people, times, strict=True):
                rsvp_id += 1
                if rng.random() < 0.05:
                    rsvp_status, waited, checked = "cancelled", NULL, NULL
                elif capacity is None or confirmed < capacity:
                    confirmed += 1
                    rsvp_status, waited = "confirmed", NULL
                    checked = (
                        _ts(start + rng.random() * 900) if past and rng.random() < 0.65 else NULL
                    )
                else:
                    waitlisted += 1
                    rsvp_status, waited, checked = "waitlisted", _ts(when), NULL
                rsvps.add(
                    (rsvp_id, event_id, user_id, rsvp_status, _ts(when), waited, _ts(when), checked)
                )
            campaign_id = NULL
            if active_campaigns and rng.random() < 0.2:
                campaign_id = rng.choice(active_campaigns)[0]
            events.add(
                (
                    event_id,
                    title,
                    event_slugs.make(f"{title} {_day(start).isoformat()}"),
                    kind,
                    f"{title}.\n\n{LOREM}",
                    "",
                    _ts(start),
                    _ts(end),
                    mode,
                    rng.choice(group_venues[group.id]) if mode != "online" else NULL,
                    "https://meet.example.org/room" if mode != "in_person" else "",
                    capacity if capacity is not None else NULL,
                    visibility,
                    status,
                    "Venue unavailable." if status == "cancelled" else "",
                    group.id,
                    campaign_id,
                    fid if fid is not None else NULL,
                    "",
                    "",
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    0,
                    confirmed,
                    waitlisted,
                    lead,
                    _ts(created),
                    _ts(created),
                )
            )
            if rng.random() < 0.05:
                other = group_by_id[rng.randint(1, len(self.group_list))]
                if other.id != group.id:
                    cohosts.add((event_id, other.id))
            if rng.random() < 0.1:
                event_partners.add((event_id, rng.randint(1, plan.partners)))
            if past and status == "published" and rng.random() < 0.4:
                report_id += 1
                reports.add(
                    (
                        report_id,
                        event_id,
                        lead,
                        _ts(end + DAY),
                        max(1, round(confirmed * 0.7)),
                        rng.randint(0, 5),
                        "Good turnout.",
                        "Start on time.",
                    )
                )
        events.close()
        cohosts.close()
        event_partners.close()
        rsvps.close()
        reports.close()
