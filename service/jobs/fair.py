"""Fair turns between batches: round-robin by organisation, then by batch within it, one chunk per turn.

A batch of 2 rows uploaded behind one of 126,000 gets its turn after at most one chunk of each other batch
with work, instead of after the whole large batch. The in-process runner (SQLite) takes its next chunk from a
`Rotation`; on PostgreSQL the same order is written into the chunk jobs' priorities (`order`), which
procrastinate's workers follow.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Item = TypeVar("Item", bound=Hashable)


@dataclass
class Rotation(Generic[Item]):
    """Items (chunks) waiting per (organisation, batch); `pop` serves organisations in turn, and the batches of
    an organisation in turn, oldest first. A newcomer joins the end of the round."""

    _orgs: OrderedDict[str, OrderedDict[str, list[Item]]] = field(default_factory=OrderedDict)

    def push(self, org: str, batch: str, item: Item) -> None:
        queue = self._orgs.setdefault(org, OrderedDict()).setdefault(batch, [])
        if item not in queue:
            queue.append(item)

    def pop(self) -> tuple[str, str, Item] | None:
        """The next item, and its organisation and batch; both move to the end of their round."""
        if not self._orgs:
            return None
        org, batches = next(iter(self._orgs.items()))
        batch, queue = next(iter(batches.items()))
        item = queue.pop(0)
        batches.move_to_end(batch)
        if not queue:
            del batches[batch]
        self._orgs.move_to_end(org)
        if not batches:
            del self._orgs[org]
        return org, batch, item

    def __len__(self) -> int:
        return sum(len(queue) for batches in self._orgs.values() for queue in batches.values())

    def positions(self) -> dict[str, int]:
        """batch -> 1 + how many items are popped before its next one, were nothing else pushed."""
        copy: Rotation[Item] = Rotation(OrderedDict((org, OrderedDict((b, list(q)) for b, q in batches.items()))
                                                    for org, batches in self._orgs.items()))
        found: dict[str, int] = {}
        popped = 0
        while (next_item := copy.pop()) is not None:
            popped += 1
            found.setdefault(next_item[1], popped)
        return found


def order(items: Iterable[tuple[str, str, Item]]) -> list[Item]:
    """Every item in the order a fresh rotation serves them, given as (organisation, batch, item) in the order
    each batch's items should go (e.g. oldest batch first, chunks by seq)."""
    rotation: Rotation[Item] = Rotation()
    for org, batch, item in items:
        rotation.push(org, batch, item)
    served = []
    while (next_item := rotation.pop()) is not None:
        served.append(next_item[2])
    return served
