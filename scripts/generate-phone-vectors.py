#!/usr/bin/env python3
"""Generates Tests/ModelTests/PhoneVectors.generated.swift from libphonenumber.

Uses the PyPI `phonenumbers` package (Google's libphonenumber metadata) as an independent
reference for `PhoneNumber` in Sources/Model/Formatting/Phone. For a deterministic sample of
valid numbers of every country, the script writes the ways people type them (E.164, national,
international, 00 / 011 prefixes, tel: URIs, extensions) with what libphonenumber makes of them:
the E.164 form, the country, and the national and international formats. It also writes
numbers libphonenumber says have an impossible length, which must not be recognised.

    pip install phonenumbers
    python3 scripts/generate-phone-vectors.py            # writes the Swift file
    python3 scripts/generate-phone-vectors.py --check    # fails if the file is out of date

Where Nextsoft deliberately differs from libphonenumber, only the E.164 form (and the country
where it is the same) is compared; each difference is listed in `format_difference` and
`country_difference` below with the reason. Numbers of kinds Nextsoft does not model are left
out (see `modelled`).
"""

import random
import sys
from pathlib import Path

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

OUTPUT = Path(__file__).resolve().parent.parent / "Tests" / "ModelTests" / "PhoneVectors.generated.swift"

# Countries whose national rules Nextsoft models (North America in full, and six others).
MODELLED = ["US", "CA", "JM", "PR", "BS", "GB", "IE", "DE", "FR", "AU", "NL"]
NANP = set(COUNTRY_CODE_TO_REGION_CODE[1])
# A home country that shares no calling code with any vector: numbers show in international form.
FOREIGN_HOME = "JP"
TYPES = [
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.MOBILE,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.PAGER,
    PhoneNumberType.UAN,
]
# Random valid numbers per modelled country, from these leading digits and lengths of the NSN.
RANDOM_SHAPES = {
    "US": [("", 10)],
    "CA": [("", 10)],
    "GB": [("1", 10), ("1", 9), ("2", 10), ("3", 10), ("7", 10), ("800", 10), ("800", 9), ("9", 10)],
    "IE": [("1", 8), ("2", 7), ("2", 9), ("4", 9), ("5", 9), ("6", 9), ("9", 9), ("8", 9), ("1800", 10)],
    "DE": [("2", 10), ("2", 11), ("3", 9), ("3", 10), ("4", 10), ("5", 9), ("6", 10), ("7", 10), ("8", 10),
           ("9", 10), ("15", 11), ("17", 10), ("17", 11), ("800", 10)],
    "FR": [("", 9)],
    "AU": [("2", 9), ("3", 9), ("4", 9), ("7", 9), ("8", 9), ("1300", 10), ("1800", 10), ("13", 6)],
    "NL": [("1", 9), ("2", 9), ("3", 9), ("4", 9), ("5", 9), ("6", 9), ("7", 9), ("800", 7), ("85", 9)],
}
RANDOM_PER_SHAPE = 6
# Vectors per array literal in the Swift file, and its line length (as in .swift-format).
CHUNK = 100
LINE_LENGTH = 120


def modelled(region, number):
    """Whether Nextsoft models numbers of this kind; the rest are left out of the vectors."""
    nsn = phonenumbers.national_significant_number(number)
    if region in NANP:
        # Only ten-digit numbers: Canada's seven-digit 310-xxxx service numbers are not modelled.
        # Nextsoft enforces the NANP exchange rule libphonenumber's metadata does not: no N11
        # exchange (they are service codes).
        return len(nsn) == 10 and nsn[4:6] != "11"
    if region == "GB":
        # 0845 464x 7-digit numbers and 05x00 numbers are not modelled.
        return len(nsn) != 7 or nsn == "8001111"
    if region == "IE":
        # 08x 5-digit voicemail access numbers (10 digits) are not modelled.
        return not (nsn.startswith("8") and len(nsn) == 10)
    if region == "DE":
        # Pagers (016x without 0), voicemail (017x 99), 0137/0138 televoting, 0181/0185 UANs,
        # 032 national numbers and geographic numbers over twelve digits are not modelled.
        number_type = phonenumbers.number_type(number)
        if number_type in (PhoneNumberType.PAGER, PhoneNumberType.VOICEMAIL, PhoneNumberType.UAN):
            return False
        return not nsn.startswith(("13", "181", "185", "32")) and len(nsn) <= 12
    if region == "AU":
        # 14 and 16 (VoIP, pagers) and 1802 7-digit numbers are not modelled.
        return not nsn.startswith(("14", "16", "1802")) and len(nsn) != 7
    if region == "NL":
        # 14 municipal numbers, 066 pagers are modelled, 0970 11-digit mobiles are not.
        return not nsn.startswith(("14", "97"))
    return True


