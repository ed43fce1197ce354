"""Writes the GENERATED relations test files in this directory (GLEIF golden-copy CSV layout, FtM JSON lines).

    python tests/data/relations/build_files.py

Every organisation, LEI and relationship here is invented for tests, except the names of the listed
entities the scenarios hang off (Hoshine Silicon Industry (Shanshan), the XPCC, SUN Jinlong), which are the
names on the shipped lists so the loader can find them. No GLEIF or OpenSanctions record says any of this:
the LEIs start with TEST and the subsidiaries, parents, branches and owners are fictitious.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

LEI_HEADER = [
    "LEI", "Entity.LegalName", "Entity.LegalName.xmllang",
    *(f"Entity.OtherEntityNames.OtherEntityName.{n}{s}" for n in (1, 2) for s in ("", ".xmllang", ".type")),
    *(f"Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.1{s}" for s in ("", ".xmllang", ".type")),
    *(f"Entity.{kind}.{part}" for kind in ("LegalAddress", "HeadquartersAddress")
      for part in ("FirstAddressLine", "AdditionalAddressLine.1", "City", "Region", "Country", "PostalCode")),
    "Entity.RegistrationAuthority.RegistrationAuthorityID", "Entity.RegistrationAuthority.RegistrationAuthorityEntityID",
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


def lei(tag: str) -> str:
    """A made-up LEI: TEST + tag, padded to 18 characters, with ISO 7064 MOD 97-10 check digits."""
    base = ("TEST" + tag).upper().ljust(18, "0")[:18]
    number = int("".join(str(int(ch, 36)) for ch in base + "00"))
    return f"{base}{98 - number % 97:02d}"


# tag -> (legal name, country, city, entity category, entity status)
ORGS = {
    "HOSHINE": ("HOSHINE SILICON INDUSTRY (SHANSHAN) CO., LTD.", "CN", "Shanshan", "GENERAL", "ACTIVE"),
    "KESTREL": ("Kestrel Crystal Materials Co., Ltd.", "CN", "Jiaxing", "GENERAL", "ACTIVE"),
    "BRIGHTMOOR": ("Brightmoor Quartz Trading Co., Ltd.", "CN", "Ningbo", "GENERAL", "ACTIVE"),
    "PELHAM": ("Pelham Polysilicon Singapore Branch", "SG", "Singapore", "BRANCH", "ACTIVE"),
    "QUILLFEATHER": ("Quillfeather Metals Co., Ltd.", "CN", "Wuxi", "GENERAL", "ACTIVE"),
    "MARLOW": ("Marlow Ceased Silicone Co., Ltd.", "CN", "Hangzhou", "GENERAL", "INACTIVE"),
    "TAMARIND": ("Tamarind Holdings Group Co., Ltd.", "CN", "Shanghai", "GENERAL", "ACTIVE"),
    "ORMSBY": ("Ormsby Solar Glass Co., Ltd.", "CN", "Hefei", "GENERAL", "ACTIVE"),
    "WEXFORD": ("Wexford Glass Fibre Co., Ltd.", "CN", "Changzhou", "GENERAL", "ACTIVE"),
    "USHOSHINE": ("HOSHINE SILICON INDUSTRY (SHANSHAN) CO., LTD.", "US", "Dover", "GENERAL", "ACTIVE"),
    "FENWICK": ("Fenwick Sealants LLC", "US", "Dover", "GENERAL", "ACTIVE"),
    **{f"NOISE{i:02d}": (f"Noiseworth Components {i} Co., Ltd.", "DE", "Stuttgart", "GENERAL", "ACTIVE")
       for i in range(30)},
}
# (child tag, parent tag, type, status, share)
RELATIONSHIPS = [
    ("KESTREL", "HOSHINE", "IS_DIRECTLY_CONSOLIDATED_BY", "ACTIVE", "100"),
    ("KESTREL", "HOSHINE", "IS_ULTIMATELY_CONSOLIDATED_BY", "ACTIVE", ""),
    ("BRIGHTMOOR", "KESTREL", "IS_DIRECTLY_CONSOLIDATED_BY", "ACTIVE", ""),
    ("BRIGHTMOOR", "HOSHINE", "IS_ULTIMATELY_CONSOLIDATED_BY", "ACTIVE", ""),
    ("PELHAM", "HOSHINE", "IS_INTERNATIONAL_BRANCH_OF", "ACTIVE", ""),
    ("QUILLFEATHER", "HOSHINE", "IS_DIRECTLY_CONSOLIDATED_BY", "INACTIVE", ""),
    ("MARLOW", "HOSHINE", "IS_DIRECTLY_CONSOLIDATED_BY", "ACTIVE", ""),
    ("HOSHINE", "TAMARIND", "IS_DIRECTLY_CONSOLIDATED_BY", "ACTIVE", ""),
    ("ORMSBY", "TAMARIND", "IS_DIRECTLY_CONSOLIDATED_BY", "ACTIVE", ""),
    ("WEXFORD", "ORMSBY", "IS_DIRECTLY_CONSOLIDATED_BY", "ACTIVE", ""),
    ("FENWICK", "USHOSHINE", "IS_DIRECTLY_CONSOLIDATED_BY", "ACTIVE", ""),
    *((f"NOISE{i:02d}", f"NOISE{i + 1:02d}", "IS_DIRECTLY_CONSOLIDATED_BY", "ACTIVE", "") for i in range(29)),
]


def lei_row(tag: str) -> dict[str, str]:
    name, country, city, category, status = ORGS[tag]
    return {"LEI": lei(tag), "Entity.LegalName": name, "Entity.LegalName.xmllang": "en",
            "Entity.LegalAddress.FirstAddressLine": "1 Example Road (generated)", "Entity.LegalAddress.City": city,
            "Entity.LegalAddress.Country": country, "Entity.HeadquartersAddress.City": city,
            "Entity.HeadquartersAddress.Country": country, "Entity.LegalJurisdiction": country,
            "Entity.EntityCategory": category, "Entity.EntityStatus": status,
            "Registration.InitialRegistrationDate": "2018-01-10T00:00:00Z",
            "Registration.LastUpdateDate": "2026-11-02T08:30:00Z",
            "Registration.RegistrationStatus": "ISSUED" if status == "ACTIVE" else "RETIRED",
            "Registration.ValidationSources": "FULLY_CORROBORATED", "ConformityFlag": "CONFORMING"}


def rr_row(child: str, parent: str, kind: str, status: str, share: str) -> dict[str, str]:
    row = {"Relationship.StartNode.NodeID": lei(child), "Relationship.StartNode.NodeIDType": "LEI",
           "Relationship.EndNode.NodeID": lei(parent), "Relationship.EndNode.NodeIDType": "LEI",
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


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, quoting=csv.QUOTE_ALL, restval="")
        writer.writeheader()
        writer.writerows(rows)


def ftm(id_: str, schema: str, **props: list[str]) -> dict[str, object]:
    return {"id": id_, "schema": schema, "properties": props, "datasets": ["generated_test_data"]}


FTM = [
    ftm("gen-xpcc", "Organization", name=["Xinjiang Production and Construction Corps"], country=["cn"]),
    ftm("gen-sun", "Person", name=["Sun Jinlong"], country=["cn"]),
    ftm("gen-saltmarsh", "Company", name=["Saltmarsh Orchard Trading Co., Ltd."], country=["cn"]),
    ftm("gen-harrowgate", "Company", name=["Harrowgate Textile Co., Ltd."], country=["cn"]),
    ftm("gen-ravenglass", "Company", name=["Ravenglass Cotton Co., Ltd."], country=["cn"]),
    ftm("gen-thistledown", "Company", name=["Thistledown Logistics Co., Ltd."], country=["cn"]),
    ftm("gen-corrigan", "Company", name=["Corrigan Farm Management Co., Ltd."], country=["cn"]),
    ftm("gen-wrenfield", "Company", name=["Wrenfield Agritech Co., Ltd."], country=["cn"]),
    ftm("gen-own-1", "Ownership", owner=["gen-xpcc"], asset=["gen-saltmarsh"], percentage=["60%"],
        startDate=["2018-05-01"]),
    ftm("gen-own-2", "Ownership", owner=["gen-xpcc"], asset=["gen-harrowgate"], percentage=["20"]),
    ftm("gen-own-3", "Ownership", owner=["gen-xpcc"], asset=["gen-ravenglass"], percentage=["75"],
        startDate=["2012-01-01"], endDate=["2020-01-01"]),
    ftm("gen-link-1", "UnknownLink", subject=["gen-thistledown"], object=["gen-xpcc"], role=["Supplier"]),
    ftm("gen-dir-1", "Directorship", director=["gen-xpcc"], organization=["gen-corrigan"], role=["Manager"]),
    ftm("gen-own-4", "Ownership", owner=["gen-sun"], asset=["gen-wrenfield"], percentage=["55"]),
]


def main() -> None:
    write_csv(HERE / "gleif-lei.csv", LEI_HEADER, [lei_row(tag) for tag in ORGS])
    write_csv(HERE / "gleif-rr.csv", RR_HEADER, [rr_row(*r) for r in RELATIONSHIPS])
    with (HERE / "ownership.ftm.json").open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(e, ensure_ascii=False) + "\n" for e in FTM)


if __name__ == "__main__":
    main()
