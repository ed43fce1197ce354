"""Which list sources exist and where each is fetched from: the built-in official publications, or a TOML file.

The built-in sources are the ones flrisk knows how to screen against (`KNOWN_SOURCES`). Those with official
download URLs are synced by default; the URLs are the publishers' own, as documented in the project's notes, and
were not reachable from the machine this was written on. A sources file replaces the whole configuration (for
mirrors and air-gapped installs); its names join the closed set of sources `--source` accepts:

    [uflpa_entity_list]
    urls = ["https://mirror.example/uflpa.html", "https://mirror.example/fr.json"]
    max_age_days = 7          # optional
    discover = "\\.csv$"      # optional: the URL is a page; follow its first link matching this
    lists = ["EL"]            # optional, CSL only: keep these list codes
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.lists.errors import ListLoadError
from service.screening.model import BIS_ENTITY_LIST, CBP_WRO, KNOWN_SOURCES, OFAC_SDN, UFLPA

NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
KEYS = frozenset({"urls", "max_age_days", "discover", "lists"})
OFAC_DOWNLOADS = "https://www.treasury.gov/ofac/downloads/"
CSL_CSV = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"


@dataclass(frozen=True)
class SourceConfig:
    name: str
    urls: tuple[str, ...]
    max_age_days: int | None = None
    discover: str | None = None  # regex of the link to follow on a fetched HTML page (a dated download)
    lists: tuple[str, ...] = ()  # CSL list codes to keep; empty: every entry


BUILTIN: dict[str, SourceConfig] = {
    UFLPA: SourceConfig(UFLPA, (
        "https://www.dhs.gov/uflpa-entity-list",
        "https://www.federalregister.gov/api/v1/documents.json?conditions[term]=UFLPA+Entity+List",
    )),
    # CBP republishes the dataset under a dated file name; its document page links to the current one.
    CBP_WRO: SourceConfig(CBP_WRO, ("https://www.cbp.gov/document/stats/withhold-release-orders-findings",),
                          discover=r"withhold-release-orders-findings[^/]*\.csv$"),
    OFAC_SDN: SourceConfig(OFAC_SDN, tuple(OFAC_DOWNLOADS + n for n in ("sdn.csv", "alt.csv", "add.csv"))),
    BIS_ENTITY_LIST: SourceConfig(BIS_ENTITY_LIST, (CSL_CSV,), lists=("EL",)),
}


class UnknownSourceError(ListLoadError):
    """A source name outside the closed set."""

    def __init__(self, names: Iterable[str], known: Iterable[str]) -> None:
        self.known = sorted(known)
        super().__init__(f"unknown source(s) {', '.join(sorted(names))}; known: {', '.join(self.known)}")


class SourcesFileError(ListLoadError):
    """The sources file is missing or malformed."""


@dataclass(frozen=True)
class Configuration:
    sources: dict[str, SourceConfig]  # the ones a sync without --source fetches
    from_file: bool

    @property
    def known(self) -> list[str]:
        return sorted(set(KNOWN_SOURCES) | set(self.sources))

    def check(self, names: Iterable[str]) -> None:
        unknown = set(names) - set(self.known)
        if unknown:
            raise UnknownSourceError(unknown, self.known)

    def select(self, names: Iterable[str]) -> list[SourceConfig]:
        """The sources to sync: `names` (each known and configured with URLs), or every configured one."""
        names = list(names)
        if not names:
            return list(self.sources.values())
        self.check(names)
        missing = [n for n in names if n not in self.sources]
        if missing:
            raise SourcesFileError(f"no download URL configured for {', '.join(missing)}; name it with its urls "
                                   "in the sources file (--sources or FLRISK_SOURCES_FILE)")
        return [self.sources[n] for n in names]


def configuration(path: Path | None) -> Configuration:
    """The sources file's configuration when a path is given, else the built-in one."""
    if path is None:
        return Configuration(dict(BUILTIN), from_file=False)
    return Configuration(read_sources_file(path), from_file=True)


def read_sources_file(path: Path) -> dict[str, SourceConfig]:
    try:
        data = tomllib.loads(Path(path).expanduser().read_text("utf-8"))
    except OSError as exc:
        raise SourcesFileError(f"sources file {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SourcesFileError(f"sources file {path}: not valid TOML ({exc})") from exc
    return {name: _source(name, table, path) for name, table in data.items()}


def _source(name: str, table: Any, path: Path) -> SourceConfig:
    where = f"sources file {path}, [{name}]"
    if not NAME.match(name):
        raise SourcesFileError(f"{where}: a source name is lower-case letters, digits and _ (at most 64)")
    if not isinstance(table, Mapping):
        raise SourcesFileError(f"{where}: expected a table with urls = [...]")
    extra = set(table) - KEYS
    if extra:
        raise SourcesFileError(f"{where}: unknown key(s) {', '.join(sorted(extra))}; known: {', '.join(sorted(KEYS))}")
    urls = table.get("urls")
    if not isinstance(urls, list) or not urls or not all(isinstance(u, str) and u.strip() for u in urls):
        raise SourcesFileError(f"{where}: urls must be a non-empty list of URLs or paths")
    max_age = table.get("max_age_days")
    if max_age is not None and (not isinstance(max_age, int) or isinstance(max_age, bool) or max_age < 1):
        raise SourcesFileError(f"{where}: max_age_days must be a positive whole number of days")
    discover = table.get("discover")
    if discover is not None:
        try:
            re.compile(discover)
        except (re.error, TypeError) as exc:
            raise SourcesFileError(f"{where}: discover must be a regular expression ({exc})") from exc
    lists = table.get("lists", [])
    if not isinstance(lists, list) or not all(isinstance(c, str) for c in lists):
        raise SourcesFileError(f"{where}: lists must be a list of list codes such as \"EL\"")
    return SourceConfig(name, tuple(u.strip() for u in urls), max_age, discover, tuple(lists))
