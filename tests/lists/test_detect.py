"""Format detection for `flrisk lists update`, the Xinjiang tagging and the content hash."""

from __future__ import annotations

import dataclasses
import shutil
import zipfile
from pathlib import Path

import pytest

from service.lists.errors import ListFormatError
from service.lists.parsers.detect import content_hash, detect_format, parse_list_files
from service.lists.parsers.xinjiang_tag import tag_xinjiang
from service.screening.model import ListEntry

DATA = Path(__file__).parent.parent / "data" / "formats"
TRIO = [DATA / "ofac_sdn.csv", DATA / "ofac_alt.csv", DATA / "ofac_add.csv"]


def mentions_xinjiang(text: str) -> bool:
    return "xinjiang" in text.lower() or "urumqi" in text.lower()


def copy_as(tmp_path: Path, src: Path, name: str) -> Path:
    dest = tmp_path / name
    shutil.copy(src, dest)
    return dest


class TestDetectFormat:
    @pytest.mark.parametrize(("sample", "fmt"), [
        ("csl_consolidated.csv", "csl_csv"),
        ("csl_consolidated_with_id.csv", "csl_csv"),
        ("csl_consolidated.json", "csl_json"),
        ("opensanctions_entities.ftm.json", "ftm"),
        ("snapshot_small.csv", "snapshot"),
        ("ofac_sdn.csv", "ofac"),
    ])
    def test_by_content_whatever_the_extension(self, tmp_path: Path, sample: str, fmt: str) -> None:
        assert detect_format([copy_as(tmp_path, DATA / sample, "download.dat")]) == fmt

    def test_trio_directory_and_zip(self, tmp_path: Path) -> None:
        archive = tmp_path / "sdall.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            for src in TRIO:
                zf.write(src, src.name)
        assert detect_format(TRIO) == "ofac"
        assert detect_format([DATA]) == "ofac"
        assert detect_format([archive]) == "ofac"

    def test_unknown_format_names_the_accepted_ones(self, tmp_path: Path) -> None:
        path = tmp_path / "list.csv"
        path.write_text("company,country\nACME,CN\n")
        with pytest.raises(ListFormatError, match="unrecognised list format; accepted: OFAC") as exc:
            detect_format([path])
        assert (exc.value.file, exc.value.line) == ("list.csv", 1)

    def test_unknown_json(self, tmp_path: Path) -> None:
        path = tmp_path / "list.json"
        path.write_text('{"data": [1, 2]}')
        with pytest.raises(ListFormatError, match="unrecognised"):
            detect_format([path])

    def test_empty_file(self, tmp_path: Path) -> None:
        path = tmp_path / "empty.csv"
        path.write_bytes(b"\n  \n")
        with pytest.raises(ListFormatError, match="empty"):
            detect_format([path])

    def test_several_files_that_are_not_the_trio(self) -> None:
        with pytest.raises(ListFormatError, match="OFAC") as exc:
            detect_format([TRIO[0], DATA / "csl_consolidated.csv"])
        assert exc.value.file == "csl_consolidated.csv"

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(ListFormatError, match="no such file"):
            detect_format([tmp_path / "nope.csv"])


