"""The silo map's measures over the interaction network, on plain data.

- **E-I index** (Krackhardt and Stern, 1988): (E − I) / (E + I), where E counts ties that cross a
  group's boundary and I ties inside it. −1: every tie stays inside; +1: every tie crosses.
- **Department matrix normalized by size**: ties between two departments per possible pair of people,
  so that two big departments do not look close merely because they are big.
- **Modularity** (Newman) of a partition of the weighted, undirected member graph: how much more weight
  falls inside the parts than chance would put there. The department partition's modularity beside
  that of the communities detected from the interactions says how well the org chart explains who
  actually works with whom.
- **Community detection**: Louvain (networkx), deterministic for a seed and an input order.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

import networkx as nx

N = TypeVar("N", bound=Hashable)
C = TypeVar("C", bound=Hashable)


def ei_index(external: float, internal: float) -> float | None:
    total = external + internal
    if total <= 0:
        return None
    return (external - internal) / total


def undirected(pairs: Mapping[tuple[N, N], float]) -> dict[tuple[N, N], float]:
    """Directed (actor, other) weights folded into unordered pairs (key: the pair in sorted order)."""
    folded: dict[tuple[N, N], float] = defaultdict(float)
    for (a, b), weight in pairs.items():
        key = (a, b) if _order(a) <= _order(b) else (b, a)
        folded[key] += weight
    return dict(folded)


def _order(value: object) -> tuple[str, str]:
    return (type(value).__name__, repr(value))


@dataclasses.dataclass(frozen=True)
class GroupTies:
    internal: float
    external: float

    @property
    def ei(self) -> float | None:
        return ei_index(self.external, self.internal)


def ties_by_group(pairs: Mapping[tuple[N, N], float]) -> dict[N, GroupTies]:
    """For each group (department), the weight of its ties inside and across its boundary.

    ``pairs`` maps (group of one end, group of the other end) to tie weight, in either direction."""
    internal: dict[N, float] = defaultdict(float)
    external: dict[N, float] = defaultdict(float)
    for (a, b), weight in pairs.items():
        if a == b:
            internal[a] += weight
        else:
            external[a] += weight
            external[b] += weight
    groups = set(internal) | set(external)
    return {g: GroupTies(internal=internal.get(g, 0.0), external=external.get(g, 0.0)) for g in groups}


def overall_ei(pairs: Mapping[tuple[N, N], float]) -> float | None:
    """The organization's E-I index: every tie counted once, crossing or not."""
    internal = sum(w for (a, b), w in pairs.items() if a == b)
    external = sum(w for (a, b), w in pairs.items() if a != b)
    return ei_index(external, internal)


def density_matrix(pairs: Mapping[tuple[N, N], float], sizes: Mapping[N, int]) -> dict[tuple[N, N], float | None]:
    """Undirected ties between (and within) departments per possible pair of people; symmetric.

    Between a and b there are size(a)·size(b) possible pairs, within a size(a)·(size(a)−1)/2. A cell with
    no possible pair (a department of one, with itself) is ``None``."""
    folded = undirected(pairs)
    result: dict[tuple[N, N], float | None] = {}
    groups = list(sizes)
    for a in groups:
        for b in groups:
            possible = sizes[a] * (sizes[a] - 1) / 2 if a == b else sizes[a] * sizes[b]
            key = (a, b) if _order(a) <= _order(b) else (b, a)
            weight = folded.get(key, 0.0)
            result[(a, b)] = weight / possible if possible > 0 else None
    return result


def modularity(edges: Mapping[tuple[N, N], float], partition: Mapping[N, C]) -> float | None:
    """Newman's modularity of ``partition`` (node → part) on the weighted undirected graph ``edges``.

    Q = Σ_c [ L_c / m − (d_c / 2m)² ] with m the total weight, L_c the weight inside part c and d_c the
    summed weighted degree of its nodes (the definition networkx uses, resolution 1). Nodes missing from
    ``partition`` are parts of their own."""
    folded = undirected(edges)
    total = sum(folded.values())
    if total <= 0:
        return None
    inside: dict[object, float] = defaultdict(float)
    degree: dict[object, float] = defaultdict(float)
    for (u, v), weight in folded.items():
        cu = partition.get(u, ("alone", u))
        cv = partition.get(v, ("alone", v))
        degree[cu] += weight
        degree[cv] += weight
        if cu == cv:
            inside[cu] += weight
    return sum(inside[c] / total - (degree[c] / (2 * total)) ** 2 for c in degree)


def block_modularity(blocks: Mapping[tuple[C, C], float]) -> float | None:
    """Modularity of a partition computed from its block weights alone (ties between and within parts,
    in either direction): the same value as :func:`modularity` on the member graph, without the members."""
    folded = undirected(blocks)
    total = sum(folded.values())
    if total <= 0:
        return None
    inside: dict[C, float] = defaultdict(float)
    degree: dict[C, float] = defaultdict(float)
    for (a, b), weight in folded.items():
        degree[a] += weight
        degree[b] += weight
        if a == b:
            inside[a] += weight
    return sum(inside[c] / total - (degree[c] / (2 * total)) ** 2 for c in degree)


def communities(edges: Mapping[tuple[N, N], float], *, seed: int) -> list[set[N]]:
    """Communities detected from the weighted graph (Louvain), largest first; deterministic for a seed."""
    graph: nx.Graph = nx.Graph()
    for (u, v), weight in sorted(undirected(edges).items(), key=lambda item: (_order(item[0][0]), _order(item[0][1]))):
        if u != v and weight > 0:
            graph.add_edge(u, v, weight=weight)
    if graph.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), sorted(_order(n) for n in c)))


def partition_of(parts: Sequence[Iterable[N]]) -> dict[N, int]:
    return {node: index for index, part in enumerate(parts) for node in part}


def few_outside_ties(
    ties: Mapping[N, GroupTies], sizes: Mapping[N, int], *, threshold: float = -0.5, overall: float | None = None,
    margin: float = 0.2, limit: int = 5,
) -> list[N]:
    """Departments with few ties outside themselves: no ties at all, an E-I index at or below ``threshold``
    (most ties stay inside), or — where the whole organization crosses a lot — at least ``margin`` below the
    organization's ``overall`` E-I. Most inward first, then by fewest outside ties per member."""
    def key(group: N) -> tuple[float, float]:
        t = ties.get(group, GroupTies(0.0, 0.0))
        size = max(1, sizes.get(group, 1))
        return (t.ei if t.ei is not None else -1.0, t.external / size)

    def inward(group: N) -> bool:
        ei = ties[group].ei if group in ties else None
        if ei is None or ei <= threshold:
            return True
        return overall is not None and ei <= overall - margin

    candidates = [g for g in sizes if sizes[g] > 1 and inward(g)]
    return sorted(candidates, key=key)[:limit]


def circle_layout(count: int, *, radius: float, centre: float) -> list[tuple[float, float]]:
    """Points evenly on a circle, the first at the top, going clockwise (the network picture's nodes)."""
    if count <= 0:
        return []
    return [
        (round(centre + radius * math.sin(2 * math.pi * i / count), 1),
         round(centre - radius * math.cos(2 * math.pi * i / count), 1))
        for i in range(count)
    ]
