"""Where groups are, for the maps on the region, group and directory pages (portal.maps)."""

from portal import maps

from .models import Area, LocalGroup, Region


def group_place(group: LocalGroup) -> maps.Place | None:
    return maps.place_of(group.latitude, group.longitude, group.postcode_district, group.name)


def region_outlines(region: Region, places) -> tuple[str, ...]:
    """The outlines a map of the region draws: those named on it, else the ones its
    places (groups, a venue) stand in."""
    return region.outline_codes or maps.codes_containing((p.lat, p.lon) for p in places)


def region_map(
    region: Region, groups: list[LocalGroup], *, area: Area | None = None
) -> tuple[str, list, list]:
    """The region's map with a numbered marker per group that has a place, those groups
    in marker order (the map's key), and the groups that could not be placed. An area's
    page passes the area: its groups, in the outlines of its region."""
    placed, unplaced, places = [], [], []
    for group in groups:
        place = group_place(group)
        if place is None:
            unplaced.append(group)
        else:
            placed.append(group)
            places.append(place)
    svg = maps.render(
        title=f"Map of {area or region} with its {len(places)} local groups",
        places=places,
        regions=region_outlines(region, places),
    )
    return svg, placed, unplaced


def group_map(group: LocalGroup) -> str:
    """One group's place in its region (the group must come with area__region)."""
    place = group_place(group)
    if place is None:
        return ""
    region = group.area.region
    return maps.render(
        title=f"Map: {group.name} in {region.name}",
        places=[place],
        regions=region_outlines(region, [place]),
        numbered=False,
    )