def format_difference(region, number):
    """Why Nextsoft formats this number unlike libphonenumber, or None when they agree."""
    nsn = phonenumbers.national_significant_number(number)
    if region == "FR" and nsn.startswith("8"):
        return "FR 08 numbers are written in pairs like every other French number: 08 00 12 34 56"
    if region == "AU" and nsn.startswith("13") and len(nsn) == 6:
        return "AU 13 numbers keep their grouping abroad: +61 13 12 34 (libphonenumber: +61 131234)"
    return None


def country_difference(region, number):
    """Why Nextsoft names another country than libphonenumber, or None when they agree."""
    code = number.country_code
    regions = COUNTRY_CODE_TO_REGION_CODE.get(code, ())
    nsn = phonenumbers.national_significant_number(number)
    if code == 44 and region in ("JE", "GG", "IM") and not nsn.startswith(("1534", "1481", "1624", "7624")):
        return "Crown Dependency mobiles and services are only told apart by fixed-line area code"
    if code == 1 and not phonenumbers.is_number_geographical(number):
        return "non-geographic NANP numbers belong to the default country (or the US)"
    if code not in (1, 44, 7) and regions and region != regions[0]:
        return "shared calling codes name their main country unless the default country shares it"
    if code == 7 and region not in ("RU", "KZ"):
        return "only Kazakhstan is told apart within +7"
    return None


def swift_string(text):
    if text is None:
        return "nil"
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped + '"'


class Vector:
    def __init__(self, text, default, e164, extension=None, country=None, home=None, national=None,
                 international=None):
        self.fields = (text, default, e164, extension, country, home, national, international)

    def swift(self):
        """The vector as swift-format lays it out: one line, or one argument a line when too long."""
        arguments = [swift_string(field) for field in self.fields]
        line = "        PhoneVector(" + ", ".join(arguments) + "),"
        if len(line) <= LINE_LENGTH:
            return line
        return "\n".join(["        PhoneVector("] + ["            " + argument + "," for argument in arguments[:-1]]
                         + ["            " + arguments[-1], "        ),"])


def vectors_for(region, number, other_default):
    """The typed forms of a valid number, with what each must read as."""
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    country = None if country_difference(region, number) else region
    formats_compared = region in MODELLED and format_difference(region, number) is None
    expected_national = national if formats_compared else None
    expected_international = international if formats_compared else None
    home = region if formats_compared else None
    after_plus = international[1:]
    code = str(number.country_code)
    results = [
        Vector(e164, other_default, e164, None, country, home, expected_national, expected_international),
        Vector(international, other_default, e164, None, country, home, expected_national,
               expected_international),
        Vector("00 " + after_plus, "GB" if code != "44" else "DE", e164, None, country),
        Vector("011 " + after_plus, "US" if code != "1" else "GB", e164, None, country),
        Vector(phonenumbers.format_number(number, PhoneNumberFormat.RFC3966), other_default, e164, None, country),
    ]
    if region in MODELLED:
        results.append(
            Vector(national, region, e164, None, country, home, expected_national, expected_international))
        # Nextsoft writes every extension " ext. 42"; libphonenumber writes " x42" in some
        # countries (GB, AU), so the expected forms are its forms without extension plus " ext. 42".
        results.append(Vector(
            national + " x42", region, e164, "42", country, home,
            expected_national + " ext. 42" if formats_compared else None,
            expected_international + " ext. 42" if formats_compared else None,
        ))
    return results


def sample_numbers(region, rng):
    numbers = []
    for number_type in TYPES:
        example = phonenumbers.example_number_for_type(region, number_type)
        if example is not None and phonenumbers.is_valid_number(example):
            numbers.append(example)
    code = phonenumbers.country_code_for_region(region)
    for prefix, length in RANDOM_SHAPES.get(region, []):
        found = 0
        for _ in range(5000):
            if found == RANDOM_PER_SHAPE:
                break
            nsn = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix)))
            number = phonenumbers.parse("+" + str(code) + nsn)
            if phonenumbers.is_valid_number(number) and phonenumbers.region_code_for_number(number) == region:
                numbers.append(number)
                found += 1
    unique = {}
    for number in numbers:
        if phonenumbers.region_code_for_number(number) == region and modelled(region, number):
            unique[phonenumbers.format_number(number, PhoneNumberFormat.E164)] = number
    return list(unique.values())


