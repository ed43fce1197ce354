"""Writers of GENERATED files in the GLEIF golden-copy CSV layout (LEI-CDF 3.1 and RR-CDF 2.1 columns).

Shared by the relations benchmark and the test files in `tests/data/relations/`. Nothing written here is
GLEIF data: the LEIs are made up (with valid ISO 7064 check digits) and so are the organisations.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

LEI_HEADER = [
    "LEI", "Entity.LegalName", "Entity.LegalName.xmllang",
    *(f"Entity.OtherEntityNames.OtherEntityName.{n}{s}" for n in (1, 2) for s in ("", ".xmllang", ".type")),
    *(f"Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.1{s}" for s in ("", ".xmllang", ".type")),
    *(f"Entity.{kind}.{part}" for kind in ("LegalAddress", "HeadquartersAddress")
      for part in ("FirstAddressLine", "AdditionalAddressLine.1", "City", "Region", "Country", "PostalCode")),
    "Entity.RegistrationAuthority.RegistrationAuthorityID",
    "Entity.RegistrationAuthority.RegistrationAuthorityEntityID",
    "Entity.LegalJurisdiction", "Entity.EntityCategory", "Entity.LegalForm.EntityLegalFormCode", "Entity.EntityStatus",
    "Entity.EntityCreationDate", "Registration.InitialRegistrationDate", "Registration.LastUpdateDate",
    "Registration.RegistrationStatus", "Registration.NextRenewalDate", "Registration.ManagingLOU",
    "Registration.ValidationSources", "ConformityFlag",
]
RR_HEADER = [
    "Relationship.StartNode.NodeID", "Relationship.StartNode.NodeIDType", "Relationship.EndNode.NodeID",
    "Relationship.EndNode.NodeIDType", "Relationship.RelationshipType", "Relationship.RelationshipStatus",
    *(f"Relationship.Period.{n}.{p}" for n in (1, 2) for p in ("startDate", "endDate", "periodType")),
    "Relationship.Qualifiers.1.QualifierDimension", "Relationship.Qualifiers.1.QualifierCategory",
    "Relationship.Quantifiers.1.MeasurementMethod", "Relationship.Quantifiers.1.QuantifierAmount",
    "Relationship.Quantifiers.1.QuantifierUnits", "Registration.InitialRegistrationDate",
    "Registration.LastUpdateDate", "Registration.RegistrationStatus", "Registration.NextRenewalDate",
    "Registration.ManagingLOU", "Registration.ValidationSources", "Registration.ValidationDocuments",
    "Registration.ValidationReference",
]


def lei(tag: str, prefix: str = "TEST") -> str:
    """A made-up LEI: prefix + tag, padded to 18 characters, with ISO 7064 MOD 97-10 check digits."""
    base = (prefix + tag).upper().ljust(18, "0")[:18]
    number = int("".join(str(int(ch, 36)) for ch in base + "00"))
    return f"{base}{98 - number % 97:02d}"


def lei_row(code: str, name: str, country: str, city: str, *, category: str = "GENERAL", status: str = "ACTIVE",
            other_name: str = "") -> dict[str, str]:
    row = {"LEI": code, "Entity.LegalName": name, "Entity.LegalName.xmllang": "en",
           "Entity.LegalAddress.FirstAddressLine": "1 Example Road (generated)", "Entity.LegalAddress.City": city,
           "Entity.LegalAddress.Country": country, "Entity.HeadquartersAddress.City": city,
           "Entity.HeadquartersAddress.Country": country, "Entity.LegalJurisdiction": country,
           "Entity.EntityCategory": category, "Entity.EntityStatus": status,
           "Registration.InitialRegistrationDate": "2018-01-10T00:00:00Z",
           "Registration.LastUpdateDate": "2026-11-02T08:30:00Z",
           "Registration.RegistrationStatus": "ISSUED" if status == "ACTIVE" else "RETIRED",
           "Registration.ValidationSources": "FULLY_CORROBORATED", "ConformityFlag": "CONFORMING"}
    if other_name:
        row.update({"Entity.OtherEntityNames.OtherEntityName.1": other_name,
                    "Entity.OtherEntityNames.OtherEntityName.1.xmllang": "zh",
                    "Entity.OtherEntityNames.OtherEntityName.1.type": "ALTERNATIVE_LANGUAGE_LEGAL_NAME"})
    return row


def rr_row(child: str, parent: str, kind: str, status: str = "ACTIVE", share: str = "") -> dict[str, str]:
    row = {"Relationship.StartNode.NodeID": child, "Relationship.StartNode.NodeIDType": "LEI",
           "Relationship.EndNode.NodeID": parent, "Relationship.EndNode.NodeIDType": "LEI",
           "Relationship.RelationshipType": kind, "Relationship.RelationshipStatus": status,
           "Relationship.Period.1.startDate": "2025-01-01T00:00:00Z",
           "Relationship.Period.1.endDate": "2025-12-31T00:00:00Z",
           "Relationship.Period.1.periodType": "ACCOUNTING_PERIOD",
           "Relationship.Period.2.startDate": "2019-03-01T00:00:00Z",
           "Relationship.Period.2.periodType": "RELATIONSHIP_PERIOD",
           "Registration.InitialRegistrationDate": "2019-03-15T00:00:00Z",
           "Registration.LastUpdateDate": "2026-10-20T00:00:00Z",
           "Registration.RegistrationStatus": "PUBLISHED" if status == "ACTIVE" else "RETIRED",
           "Registration.ValidationSources": "FULLY_CORROBORATED"}
    if kind != "IS_INTERNATIONAL_BRANCH_OF":
        row.update({"Relationship.Qualifiers.1.QualifierDimension": "ACCOUNTING_STANDARD",
                    "Relationship.Qualifiers.1.QualifierCategory": "IFRS"})
    if share:
        row.update({"Relationship.Quantifiers.1.MeasurementMethod": "ACCOUNTING_CONSOLIDATION",
                    "Relationship.Quantifiers.1.QuantifierAmount": share,
                    "Relationship.Quantifiers.1.QuantifierUnits": "PERCENTAGE"})
    return row


def write_rows(fh: TextIO, header: list[str], rows: Iterable[dict[str, str]]) -> int:
    """Quoted cells, as the golden copy has them; returns the number of rows written."""
    writer = csv.DictWriter(fh, fieldnames=header, quoting=csv.QUOTE_ALL, restval="")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count
