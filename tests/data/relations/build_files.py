"""Writes the GENERATED relations test files in this directory (GLEIF golden-copy CSV layout, FtM JSON lines).

    python -m tests.data.relations.build_files      (from the repository root)

Every organisation, LEI and relationship here is invented for tests, except the names of the listed
entities the scenarios hang off (Hoshine Silicon Industry (Shanshan), the XPCC, SUN Jinlong), which are the
names on the shipped lists so the loader can find them. No GLEIF or OpenSanctions record says any of this:
the LEIs start with TEST and the subsidiaries, parents, branches and owners are fictitious.
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.gleif_layout import LEI_HEADER, RR_HEADER, lei, lei_row, rr_row, write_rows

HERE = Path(__file__).resolve().parent

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


def _lei_row(tag: str) -> dict[str, str]:
    name, country, city, category, status = ORGS[tag]
    return lei_row(lei(tag), name, country, city, category=category, status=status)


def _rr_row(child: str, parent: str, kind: str, status: str, share: str) -> dict[str, str]:
    return rr_row(lei(child), lei(parent), kind, status, share)


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
    with (HERE / "gleif-lei.csv").open("w", encoding="utf-8", newline="") as fh:
        write_rows(fh, LEI_HEADER, (_lei_row(tag) for tag in ORGS))
    with (HERE / "gleif-rr.csv").open("w", encoding="utf-8", newline="") as fh:
        write_rows(fh, RR_HEADER, (_rr_row(*r) for r in RELATIONSHIPS))
    with (HERE / "ownership.ftm.json").open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(e, ensure_ascii=False) + "\n" for e in FTM)


if __name__ == "__main__":
    main()
