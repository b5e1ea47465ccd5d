"""Questionnaire files: YAML → validated model, every problem located by file, line, field."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from assess.errors import InputError, Problem
from assess.model.levels import LEVEL_NAMES, MIN_PRACTICE_LEVEL
from assess.model.questionnaire import Questionnaire
from assess.resources import data_dir
from assess.yamlio import field_path, line_of, parse_yaml, validation_problems


@dataclass(frozen=True)
class LoadedQuestionnaire:
    """A validated questionnaire, where it came from, and what looked odd but is allowed."""

    questionnaire: Questionnaire
    """The model."""
    path: Path
    """The file it was read from."""
    warnings: tuple[Problem, ...] = ()
    """Things worth a look that do not stop scoring (a level with no practice, …)."""


def builtin_dir() -> Path:
    """The folder of the questionnaires shipped with the tool."""
    return data_dir("questionnaires")


def builtin_paths() -> list[Path]:
    """Every bundled questionnaire file, by name."""
    return sorted(builtin_dir().glob("*.yaml"))


def resolve(reference: str) -> Path:
    """A questionnaire file from a bundled id (``cmmm``) or a path."""
    candidate = Path(reference)
    if candidate.suffix in {".yaml", ".yml"} or candidate.exists():
        return candidate
    bundled = builtin_dir() / f"{reference}.yaml"
    if bundled.is_file():
        return bundled
    known = ", ".join(p.stem for p in builtin_paths()) or "none"
    raise InputError(
        f"unknown questionnaire '{reference}' (bundled: {known})",
        hint="give a bundled id or the path of a questionnaire YAML file",
    )


def load(path: Path) -> LoadedQuestionnaire:
    """Read and validate a questionnaire file; all problems are raised together."""
    data = parse_yaml(path)
    problems = list(_cross_reference_problems(data, path))
    questionnaire = None
    try:
        questionnaire = Questionnaire.model_validate(data)
    except ValidationError as error:
        problems = validation_problems(error, data, path) + problems
    if problems:
        raise InputError(problems)
    assert questionnaire is not None
    return LoadedQuestionnaire(questionnaire, path, tuple(_warnings(questionnaire, data, path)))


def load_reference(reference: str) -> LoadedQuestionnaire:
    """Load a questionnaire from a bundled id or a path."""
    return load(resolve(reference))


def _items(node: Any, key: str) -> Iterator[tuple[int, CommentedMap]]:
    """The mappings in list ``node[key]``, with their index; tolerant of malformed input."""
    if isinstance(node, CommentedMap):
        seq = node.get(key)
        if isinstance(seq, CommentedSeq):
            for index, item in enumerate(seq):
                if isinstance(item, CommentedMap):
                    yield index, item


def _cross_reference_problems(data: CommentedMap, path: Path) -> Iterator[Problem]:
    """Problems the schema cannot see: duplicate ids, unknown or cyclic dependencies.

    Works on the raw YAML so that these are reported together with schema errors.
    """
    seen_dimensions: dict[str, str] = {}
    seen_practices: dict[str, str] = {}
    dependencies: dict[str, list[str]] = {}
    locations: dict[str, tuple[str, ...]] = {}
    for d_index, dimension in _items(data, "dimensions"):
        d_loc: tuple[str | int, ...] = ("dimensions", d_index, "id")
        d_id = dimension.get("id")
        if isinstance(d_id, str):
            if d_id in seen_dimensions:
                yield Problem(
                    f"duplicate dimension id '{d_id}' (first at {seen_dimensions[d_id]})",
                    file=path,
                    line=line_of(data, d_loc),
                    field=_path(d_loc),
                )
            else:
                seen_dimensions[d_id] = _path(d_loc)
        for p_index, practice in _items(dimension, "practices"):
            p_loc: tuple[str | int, ...] = ("dimensions", d_index, "practices", p_index)
            p_id = practice.get("id")
            if not isinstance(p_id, str):
                continue
            if p_id in seen_practices:
                yield Problem(
                    f"duplicate practice id '{p_id}' (first at {seen_practices[p_id]})",
                    file=path,
                    line=line_of(data, (*p_loc, "id")),
                    field=_path((*p_loc, "id")),
                )
                continue
            seen_practices[p_id] = _path((*p_loc, "id"))
            deps = practice.get("depends_on") or []
            listed = deps if isinstance(deps, list) else []
            dependencies[p_id] = [d for d in listed if isinstance(d, str)]
            locations[p_id] = tuple(str(x) for x in p_loc)
            if "recommendation" not in practice:
                # Say why it matters: without it the roadmap step has no action.
                yield Problem(
                    "missing recommendation (the roadmap action for this practice)",
                    file=path,
                    line=line_of(data, p_loc),
                    field=_path((*p_loc, "recommendation")),
                )

    for p_id, deps in dependencies.items():
        p_loc = _loc(locations[p_id])
        for index, dep in enumerate(deps):
            where = (*p_loc, "depends_on", index)
            if dep == p_id:
                yield Problem(
                    f"practice '{p_id}' depends on itself",
                    file=path,
                    line=line_of(data, where),
                    field=_path(where),
                )
            elif dep not in dependencies:
                yield Problem(
                    f"unknown practice '{dep}' in depends_on of '{p_id}'",
                    file=path,
                    line=line_of(data, where),
                    field=_path(where),
                )
    for cycle in _cycles(dependencies):
        first = _loc(locations[cycle[0]])
        yield Problem(
            "dependency cycle: " + " → ".join([*cycle, cycle[0]]),
            file=path,
            line=line_of(data, (*first, "depends_on")),
            field=_path((*first, "depends_on")),
        )


def _loc(parts: tuple[str, ...]) -> tuple[str | int, ...]:
    return tuple(int(p) if p.isdigit() else p for p in parts)


def _path(loc: tuple[str | int, ...]) -> str:
    return field_path(loc)


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each dependency cycle once (self-loops are reported separately)."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(graph, white)
    cycles: list[list[str]] = []
    seen: set[frozenset[str]] = set()

    def visit(start: str) -> None:
        # Iterative DFS: a questionnaire can be deep enough to hit the recursion limit.
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(graph[start]))]
        trail = [start]
        colour[start] = grey
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                trail.pop()
                colour[node] = black
                continue
            if child not in graph or child == node:
                continue
            if colour[child] == grey:
                cycle = trail[trail.index(child) :]
                key = frozenset(cycle)
                if key not in seen:
                    seen.add(key)
                    cycles.append(cycle)
            elif colour[child] == white:
                colour[child] = grey
                trail.append(child)
                stack.append((child, iter(graph[child])))

    for node in graph:
        if colour[node] == white:
            visit(node)
    return cycles


def _warnings(questionnaire: Questionnaire, data: CommentedMap, path: Path) -> Iterator[Problem]:
    """Allowed but worth a look: a dimension with no practice at some level passes that level
    without asking anything."""
    for index, dimension in enumerate(questionnaire.dimensions):
        levels = {p.level for p in dimension.practices}
        missing = [n for n in range(MIN_PRACTICE_LEVEL, 6) if n not in levels]
        if missing:
            names = ", ".join(f"{n} {LEVEL_NAMES[n]}" for n in missing)
            yield Problem(
                f"dimension '{dimension.id}' has no practice at level {names}: "
                "that level is reached without any question",
                file=path,
                line=line_of(data, ("dimensions", index)),
                field=f"dimensions[{index}].practices",
            )
