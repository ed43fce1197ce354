"""HS normalisation against HS 2022, sector mapping by prefix, share figures with their citations."""

from __future__ import annotations

import pytest

from service.refdata import load_hs, load_sectors
from service.screening.hs import HsCodeError, HsNomenclature
from service.screening.sectors import SectorCatalog


@pytest.fixture(scope="module")
def hs() -> HsNomenclature:
    return load_hs()


@pytest.fixture(scope="module")
def catalog() -> SectorCatalog:
    return load_sectors()


def sector_ids(hs: HsNomenclature, catalog: SectorCatalog, raw: str) -> list[str]:
    return [m.sector_id for m in catalog.sectors_for(hs.normalize(raw))]


class TestNormalize:
    @pytest.mark.parametrize("raw", ["8541.43", "8541 43 00 10", "854143", "8541-43", " 8541.43.00 ", "８５４１．４３"])
    def test_written_forms_of_one_subheading(self, hs: HsNomenclature, raw: str) -> None:
        code = hs.normalize(raw)
        assert (code.chapter, code.heading, code.hs6) == ("85", "8541", "854143")
        assert code.subheading_description is not None
        assert "modules" in code.subheading_description

    def test_national_ten_digit_line_keeps_its_suffix(self, hs: HsNomenclature) -> None:
        code = hs.normalize("6109.10.0012")
        assert (code.digits, code.hs6, code.national_suffix) == ("6109100012", "610910", "0012")
        assert len(code.descriptions) == 3

    def test_heading_only(self, hs: HsNomenclature) -> None:
        code = hs.normalize("5201")
        assert (code.heading, code.hs6, code.prefix) == ("5201", None, "5201")

    def test_unknown_subheading_is_kept_at_heading_level(self, hs: HsNomenclature) -> None:
        code = hs.normalize("854199")
        assert (code.hs6, code.prefix, code.subheading_unknown) == (None, "8541", True)

    @pytest.mark.parametrize("raw", ["9801.00.1000", "9903.88.15", "99"])
    def test_us_hts_special_chapters_accepted(self, hs: HsNomenclature, raw: str) -> None:
        code = hs.normalize(raw)
        assert code.special is True
        assert code.heading is None

    @pytest.mark.parametrize(
        ("raw", "reason"),
        [
            ("77", "unknown HS chapter 77"),
            ("7700.10", "unknown HS chapter 77"),
            ("0199", "unknown HS heading 0199"),
            ("85A1.43", "characters other than digits"),
            ("cotton", "characters other than digits"),
            ("8", "1 digits"),
            ("12345678901", "11 digits"),
            ("854", "leading zero"),
            ("", "empty"),
        ],
    )
    def test_rejects_with_a_reason(self, hs: HsNomenclature, raw: str, reason: str) -> None:
        with pytest.raises(HsCodeError, match=reason):
            hs.normalize(raw)


class TestSectors:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("5201", ["cotton"]),
            ("854143", ["silica_pv"]),
            ("854142", ["silica_pv"]),
            ("7601", ["aluminum"]),
            ("3904.10", ["pvc"]),
            ("2002", ["tomatoes"]),
            ("0813", ["red_dates"]),
            ("280461", ["silica_materials"]),
            # T-shirts: apparel only; cotton_downstream lists 'of cotton' goods outside chapters 52/61/62.
            ("6109.10.0012", ["apparel"]),
            ("9801.00.1000", []),
            ("8471", []),
        ],
    )
    def test_sector_by_prefix(self, hs: HsNomenclature, catalog: SectorCatalog, raw: str, expected: list[str]) -> None:
        assert sector_ids(hs, catalog, raw) == expected

    def test_longest_prefix_and_citation(self, hs: HsNomenclature, catalog: SectorCatalog) -> None:
        (match,) = catalog.sectors_for(hs.normalize("854143"))
        assert (match.matched_prefix, match.year_added, match.partial) == ("854143", 2022, False)
        assert "[S01]" in match.citation

    def test_broader_declared_code_is_a_partial_match(self, hs: HsNomenclature, catalog: SectorCatalog) -> None:
        (match,) = catalog.sectors_for(hs.normalize("0813"))
        assert (match.matched_prefix, match.partial, match.year_added) == ("081340", True, 2025)

    def test_catalog_counts(self, catalog: SectorCatalog) -> None:
        assert (len(catalog.sectors), len(catalog.shares)) == (17, 86)


class TestShares:
    def test_cotton_share_with_citation(self, hs: HsNomenclature, catalog: SectorCatalog) -> None:
        code = hs.normalize("5201")
        figures = catalog.shares_for(code, catalog.sectors_for(code))
        share = next(f for f in figures if f.metric == "Xinjiang share of China cotton output" and f.year == "2022")
        assert (share.value, share.unit, share.relation, share.xinjiang_share) == (90.2, "percent", "direct", True)
        assert "[S31]" in share.citation

    def test_solar_module_gets_polysilicon_figures_through_its_sector(
        self, hs: HsNomenclature, catalog: SectorCatalog
    ) -> None:
        code = hs.normalize("854143")
        figures = catalog.shares_for(code, catalog.sectors_for(code))
        poly = [f for f in figures if f.commodity == "polysilicon" and f.xinjiang_share]
        assert {f.value for f in poly} >= {52.4, 41.7}
        assert {f.relation for f in poly} == {"sector"}
        assert all("[S37]" in f.citation or "[S38]" in f.citation for f in poly)

    @pytest.mark.parametrize(
        ("raw", "commodity"),
        [
            ("850231", "wind-powered generating sets"),
            ("2917", "acyclic polycarboxylic acids"),
            ("950510", "Christmas decorations"),
            ("6702", "artificial flowers"),
            ("6109", "clothing"),
            ("5201", "cotton (raw)"),
        ],
    )
    def test_seed_export_mix_facts(self, hs: HsNomenclature, catalog: SectorCatalog, raw: str, commodity: str) -> None:
        code = hs.normalize(raw)
        figures = [f for f in catalog.shares_for(code, catalog.sectors_for(code)) if f.commodity == commodity]
        assert figures
        assert all(f.citation for f in figures)

    def test_seed_document_figures_are_marked_reported(self, hs: HsNomenclature, catalog: SectorCatalog) -> None:
        figures = catalog.shares_for(hs.normalize("6702"))
        assert [(f.reported_figure, f.xinjiang_export) for f in figures] == [(True, True)]

    def test_transit_through_xinjiang_ports_is_not_a_xinjiang_export(
        self, hs: HsNomenclature, catalog: SectorCatalog
    ) -> None:
        horgos = next(f for f in catalog.shares_for(hs.normalize("950510")) if "Horgos" in f.metric)
        assert horgos.xinjiang_export is False

    def test_special_chapter_has_no_figures(self, hs: HsNomenclature, catalog: SectorCatalog) -> None:
        assert catalog.shares_for(hs.normalize("9801.00.1000")) == []
