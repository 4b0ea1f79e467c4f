"""Ordering database rows by distance from a postcode district, on any database.

The ordering uses a flat-earth approximation in plain arithmetic (fine within a country,
and it needs no PostGIS); the distance shown is then computed exactly per row shown."""

import math
from collections.abc import Iterable

from django.db.models import ExpressionWrapper, F, FloatField, QuerySet

from .geo import bounding_box, distance_km


def order_by_distance(
    queryset: QuerySet,
    *,
    lat: float,
    lon: float,
    radius_km: float | None = None,
    prefix: str = "",
) -> QuerySet:
    lat_f, lon_f = f"{prefix}latitude", f"{prefix}longitude"
    scale = math.cos(math.radians(lat))
    dlat = F(lat_f) - lat
    dlon = (F(lon_f) - lon) * scale
    queryset = queryset.filter(**{f"{lat_f}__isnull": False, f"{lon_f}__isnull": False})
    if radius_km is not None:
        min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius_km)
        queryset = queryset.filter(
            **{
                f"{lat_f}__gte": min_lat,
                f"{lat_f}__lte": max_lat,
                f"{lon_f}__gte": min_lon,
                f"{lon_f}__lte": max_lon,
            }
        )
    return queryset.annotate(
        _distance_rank=ExpressionWrapper(dlat * dlat + dlon * dlon, output_field=FloatField())
    ).order_by("_distance_rank", "pk")


def attach_distances(objects: Iterable, *, lat: float, lon: float, attr: str = "") -> list:
    """Set .distance_km on each object (from obj.<attr>.latitude if attr is given)."""
    result = []
    for obj in objects:
        source = getattr(obj, attr) if attr else obj
        if source is not None and source.latitude is not None:
            obj.distance_km = distance_km(lat, lon, source.latitude, source.longitude)
        else:
            obj.distance_km = None
        result.append(obj)
    return result
