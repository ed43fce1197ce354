"""The sources configuration: built-in official URLs, a TOML file as the whole configuration, the closed set."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.lists.sources import BUILTIN, SourcesFileError, UnknownSourceError, configuration


class TestBuiltIn:
    def test_every_shipped_source_has_official_urls(self) -> None:
        config = configuration(None)
        assert sorted(config.sources) == ["bis_entity_list", "cbp_wro", "ofac_sdn", "uflpa_entity_list"]
        assert all(u.startswith("https://") for cfg in BUILTIN.values() for u in cfg.urls)
        assert config.sources["bis_entity_list"].lists == ("EL",)

    def test_a_known_source_without_urls_is_refused_by_name(self) -> None:
        with pytest.raises(SourcesFileError, match="no download URL configured for trade_gov_csl"):
            configuration(None).select(["trade_gov_csl"])

    def test_an_unknown_source_lists_the_known_ones(self) -> None:
        with pytest.raises(UnknownSourceError) as caught:
            configuration(None).select(["uflpa"])
        assert "known: bis_entity_list, cbp_wro, ofac_sdn, opensanctions, trade_gov_csl, uflpa_entity_list" in str(
            caught.value)


class TestSourcesFile:
    def test_the_file_is_the_whole_configuration(self, tmp_path: Path) -> None:
        path = tmp_path / "s.toml"
        path.write_text('[my_list]\nurls = ["/data/my.csv"]\nmax_age_days = 3\n', "utf-8")
        config = configuration(path)
        assert [(c.name, c.urls, c.max_age_days) for c in config.select([])] == [("my_list", ("/data/my.csv",), 3)]
        assert "my_list" in config.known
        assert "uflpa_entity_list" in config.known  # still a valid --source, with no URL here

    @pytest.mark.parametrize(("text", "message"), [
        ("[a\n", "not valid TOML"),
        ('[x]\nurl = ["a"]\n', "unknown key(s) url"),
        ("[x]\nurls = []\n", "urls must be a non-empty list"),
        ('[x]\nurls = ["a"]\nmax_age_days = 0\n', "max_age_days must be a positive whole number"),
        ('[Bad-Name]\nurls = ["a"]\n', "a source name is lower-case letters"),
        ('[x]\nurls = ["a"]\ndiscover = "("\n', "discover must be a regular expression"),
    ])
    def test_mistakes_are_named(self, tmp_path: Path, text: str, message: str) -> None:
        path = tmp_path / "s.toml"
        path.write_text(text, "utf-8")
        with pytest.raises(SourcesFileError, match=re.escape(message)):
            configuration(path)

    def test_a_missing_file_is_named(self, tmp_path: Path) -> None:
        with pytest.raises(SourcesFileError, match="sources file .*nope.toml"):
            configuration(tmp_path / "nope.toml")
