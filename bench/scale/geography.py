"""12 regions of real postcode areas, 5 areas each, with the outcodes they contain."""

from __future__ import annotations

from collections.abc import Sequence

from portal import geo

# --- geography: 12 regions of real postcode areas, 5 areas each -------------------------

AREAS_PER_REGION = 5
REGIONS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "North East",
        [
            ("NE", "Newcastle"),
            ("SR", "Sunderland"),
            ("DH", "Durham"),
            ("DL", "Darlington"),
            ("TS", "Middlesbrough"),
        ],
    ),
    (
        "North West",
        [
            ("M", "Manchester"),
            ("SK", "Stockport"),
            ("OL", "Oldham"),
            ("BL", "Bolton"),
            ("WN", "Wigan"),
            ("L", "Liverpool"),
            ("WA", "Warrington"),
            ("CH", "Chester"),
            ("CW", "Crewe"),
            ("PR", "Preston"),
            ("BB", "Blackburn"),
            ("FY", "Blackpool"),
            ("LA", "Lancaster"),
            ("CA", "Carlisle"),
        ],
    ),
    (
        "Yorkshire and the Humber",
        [
            ("LS", "Leeds"),
            ("BD", "Bradford"),
            ("HX", "Halifax"),
            ("HD", "Huddersfield"),
            ("WF", "Wakefield"),
            ("S", "Sheffield"),
            ("DN", "Doncaster"),
            ("HU", "Hull"),
            ("YO", "York"),
            ("HG", "Harrogate"),
        ],
    ),
    (
        "East Midlands",
        [
            ("DE", "Derby"),
            ("NG", "Nottingham"),
            ("LE", "Leicester"),
            ("LN", "Lincoln"),
            ("NN", "Northampton"),
        ],
    ),
    (
        "West Midlands",
        [
            ("B", "Birmingham"),
            ("WS", "Walsall"),
            ("WV", "Wolverhampton"),
            ("DY", "Dudley"),
            ("CV", "Coventry"),
            ("ST", "Stoke-on-Trent"),
            ("TF", "Telford"),
            ("SY", "Shrewsbury"),
            ("WR", "Worcester"),
            ("HR", "Hereford"),
        ],
    ),
    (
        "East of England",
        [
            ("NR", "Norwich"),
            ("IP", "Ipswich"),
            ("CO", "Colchester"),
            ("CB", "Cambridge"),
            ("PE", "Peterborough"),
            ("CM", "Chelmsford"),
            ("SS", "Southend-on-Sea"),
            ("SG", "Stevenage"),
            ("AL", "St Albans"),
            ("LU", "Luton"),
            ("WD", "Watford"),
        ],
    ),
    (
        "London",
        [
            ("E", "East London"),
            ("EC", "City of London"),
            ("IG", "Ilford"),
            ("RM", "Romford"),
            ("N", "North London"),
            ("NW", "North West London"),
            ("EN", "Enfield"),
            ("HA", "Harrow"),
            ("W", "West London"),
            ("WC", "Central London"),
            ("UB", "Southall"),
            ("TW", "Twickenham"),
            ("SW", "South West London"),
            ("SM", "Sutton"),
            ("SE", "South East London"),
            ("CR", "Croydon"),
            ("BR", "Bromley"),
        ],
    ),
    (
        "South East",
        [
            ("OX", "Oxford"),
            ("MK", "Milton Keynes"),
            ("HP", "High Wycombe"),
            ("RG", "Reading"),
            ("SL", "Slough"),
            ("GU", "Guildford"),
            ("KT", "Kingston"),
            ("RH", "Crawley"),
            ("SO", "Southampton"),
            ("PO", "Portsmouth"),
            ("BN", "Brighton"),
            ("TN", "Tunbridge Wells"),
            ("ME", "Medway"),
            ("CT", "Canterbury"),
            ("DA", "Dartford"),
        ],
    ),
    (
        "South West",
        [
            ("BS", "Bristol"),
            ("BA", "Bath"),
            ("GL", "Gloucester"),
            ("SN", "Swindon"),
            ("SP", "Salisbury"),
            ("BH", "Bournemouth"),
            ("DT", "Dorchester"),
            ("TA", "Taunton"),
            ("EX", "Exeter"),
            ("TQ", "Torquay"),
            ("PL", "Plymouth"),
            ("TR", "Truro"),
        ],
    ),
    (
        "Wales",
        [
            ("CF", "Cardiff"),
            ("NP", "Newport"),
            ("SA", "Swansea"),
            ("LD", "Llandrindod Wells"),
            ("LL", "Bangor"),
        ],
    ),
    (
        "Scotland South",
        [
            ("EH", "Edinburgh"),
            ("TD", "Galashiels"),
            ("G", "Glasgow"),
            ("PA", "Paisley"),
            ("ML", "Motherwell"),
            ("KA", "Kilmarnock"),
            ("DG", "Dumfries"),
            ("FK", "Stirling"),
        ],
    ),
    (
        "Scotland North",
        [
            ("DD", "Dundee"),
            ("KY", "Kirkcaldy"),
            ("PH", "Perth"),
            ("AB", "Aberdeen"),
            ("IV", "Inverness"),
            ("KW", "Kirkwall"),
            ("HS", "Stornoway"),
            ("ZE", "Lerwick"),
        ],
    ),
]


def _outcodes_by_prefix() -> dict[str, list[tuple[str, float, float]]]:
    by_prefix: dict[str, list[tuple[str, float, float]]] = {}
    for outcode, (lat, lon) in sorted(geo._centroids().items()):
        prefix = "".join(ch for ch in outcode[:2] if ch.isalpha())
        by_prefix.setdefault(prefix, []).append((outcode, lat, lon))
    return by_prefix


def _chunks(items: Sequence, parts: int) -> list[list]:
    size, extra = divmod(len(items), parts)
    result, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        result.append(list(items[start:end]))
        start = end
    return result


def _join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
