"""Users, groups, memberships, reps and announcements (Generator's part)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from allauth.account.models import EmailAddress

from groups.models import Announcement, LocalGroup, Membership, RegionalRole
from portal.models import User

from .geography import REGIONS
from .plan import DAY, NULL, YEAR, apportion, zipf_weights
from .text import (
    FIRST_NAMES,
    GROUP_VARIANTS,
    LAST_INITIALS,
    LOREM,
    MEETING_NOTES,
    _day,
    _Slugs,
    _ts,
)


@dataclass
class Group:
    id: int
    region: int  # index into regions
    area_id: int
    town: str
    outcode: str
    lat: float
    lon: float
    created: float
    members: list[int]  # current member user ids (leads first)
    leads: list[int]


class PeopleMixin:
    # -- users -----------------------------------------------------------------------------

    def users(self) -> None:

        self.report.step(f"Activists: {self.plan.users:,}")
        rng, n = self.rng, self.plan.users
        # Each activist lives in a region, weighted by its number of postcode districts.
        region_weights = [len(oc) for oc in self.region_outcodes]
        region_sizes = apportion(n, region_weights, minimum=2)
        self.region_users: list[list[int]] = []
        self.user_joined = [0.0] * (n + 1)
        users = self.writer(
            User,
            [
                "id",
                "password",
                "last_login",
                "is_superuser",
                "email",
                "display_name",
                "postcode_district",
                "email_verified",
                "is_staff",
                "is_active",
                "date_joined",
                "digest_frequency",
                "campaign_digest_consent_at",
            ],
        )
        emails = self.writer(EmailAddress, ["id", "user_id", "email", "verified", "primary"])
        user_id = 0
        span = self.now - self.start - 30 * DAY
        for r, size in enumerate(region_sizes):
            ids = []
            outcodes = self.region_outcodes[r]
            for _ in range(size):
                user_id += 1
                ids.append(user_id)
                joined = self.start - YEAR + rng.random() * (span + YEAR)
                self.user_joined[user_id] = joined
                email = f"activist{user_id}@scale.example.net"
                name = (
                    f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_INITIALS)}."
                    if rng.random() < 0.8
                    else ""
                )
                district = rng.choice(outcodes)[0] if rng.random() < 0.85 else ""
                verified = rng.random() < 0.95
                frequency = "weekly" if rng.random() < 0.7 else rng.choice(["daily", "never"])
                consent = _ts(joined) if rng.random() < 0.6 else NULL
                users.add(
                    (
                        user_id,
                        self.password,
                        NULL,
                        False,
                        email,
                        name,
                        district,
                        verified,
                        False,
                        True,
                        _ts(joined),
                        frequency,
                        consent,
                    )
                )
                emails.add((user_id, user_id, email, verified, True))
            self.region_users.append(ids)
        users.close()
        emails.close()

    def _sample_users(self, k: int, preferred: Sequence[int], *, local_share: float = 0.85):
        """k distinct user ids, most from `preferred` (members, a region), the rest anyone."""
        rng = self.rng
        from_preferred = min(len(preferred), round(k * local_share) if k > 1 else k)
        chosen = rng.sample(preferred, from_preferred) if from_preferred else []
        if len(chosen) < k:
            seen = set(chosen)
            n = self.plan.users
            if k - len(chosen) > n // 3:  # dense: draw from the complement directly
                rest = [u for u in range(1, n + 1) if u not in seen]
                chosen += rng.sample(rest, k - len(chosen))
            else:
                while len(chosen) < k:
                    candidate = rng.randint(1, n)
                    if candidate not in seen:
                        seen.add(candidate)
                        chosen.append(candidate)
        return chosen

    # -- groups, memberships, reps, announcements ------------------------------------------

    def groups(self) -> None:

        plan, rng = self.plan, self.rng
        self.report.step(f"Groups: {plan.groups:,}, memberships: {plan.memberships:,}")
        per_area = apportion(plan.groups, [a[3] for a in self.areas], minimum=1)
        names_used: dict[str, int] = {}
        slugs = _Slugs(150)
        self.group_list: list[Group] = []
        specs = []
        for (area_id, r, prefixes, _), count in zip(self.areas, per_area, strict=True):
            for _ in range(count):
                prefix, town = rng.choices(
                    prefixes, weights=[len(self.by_prefix[p]) for p, _ in prefixes]
                )[0]
                outcode, lat, lon = rng.choice(self.by_prefix[prefix])
                variant = names_used.get(town, 0)
                names_used[town] = variant + 1
                if variant < len(GROUP_VARIANTS):
                    pattern, kind = GROUP_VARIANTS[variant]
                    name = pattern.format(town=town)
                else:
                    name, kind = f"{town} {outcode}", "local"
                specs.append((area_id, r, town, outcode, lat, lon, name, kind))
        # Member numbers: Zipf across groups, each at least two (a lead and a member), at
        # most 80% of the activists. Some people left (their rows stay, with left_at).
        weights = zipf_weights(len(specs), rng, exponent=1.1, offset=3.0)
        sizes = apportion(
            plan.memberships, weights, minimum=2, cap=min(plan.users, int(plan.users * 0.8))
        )
        groups = self.writer(
            LocalGroup,
            [
                "id",
                "area_id",
                "name",
                "slug",
                "kind",
                "description",
                "town",
                "postcode_district",
                "latitude",
                "longitude",
                "meeting_note",
                "contact_email",
                "founded",
                "is_active",
                "member_count",
                "created_at",
            ],
        )
        memberships = self.writer(
            Membership, ["id", "group_id", "user_id", "role", "joined_at", "left_at"]
        )
        membership_id = 0
        for gid, (spec, size) in enumerate(zip(specs, sizes, strict=True), start=1):
            area_id, r, town, outcode, lat, lon, name, kind = spec
            created = (
                self.start - rng.random() * 2 * YEAR
                if rng.random() < 0.7
                else (self.start + rng.random() * 4.5 * YEAR)
            )
            people = self._sample_users(size, self.region_users[r])
            # Leads are current; of the rest about 8% have left.
            n_leads = 1 if size < 30 else rng.choice([1, 2, 2, 3])
            current, leads, rows = [], [], []
            for index, user_id in enumerate(people):
                earliest = max(created, self.user_joined[user_id])
                joined = earliest + rng.random() * max(self.now - earliest - DAY, DAY)
                left = NULL
                role = "lead" if index < n_leads else "member"
                if role == "member" and rng.random() < 0.08:
                    left = _ts(joined + rng.random() * (self.now - joined))
                else:
                    current.append(user_id)
                    if role == "lead":
                        leads.append(user_id)
                membership_id += 1
                rows.append((membership_id, gid, user_id, role, _ts(joined), left))
            is_active = rng.random() > 0.03
            slug = slugs.make(name)
            groups.add(
                (
                    gid,
                    area_id,
                    name,
                    slug,
                    kind,
                    f"The {name} group.\n\n{LOREM}",
                    town,
                    outcode,
                    round(lat + rng.uniform(-0.01, 0.01), 5),
                    round(lon + rng.uniform(-0.01, 0.01), 5),
                    rng.choice(MEETING_NOTES),
                    f"{slug}@groups.scale.example.net",
                    _day(created),
                    is_active,
                    len(current),
                    _ts(created),
                )
            )
            memberships.add_many(rows)
            self.group_list.append(
                Group(gid, r, area_id, town, outcode, lat, lon, created, current, leads)
            )
        groups.close()
        memberships.close()
        self.group_sizes = sizes

        roles = self.writer(RegionalRole, ["id", "user_id", "region_id", "area_id", "created_at"])
        role_id = 0
        self.rep_users = []
        for r in range(len(REGIONS)):
            role_id += 1
            user_id = self.region_users[r][0]
            self.rep_users.append(user_id)
            roles.add((role_id, user_id, r + 1, NULL, _ts(self.start)))
        for area_id, r, _, _ in self.areas[::2]:
            role_id += 1
            roles.add((role_id, self.region_users[r][1], NULL, area_id, _ts(self.start)))
        roles.close()

        announcements = self.writer(
            Announcement, ["id", "group_id", "author_id", "title", "body", "created_at"]
        )
        counts = apportion(plan.groups * 5, [s**0.5 for s in sizes])
        announcement_id = 0
        for group, count in zip(self.group_list, counts, strict=True):
            for _ in range(count):
                announcement_id += 1
                when = max(group.created, self.start) + rng.random() * (
                    self.now - max(group.created, self.start)
                )
                announcements.add(
                    (
                        announcement_id,
                        group.id,
                        rng.choice(group.leads),
                        "News from the group",
                        "Thank you to everyone who came along. Next steps below.\n\n" + LOREM,
                        _ts(when),
                    )
                )
        announcements.close()
