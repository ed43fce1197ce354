"""Exposure score: terms add up to the score, Xinjiang is 100, China outranks a third country."""

from __future__ import annotations

import pytest

from service.refdata import load_gazetteer, load_hs, load_sectors
from service.screening.exposure import (
    CHINA_ORIGIN,
    MAX_WITHOUT_XINJIANG,
    Exposure,
    ExposureInput,
    InputMaterial,
    score_exposure,
)


def goods(raw_hs: str, origin: str | None, *, origin_text: str = "", inputs: tuple[InputMaterial, ...] = ()
          ) -> ExposureInput:
    code = load_hs().normalize(raw_hs)
    catalog = load_sectors()
    sectors = catalog.sectors_for(code)
    places = load_gazetteer().find(origin_text, country=origin) if origin_text else []
    return ExposureInput(sectors=sectors, origin_country=origin, origin_places=places,
                         shares=catalog.shares_for(code, sectors), inputs=inputs)


def polysilicon_from(country: str | None) -> InputMaterial:
    code = load_hs().normalize("280461")
    return InputMaterial(name="polysilicon", origin_country=country, sectors=load_sectors().sectors_for(code))


def points(exposure: Exposure) -> dict[str, int]:
    return {t.name: t.points for t in exposure.terms}


class TestScoreExposure:
    @pytest.mark.parametrize(
        "data",
        [
            ExposureInput(),
            ExposureInput(origin_country="CN"),
            goods("854143", "CN"),
            goods("854143", "VN", inputs=(polysilicon_from("CN"),)),
            goods("5201", "CN", origin_text="Xinjiang cotton, Shanghai warehouse"),
            goods("6109", "CN", origin_text="Kashgar, Xinjiang"),
        ],
    )
    def test_terms_sum_to_score(self, data: ExposureInput) -> None:
        exposure = score_exposure(data)
        assert exposure.score == sum(t.points for t in exposure.terms)
        assert 0 <= exposure.score <= 100
        assert all(t.explanation and t.source for t in exposure.terms)

    def test_nothing_known_scores_zero(self) -> None:
        assert score_exposure(ExposureInput()) == Exposure(0, [])

    def test_xinjiang_origin_is_100(self) -> None:
        exposure = score_exposure(goods("6109", "CN", origin_text="Aksu, Xinjiang"))
        assert (exposure.score, points(exposure)) == (100, {"xinjiang_origin": 100})

    def test_xinjiang_input_is_100(self) -> None:
        cotton = InputMaterial(name="cotton lint", origin_country="CN",
                               xinjiang_places=load_gazetteer().find("阿克苏地区"))
        assert score_exposure(goods("6109", "VN", inputs=(cotton,))).score == 100

    def test_china_origin_solar_module(self) -> None:
        exposure = score_exposure(goods("854143", "CN"))
        assert points(exposure) == {"china_origin": CHINA_ORIGIN, "sector": 20, "xinjiang_share": 15,
                                    "xinjiang_export": 5}
        assert exposure.score == 80

    def test_third_country_module_with_chinese_polysilicon_is_exposed_but_below_china(self) -> None:
        third = score_exposure(goods("854143", "VN", inputs=(polysilicon_from("CN"),)))
        china = score_exposure(goods("854143", "CN"))
        assert 0 < third.score < china.score
        assert points(third)["inputs"] == 25
        assert "china_origin" not in points(third)

    def test_input_of_unknown_origin_counts_less_than_a_chinese_one(self) -> None:
        unknown = score_exposure(goods("854143", "VN", inputs=(polysilicon_from(None),)))
        chinese = score_exposure(goods("854143", "VN", inputs=(polysilicon_from("CN"),)))
        assert points(unknown)["inputs"] == 10 < points(chinese)["inputs"]

    def test_product_claim_is_scored_but_is_not_an_origin(self) -> None:
        exposure = score_exposure(goods("5201", "CN", origin_text="100% Xinjiang cotton"))
        assert points(exposure)["product_claim"] == 35
        assert "xinjiang_origin" not in points(exposure)

    def test_score_is_capped_below_100_without_xinjiang(self) -> None:
        exposure = score_exposure(goods("5201", "CN", origin_text="Xinjiang cotton", inputs=(polysilicon_from("CN"),)))
        assert exposure.score == MAX_WITHOUT_XINJIANG
        assert points(exposure)["cap"] < 0

    def test_share_figure_is_cited(self) -> None:
        exposure = score_exposure(goods("5201", "CN"))
        share = next(t for t in exposure.terms if t.name == "xinjiang_share")
        assert "[S31]" in share.source
        assert "90.2" in share.explanation

    def test_special_chapter_from_third_country_scores_zero(self) -> None:
        assert score_exposure(goods("9801.00.1000", "DE")).score == 0