def impossible_lengths(region, numbers):
    """National forms one digit short or long where libphonenumber says no number has that length."""
    results = []
    for number in numbers[:3]:
        nsn = phonenumbers.national_significant_number(number)
        prefix = "" if region in NANP or not phonenumbers.format_number(
            number, PhoneNumberFormat.NATIONAL).startswith(("0", "(0")) else "0"
        for candidate in (nsn[:-1], nsn + "5"):
            parsed = phonenumbers.parse("+" + str(number.country_code) + candidate)
            reason = phonenumbers.is_possible_number_with_reason(parsed)
            if reason in (phonenumbers.ValidationResult.TOO_SHORT, phonenumbers.ValidationResult.TOO_LONG,
                          phonenumbers.ValidationResult.INVALID_LENGTH):
                results.append(Vector(prefix + candidate, region, None))
                results.append(Vector("+" + str(number.country_code) + candidate, region, None))
    return results


def generate():
    rng = random.Random(20261129)
    vectors = []
    for region in MODELLED:
        numbers = sample_numbers(region, rng)
        other_default = "FR" if region != "FR" else "DE"
        for number in numbers:
            vectors.extend(vectors_for(region, number, other_default))
        vectors.extend(impossible_lengths(region, numbers))
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        if region in MODELLED or region in NANP:
            continue
        for number_type in (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE):
            example = phonenumbers.example_number_for_type(region, number_type)
            if example is None or not phonenumbers.is_valid_number(example):
                continue
            if phonenumbers.region_code_for_number(example) != region or not modelled(region, example):
                continue
            e164 = phonenumbers.format_number(example, PhoneNumberFormat.E164)
            country = None if country_difference(region, example) else region
            if example.country_code in (44, 61, 353, 49, 33, 31):
                # Crown Dependencies and Australia's external territories use modelled plans.
                vectors.extend(vectors_for(region, example, "US")[:2])
                continue
            international = phonenumbers.format_number(example, PhoneNumberFormat.INTERNATIONAL)
            vectors.append(Vector(e164, "US", e164, None, country))
            vectors.append(Vector(international, "US", e164, None, country))
            vectors.append(Vector("00" + e164[1:], "GB", e164, None, country))
            break
    for code in sorted(COUNTRY_CODE_TO_REGION_CODE):
        if COUNTRY_CODE_TO_REGION_CODE[code] != ("001",):
            continue
        example = phonenumbers.example_number_for_non_geo_entity(code)
        if example is not None and phonenumbers.is_valid_number(example):
            e164 = phonenumbers.format_number(example, PhoneNumberFormat.E164)
            vectors.append(Vector(e164, "US", e164))
    return vectors


def render(vectors):
    lines = [
        "// Generated by scripts/generate-phone-vectors.py from phonenumbers "
        + phonenumbers.__version__ + " (libphonenumber metadata). Do not edit.",
        "// Fields: input, default country, expected E.164 (nil: not recognised), extension, country",
        "// (nil: not compared), home country and the formats there and abroad (nil: not compared).",
        "",
        "extension PhoneVector {",
    ]
    # One array literal per hundred vectors: the type checker handles many small literals far
    # faster than one large one.
    chunks = [vectors[start:start + CHUNK] for start in range(0, len(vectors), CHUNK)]
    lines.extend(["    static let generated: [PhoneVector] = Array(", "        ["])
    row = ""
    for index in range(len(chunks)):
        name = f"part{index},"
        if row and len("            " + row + " " + name) > LINE_LENGTH:
            lines.append("            " + row)
            row = ""
        row = row + " " + name if row else name
    lines.extend(["            " + row, "        ].joined()", "    )"])
    for index, chunk in enumerate(chunks):
        lines.extend(["", f"    private static let part{index}: [PhoneVector] = ["])
        lines.extend(vector.swift() for vector in chunk)
        lines.append("    ]")
    lines.extend(["}", ""])
    return "\n".join(lines)


def main():
    text = render(generate())
    if "--check" in sys.argv[1:]:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUTPUT} is out of date; run scripts/generate-phone-vectors.py")
        return
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({text.count('PhoneVector(')} vectors)")


if __name__ == "__main__":
    main()
