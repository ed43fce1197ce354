"""Reference data (gazetteer, HS nomenclature, priority sectors, rebuttal checklist) loaded from fixtures.

`loaders` is the only module that reads those files; everything else gets the domain objects from here.
"""

from __future__ import annotations

from collections.abc import Collection

from service.refdata.loaders import load_checklist, load_gazetteer, load_hs, load_sectors
from service.screening.checklist import ChecklistItem

__all__ = ["load_checklist", "load_gazetteer", "load_hs", "load_sectors", "rebuttal_checklist"]


def rebuttal_checklist(sector_ids: Collection[str], *, triggers: Collection[str] = ()) -> list[ChecklistItem]:
    """The shipped checklist filtered for these sectors and triggers (see `Checklist.rebuttal_checklist`)."""
    return load_checklist().rebuttal_checklist(sector_ids, triggers=triggers)