class TestParseListFiles:
    def test_ofac_trio_shuffled_and_renamed(self, tmp_path: Path) -> None:
        names = ("3.csv", "1.csv", "2.csv")
        paths = [copy_as(tmp_path, src, name) for src, name in zip(TRIO, names, strict=True)]
        entries = parse_list_files([paths[2], paths[0], paths[1]], source="ofac_sdn")
        assert len(entries) == 465
        assert {e.entry_id: e for e in entries}["306"].aliases == ("NATIONAL BANK OF CUBA",)

    def test_each_sample_with_counts_and_tags(self) -> None:
        counts = {}
        for paths in (TRIO, [DATA / "csl_consolidated.csv"], [DATA / "csl_consolidated_with_id.csv"],
                      [DATA / "csl_consolidated.json"], [DATA / "opensanctions_entities.ftm.json"]):
            entries = parse_list_files(paths, source="x", mentions_xinjiang=mentions_xinjiang)
            counts[paths[0].name] = (len(entries), sum(e.xinjiang_linked for e in entries))
        assert counts == {
            "ofac_sdn.csv": (465, 10), "csl_consolidated.csv": (115, 1),
            "csl_consolidated_with_id.csv": (13, 0),
            "csl_consolidated.json": (15, 1), "opensanctions_entities.ftm.json": (6, 0),
        }

    def test_uflpa_source_is_xinjiang_linked_by_definition(self) -> None:
        entries = parse_list_files([DATA / "uflpa_crafted.ftm.json"], source="uflpa_entity_list")
        assert [e.xinjiang_linked for e in entries] == [True, True, True]

    def test_gbk_bytes_in_utf8_file(self, tmp_path: Path) -> None:
        path = tmp_path / "csl.csv"
        lines = (DATA / "csl_consolidated_with_id.csv").read_bytes().split(b"\n")
        lines[3] = lines[3].replace(b"Xian", "西安".encode("gbk"))
        path.write_bytes(b"\n".join(lines))
        with pytest.raises(ListFormatError, match="not valid utf-8") as exc:
            parse_list_files([path], source="trade_gov_csl")
        assert (exc.value.file, exc.value.line) == ("csl.csv", 4)

    def test_header_only_file_has_no_entries(self, tmp_path: Path) -> None:
        path = tmp_path / "csl.csv"
        path.write_bytes((DATA / "csl_consolidated.csv").read_bytes().split(b"\n")[0] + b"\n")
        with pytest.raises(ListFormatError, match="no entries"):
            parse_list_files([path], source="trade_gov_csl")


class TestTagXinjiang:
    def test_tags_by_each_field(self) -> None:
        base = ListEntry(source="s", entry_id="1", name="ACME")
        variants = [
            dataclasses.replace(base, program="XINJIANG-EO"), dataclasses.replace(base, city="Urumqi"),
            dataclasses.replace(base, addresses=("1 Road, Xinjiang",)),
            dataclasses.replace(base, remarks="Linked To: XINJIANG PRODUCTION AND CONSTRUCTION CORPS."),
            dataclasses.replace(base, name="Xinjiang Co"),
            dataclasses.replace(base, aliases=("Xinjiang Co",)),
        ]
        assert [e.xinjiang_linked for e in tag_xinjiang([base, *variants], mentions_xinjiang)] == [
            False, True, True, True, True, True, True]

    def test_never_untags(self) -> None:
        linked = ListEntry(source="s", entry_id="1", name="ACME", xinjiang_linked=True)
        assert tag_xinjiang([linked], lambda _: False) == [linked]

    def test_with_the_gazetteer(self) -> None:
        loaders = pytest.importorskip("service.refdata.loaders")
        entries = parse_list_files(TRIO, source="ofac_sdn")
        tagged = tag_xinjiang(entries, loaders.load_gazetteer().mentions_xinjiang)
        linked = {e.entry_id for e in tagged if e.xinjiang_linked}
        assert {"29159", "29299", "31492"} <= linked
        assert "306" not in linked


class TestContentHash:
    def test_same_content_any_order_same_hash(self) -> None:
        entries = parse_list_files(TRIO, source="ofac_sdn")
        assert content_hash(entries) == content_hash(list(reversed(entries)))

    def test_any_change_changes_the_hash(self) -> None:
        entries = parse_list_files([DATA / "csl_consolidated_with_id.csv"], source="trade_gov_csl")
        changed = [dataclasses.replace(entries[0], remarks="new"), *entries[1:]]
        extra = [dataclasses.replace(entries[0], extra={**entries[0].extra, "k": "v"}), *entries[1:]]
        assert len({content_hash(entries), content_hash(changed), content_hash(extra)}) == 3

    def test_reparse_is_stable(self) -> None:
        path = [DATA / "csl_consolidated.csv"]
        first, second = parse_list_files(path, source="s"), parse_list_files(path, source="s")
        assert content_hash(first) == content_hash(second)
