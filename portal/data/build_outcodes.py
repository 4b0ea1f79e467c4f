"""Build outcodes.csv (postcode district centroids) from OS Code-Point Open.

Usage:
    python portal/data/build_outcodes.py path/to/codepo_gb.zip > portal/data/outcodes.csv

Reads every Data/CSV/*.csv in the Code-Point Open zip, drops postcodes without coordinates
(positional quality 90), averages eastings/northings per outcode, and converts each mean
from the British National Grid (OSGB36) to WGS84 latitude/longitude. Standard library only.
"""

from __future__ import annotations

import csv
import io
import math
import sys
import zipfile

# Airy 1830 ellipsoid and National Grid projection constants (OS "A guide to coordinate
# systems in Great Britain", appendices A-C).
AIRY_A, AIRY_B = 6377563.396, 6356256.909
WGS84_A, WGS84_B = 6378137.000, 6356752.3141
F0 = 0.9996012717
LAT0, LON0 = math.radians(49.0), math.radians(-2.0)
E0, N0 = 400000.0, -100000.0

# OSGB36 -> WGS84 Helmert parameters (the inverse of the OS's published WGS84 -> OSGB36 set):
# translations in metres, scale in ppm, rotations in arcseconds. Good to a few metres, which
# is far below the spread of postcodes inside a district.
TX, TY, TZ = 446.448, -125.157, 542.060
SCALE_PPM = -20.4894
RX, RY, RZ = 0.1502, 0.2470, 0.8421

NO_COORDINATES = "90"


def grid_to_osgb36(easting: float, northing: float) -> tuple[float, float]:
    """Inverse transverse Mercator: National Grid metres -> OSGB36 lat/lon in radians."""
    a, b = AIRY_A, AIRY_B
    e2 = 1 - (b * b) / (a * a)
    n = (a - b) / (a + b)

    def meridional_arc(lat: float) -> float:
        dl, sl = lat - LAT0, lat + LAT0
        return (
            b
            * F0
            * (
                (1 + n + 5 / 4 * n**2 + 5 / 4 * n**3) * dl
                - (3 * n + 3 * n**2 + 21 / 8 * n**3) * math.sin(dl) * math.cos(sl)
                + (15 / 8 * n**2 + 15 / 8 * n**3) * math.sin(2 * dl) * math.cos(2 * sl)
                - 35 / 24 * n**3 * math.sin(3 * dl) * math.cos(3 * sl)
            )
        )

    lat = LAT0 + (northing - N0) / (a * F0)
    m = meridional_arc(lat)
    while abs(northing - N0 - m) >= 0.00001:
        lat += (northing - N0 - m) / (a * F0)
        m = meridional_arc(lat)

    sin_lat, cos_lat, tan_lat = math.sin(lat), math.cos(lat), math.tan(lat)
    nu = a * F0 / math.sqrt(1 - e2 * sin_lat**2)
    rho = a * F0 * (1 - e2) / (1 - e2 * sin_lat**2) ** 1.5
    eta2 = nu / rho - 1
    sec_lat = 1 / cos_lat

    vii = tan_lat / (2 * rho * nu)
    viii = tan_lat / (24 * rho * nu**3) * (5 + 3 * tan_lat**2 + eta2 - 9 * tan_lat**2 * eta2)
    ix = tan_lat / (720 * rho * nu**5) * (61 + 90 * tan_lat**2 + 45 * tan_lat**4)
    x = sec_lat / nu
    xi = sec_lat / (6 * nu**3) * (nu / rho + 2 * tan_lat**2)
    xii = sec_lat / (120 * nu**5) * (5 + 28 * tan_lat**2 + 24 * tan_lat**4)
    xiia = sec_lat / (5040 * nu**7) * (61 + 662 * tan_lat**2 + 1320 * tan_lat**4 + 720 * tan_lat**6)

    de = easting - E0
    phi = lat - vii * de**2 + viii * de**4 - ix * de**6
    lam = LON0 + x * de - xi * de**3 + xii * de**5 - xiia * de**7
    return phi, lam


def _to_cartesian(lat: float, lon: float, a: float, b: float) -> tuple[float, float, float]:
    e2 = 1 - (b * b) / (a * a)
    nu = a / math.sqrt(1 - e2 * math.sin(lat) ** 2)
    return (
        nu * math.cos(lat) * math.cos(lon),
        nu * math.cos(lat) * math.sin(lon),
        (1 - e2) * nu * math.sin(lat),
    )


def _from_cartesian(x: float, y: float, z: float, a: float, b: float) -> tuple[float, float]:
    e2 = 1 - (b * b) / (a * a)
    p = math.hypot(x, y)
    lat = math.atan2(z, p * (1 - e2))
    for _ in range(10):
        nu = a / math.sqrt(1 - e2 * math.sin(lat) ** 2)
        lat = math.atan2(z + e2 * nu * math.sin(lat), p)
    return lat, math.atan2(y, x)


def grid_to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """National Grid easting/northing -> WGS84 (latitude, longitude) in degrees."""
    lat, lon = grid_to_osgb36(easting, northing)
    x, y, z = _to_cartesian(lat, lon, AIRY_A, AIRY_B)
    s = 1 + SCALE_PPM * 1e-6
    rx, ry, rz = (math.radians(r / 3600) for r in (RX, RY, RZ))
    x2 = TX + s * x - rz * y + ry * z
    y2 = TY + rz * x + s * y - rx * z
    z2 = TZ - ry * x + rx * y + s * z
    lat2, lon2 = _from_cartesian(x2, y2, z2, WGS84_A, WGS84_B)
    return math.degrees(lat2), math.degrees(lon2)


def district_means(zip_path: str) -> dict[str, tuple[float, float]]:
    """Mean (easting, northing) of every postcode with coordinates, keyed by outcode."""
    sums: dict[str, list[float]] = {}
    with zipfile.ZipFile(zip_path) as archive:
        for name in sorted(archive.namelist()):
            if not (name.startswith("Data/CSV/") and name.endswith(".csv")):
                continue
            with archive.open(name) as raw:
                for row in csv.reader(io.TextIOWrapper(raw, encoding="ascii")):
                    postcode, quality, easting, northing = row[:4]
                    if quality == NO_COORDINATES:
                        continue
                    outcode = postcode.replace(" ", "")[:-3]
                    acc = sums.setdefault(outcode, [0.0, 0.0, 0])
                    acc[0] += float(easting)
                    acc[1] += float(northing)
                    acc[2] += 1
    return {oc: (e / count, n / count) for oc, (e, n, count) in sums.items()}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["outcode", "latitude", "longitude"])
    for outcode, (easting, northing) in sorted(district_means(argv[1]).items()):
        lat, lon = grid_to_wgs84(easting, northing)
        writer.writerow([outcode, f"{lat:.5f}", f"{lon:.5f}"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
