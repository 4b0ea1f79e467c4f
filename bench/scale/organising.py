"""Partners, partnerships, campaigns, actions and supporters (Generator's part)."""

from __future__ import annotations

from django.utils.text import slugify

from campaigns.models import (
    Action,
    ActionTaken,
    Campaign,
    CampaignSupporter,
    CampaignUpdate,
    Outcome,
    ShareArrival,
    Topic,
)
from partners.models import Partner, PartnerKind, Partnership

from .geography import REGIONS
from .people import Group
from .plan import DAY, NULL, YEAR, apportion, zipf_weights
from .text import (
    LOCAL_CAMPAIGNS,
    LOREM,
    NATIONAL_CAMPAIGNS,
    PARTNER_KINDS,
    TOPICS,
    _day,
    _Slugs,
    _ts,
)


class OrganisingMixin:
    # -- partners --------------------------------------------------------------------------

    def partners(self) -> None:

        plan, rng = self.plan, self.rng
        self.report.step(f"Partners: {plan.partners:,}")
        kinds = self.writer(PartnerKind, ["id", "name", "slug"])
        for kind_id, (name, _) in enumerate(PARTNER_KINDS, start=1):
            kinds.add((kind_id, name, slugify(name)))
        kinds.close()
        partners = self.writer(
            Partner,
            [
                "id",
                "name",
                "slug",
                "kind_id",
                "description",
                "website",
                "contact_email",
                "contact_phone",
                "town",
                "postcode_district",
                "latitude",
                "longitude",
                "logo",
                "is_active",
                "created_at",
            ],
        )
        partner_areas = self.writer(Partner.areas.through, ["partner_id", "area_id"])
        partnerships = self.writer(
            Partnership,
            [
                "id",
                "group_id",
                "partner_id",
                "status",
                "since",
                "activities",
                "contact_name",
                "contact_email",
                "contact_phone",
                "private_notes",
                "created_at",
                "updated_at",
            ],
        )
        groups_by_area: dict[int, list[Group]] = {}
        for group in self.group_list:
            groups_by_area.setdefault(group.area_id, []).append(group)
        area_weights = [a[3] for a in self.areas]
        slugs = _Slugs(200)
        partnership_id = 0
        statuses = ["active"] * 6 + ["prospect"] * 2 + ["dormant", "ended"]
        for partner_id in range(1, plan.partners + 1):
            area_id, _, prefixes, _ = rng.choices(self.areas, weights=area_weights)[0]
            prefix, town = rng.choice(prefixes)
            outcode, lat, lon = rng.choice(self.by_prefix[prefix])
            kind_id = rng.randint(1, len(PARTNER_KINDS))
            name = PARTNER_KINDS[kind_id - 1][1].format(town=town)
            slug = slugs.make(name)
            if slug != slugify(name):
                name = f"{name} ({outcode})"
            created = self.start + rng.random() * (self.now - self.start)
            partners.add(
                (
                    partner_id,
                    name,
                    slug,
                    kind_id,
                    f"{name} works with local groups.\n\n{LOREM}",
                    f"https://{slug}.example.org/",
                    f"hello@{slug}.example.org",
                    "",
                    town,
                    outcode,
                    lat,
                    lon,
                    "",
                    rng.random() > 0.05,
                    _ts(created),
                )
            )
            partner_areas.add((partner_id, area_id))
            local = groups_by_area.get(area_id, [])
            for group in rng.sample(local, min(len(local), rng.choice([0, 1, 1, 2, 3]))):
                partnership_id += 1
                since = max(created, group.created)
                partnerships.add(
                    (
                        partnership_id,
                        group.id,
                        partner_id,
                        rng.choice(statuses),
                        _day(since),
                        "Joint stalls and events.",
                        "Partnership contact",
                        f"contact@{slug}.example.org",
                        "",
                        "",
                        _ts(since),
                        _ts(since),
                    )
                )
        partners.close()
        partner_areas.close()
        partnerships.close()

    # -- campaigns, actions, supporters ----------------------------------------------------

    def campaigns(self) -> None:

        plan, rng = self.plan, self.rng
        self.report.step(f"Campaigns: {plan.campaigns:,}")
        topics = self.writer(Topic, ["id", "name", "slug"])
        for topic_id, name in enumerate(TOPICS, start=1):
            topics.add((topic_id, name, slugify(name)))
        topics.close()

        n_national = max(2, round(plan.campaigns * 0.04))
        n_regional = max(len(REGIONS), round(plan.campaigns * 0.12))
        statuses = (
            ["active"] * 60
            + ["won"] * 8
            + ["closed"] * 15
            + ["paused"] * 5
            + ["proposed"] * 8
            + ["rejected"] * 4
        )
        slugs = _Slugs(200)
        self.campaign_rows = []  # (id, scope, status, region index or None, group, created)
        specs = []
        for i in range(plan.campaigns):
            if i < n_national:
                scope, region, group = "national", None, None
                title = NATIONAL_CAMPAIGNS[i % len(NATIONAL_CAMPAIGNS)]
                status = "active" if i < 6 else rng.choice(statuses[:88])
            elif i < n_national + n_regional:
                scope, group = "regional", None
                region = (i - n_national) % len(REGIONS)
                title = f"{REGIONS[region][0]}: {rng.choice(NATIONAL_CAMPAIGNS)}"
                status = rng.choice(statuses[:88])
            else:
                scope = "local"
                group = self.group_list[
                    rng.choices(range(len(self.group_list)), weights=self.group_sizes)[0]
                ]
                region = group.region
                title = rng.choice(LOCAL_CAMPAIGNS).format(town=group.town)
                status = rng.choice(statuses)
            created = self.start + rng.random() * (self.now - self.start - 7 * DAY)
            specs.append((i + 1, scope, region, group, title, status, created))

        # Actions: 1 to 4 per campaign; only public campaigns have people taking them.
        action_specs = []  # (action id, campaign index, kind, weight)
        kinds = ["sign"] * 5 + ["write"] * 2 + ["pledge", "share"]
        weights_by_scope = {"national": 40.0, "regional": 4.0, "local": 1.0}
        campaign_weights = zipf_weights(len(specs), rng, exponent=0.8, offset=2.0)
        for index, (_, scope, _, _, _, status, _) in enumerate(specs):
            for position in range(rng.choice([1, 1, 2, 2, 3, 4])):
                kind = "sign" if position == 0 else rng.choice(kinds)
                public = status not in ("proposed", "rejected")
                weight = (
                    weights_by_scope[scope] * campaign_weights[index] / (position + 1)
                    if public
                    else 0.0
                )
                action_specs.append((len(action_specs) + 1, index, kind, position, weight))
        cap = max(1, int(plan.users * 0.75))
        taken_sizes = apportion(plan.actions_taken, [a[4] for a in action_specs], cap=cap)
        support_weights = [
            weights_by_scope[s[1]] * campaign_weights[i]
            if s[5] not in ("proposed", "rejected")
            else 0.0
            for i, s in enumerate(specs)
        ]
        supporter_sizes = apportion(plan.supporters, support_weights, cap=cap)
        share_arrivals = [
            size // 3 if spec[2] == "share" else 0
            for spec, size in zip(action_specs, taken_sizes, strict=True)
        ]

        campaigns = self.writer(
            Campaign,
            [
                "id",
                "title",
                "slug",
                "summary",
                "body",
                "image",
                "scope",
                "region_id",
                "group_id",
                "status",
                "target_name",
                "target_kind",
                "target_email",
                "goal",
                "starts_on",
                "ends_on",
                "is_featured",
                "supporter_count",
                "proposed_by_id",
                "proposal_reason",
                "first_action",
                "decided_by_id",
                "decided_at",
                "decision_reason",
                "created_at",
                "updated_at",
            ],
        )
        topic_links = self.writer(Campaign.topics.through, ["campaign_id", "topic_id"])
        partner_links = self.writer(Campaign.partners.through, ["campaign_id", "partner_id"])
        for (cid, scope, region, group, title, status, created), supporters in zip(
            specs, supporter_sizes, strict=True
        ):
            proposed = scope == "local" and (
                status in ("proposed", "rejected") or rng.random() < 0.5
            )
            decided = status != "proposed" and proposed
            rep = self.rep_users[region] if region is not None else self.rep_users[0]
            ends = created + rng.uniform(0.5, 2) * YEAR
            campaigns.add(
                (
                    cid,
                    title,
                    slugs.make(title),
                    f"{title}: add your name and help us win.",
                    LOREM,
                    "",
                    scope,
                    region + 1 if scope == "regional" else NULL,
                    group.id if group else NULL,
                    status,
                    "The decision-maker" if scope != "local" else f"{group.town} City Council",
                    "government" if scope != "local" else rng.choice(["mp", "council", "company"]),
                    "",
                    "Change the policy within a year.",
                    _day(created),
                    _day(ends) if status in ("won", "closed") else NULL,
                    scope == "national" and status == "active" and cid <= 3,
                    supporters,
                    rng.choice(group.leads) if proposed else NULL,
                    "Local people asked us to." if proposed else "",
                    "Sign the petition." if proposed else "",
                    rep if decided else NULL,
                    _ts(created + DAY) if decided else NULL,
                    "Looks good." if decided else "",
                    _ts(created),
                    _ts(min(self.now, created + rng.random() * YEAR)),
                )
            )
            for topic_id in rng.sample(range(1, len(TOPICS) + 1), rng.choice([1, 1, 2])):
                topic_links.add((cid, topic_id))
            if rng.random() < 0.3:
                partner_links.add((cid, rng.randint(1, plan.partners)))
            self.campaign_rows.append((cid, scope, status, region, group, created))
        campaigns.close()
        topic_links.close()
        partner_links.close()

        actions = self.writer(
            Action,
            [
                "id",
                "campaign_id",
                "kind",
                "title",
                "instructions",
                "statement",
                "goal_count",
                "deadline",
                "position",
                "count",
                "created_at",
            ],
        )
        for (action_id, index, kind, position, _), taken, arrivals in zip(
            action_specs, taken_sizes, share_arrivals, strict=True
        ):
            created = specs[index][6]
            # Action.count: people who took it, except a share, which counts arrivals.
            count = arrivals if kind == "share" else taken
            deadline = _day(created + YEAR) if rng.random() < 0.3 else NULL
            actions.add(
                (
                    action_id,
                    index + 1,
                    kind,
                    {
                        "sign": "Sign the petition",
                        "write": "Write to the decision-maker",
                        "pledge": "Pledge to take part",
                        "share": "Share with friends",
                    }[kind],
                    "It takes a minute.",
                    "We ask you to act now.",
                    max(100, count * 2) if rng.random() < 0.5 else NULL,
                    deadline,
                    position,
                    count,
                    _ts(created),
                )
            )
        actions.close()

        self.report.step(f"Actions taken: {plan.actions_taken:,}")
        taken_rows = self.writer(
            ActionTaken, ["id", "action_id", "user_id", "show_name", "created_at"]
        )
        arrivals_rows = self.writer(
            ShareArrival, ["id", "action_id", "sharer_id", "visitor_key", "created_at"]
        )
        taken_id = arrival_id = 0
        for (action_id, index, kind, _, _), size, arrivals in zip(
            action_specs, taken_sizes, share_arrivals, strict=True
        ):
            if not size:
                continue
            _, _, region, group, _, _, created = specs[index]
            preferred = (
                group.members
                if group
                else (self.region_users[region] if region is not None else [])
            )
            people = self._sample_users(size, preferred, local_share=0.6)
            span = self.now - created
            for user_id in people:
                taken_id += 1
                taken_rows.add(
                    (
                        taken_id,
                        action_id,
                        user_id,
                        kind == "sign" and rng.random() < 0.3,
                        _ts(created + rng.random() * span),
                    )
                )
            for _ in range(arrivals):
                arrival_id += 1
                arrivals_rows.add(
                    (
                        arrival_id,
                        action_id,
                        rng.choice(people),
                        f"{rng.getrandbits(256):064x}",
                        _ts(created + rng.random() * span),
                    )
                )
        taken_rows.close()
        arrivals_rows.close()

        self.report.step(f"Supporters: {plan.supporters:,}")
        supporters = self.writer(CampaignSupporter, ["id", "campaign_id", "user_id", "created_at"])
        supporter_id = 0
        for (cid, _, region, group, _, _, created), size in zip(
            specs, supporter_sizes, strict=True
        ):
            if not size:
                continue
            preferred = (
                group.members
                if group
                else (self.region_users[region] if region is not None else [])
            )
            for user_id in self._sample_users(size, preferred, local_share=0.6):
                supporter_id += 1
                supporters.add(
                    (supporter_id, cid, user_id, _ts(created + rng.random() * (self.now - created)))
                )
        supporters.close()

        updates = self.writer(
            CampaignUpdate, ["id", "campaign_id", "author_id", "title", "body", "created_at"]
        )
        outcomes = self.writer(
            Outcome, ["id", "campaign_id", "date", "kind", "summary", "recorded_by_id"]
        )
        update_id = outcome_id = 0
        for cid, _, status, region, group, created in self.campaign_rows:
            if status in ("proposed", "rejected"):
                continue
            author = rng.choice(group.leads) if group else self.rep_users[region or 0]
            for _ in range(rng.choice([1, 2, 3, 5])):
                update_id += 1
                updates.add(
                    (
                        update_id,
                        cid,
                        author,
                        "Campaign update",
                        "Here is what happened this month.\n\n" + LOREM,
                        _ts(created + rng.random() * (self.now - created)),
                    )
                )
            if status in ("won", "closed") or rng.random() < 0.2:
                outcome_id += 1
                outcomes.add(
                    (
                        outcome_id,
                        cid,
                        _day(created + rng.random() * (self.now - created)),
                        "win" if status == "won" else rng.choice(["response", "setback", "other"]),
                        "The council replied to our letters.",
                        author,
                    )
                )
        updates.close()
        outcomes.close()
