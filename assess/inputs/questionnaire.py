"""Questionnaire files: YAML → validated model, every problem located by file, line, field."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap

from assess.model.levels import LEVEL_NAMES, MIN_PRACTICE_LEVEL
from assess.model.questionnaire import Dimension, Questionnaire, QuestionnaireExtension
from assess.support.errors import InputError, Problem
from assess.support.limits import QUESTIONNAIRE
from assess.support.resources import data_dir
from assess.support.yamlio import dump_yaml, field_path, line_of, parse_yaml, validation_problems


@dataclass(frozen=True)
class LoadedQuestionnaire:
    """A validated questionnaire, where it came from, and what looked odd but is allowed."""

    questionnaire: Questionnaire
    """The model."""
    path: Path
    """The file it was read from."""
    warnings: tuple[Problem, ...] = ()
    """Things worth a look that do not stop scoring (a level with no practice, …)."""
    base: LoadedQuestionnaire | None = None
    """The questionnaire this one extends, when it is an extension (docs/tailoring.md)."""


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
    """Read and validate a questionnaire file; all problems are raised together.

    A file with ``extends:`` is an extension: it is merged with its base into one questionnaire.
    """
    return _load(path, ())


def _load(path: Path, chain: tuple[Path, ...]) -> LoadedQuestionnaire:
    """``load``, with the extensions that led here (to refuse a circle of extends)."""
    data = parse_yaml(path, limit=QUESTIONNAIRE)
    if "extends" in data:
        return _load_extension(path, data, chain)
    problems = list(_cross_reference_problems(data, path))
    questionnaire = None
    try:
        questionnaire = Questionnaire.model_validate(data)
    except ValidationError as error:
        problems = _with_validation_problems(problems, error, data, path)
    if problems:
        raise InputError(problems)
    assert questionnaire is not None
    return LoadedQuestionnaire(questionnaire, path, tuple(_warnings(questionnaire, data, path)))


def load_reference(reference: str) -> LoadedQuestionnaire:
    """Load a questionnaire from a bundled id or a path."""
    return load(resolve(reference))


def _items(node: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The mappings in list ``node[key]``, with their index; tolerant of malformed input."""
    if isinstance(node, dict):
        seq = node.get(key)
        if isinstance(seq, list):
            for index, item in enumerate(seq):
                if isinstance(item, dict):
                    yield index, item


def _cross_reference_problems(data: dict[str, Any], path: Path) -> Iterator[Problem]:
    """Problems the schema cannot see: duplicate ids, unknown or cyclic dependencies.

    Works on the raw YAML so that these are reported together with schema errors.
    """
    seen_dimensions: dict[str, str] = {}
    practices: list[tuple[tuple[str | int, ...], dict[str, Any]]] = []
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
        practices += [
            (("dimensions", d_index, "practices", p_index), practice)
            for p_index, practice in _items(dimension, "practices")
        ]
    yield from _practice_problems(data, path, practices)


def _practice_problems(
    data: dict[str, Any],
    path: Path,
    practices: list[tuple[tuple[str | int, ...], dict[str, Any]]],
    base: Questionnaire | None = None,
) -> Iterator[Problem]:
    """Duplicate ids, missing recommendations, unknown, self and circular dependencies among
    ``practices`` (raw YAML at their locations in ``data``) and, for an extension, against the
    practices of its ``base`` (which may be depended on, never duplicated)."""
    seen_practices: dict[str, str] = {}
    dependencies: dict[str, list[str]] = {}
    if base is not None:
        dependencies = {p.id: list(p.depends_on) for p in base.practices.values()}
    locations: dict[str, tuple[str, ...]] = {}
    for p_loc, practice in practices:
        if "recommendation" not in practice:
            # Say why it matters: without it the roadmap step has no action.
            yield Problem(
                "missing recommendation (the roadmap action for this practice)",
                file=path,
                line=line_of(data, p_loc),
                field=_path((*p_loc, "recommendation")),
            )
        p_id = practice.get("id")
        if not isinstance(p_id, str):
            continue
        if base is not None and p_id in base.practices:
            yield Problem(
                f"duplicate practice id '{p_id}': the base {base.id} {base.version} already "
                f"has it (dimension '{base.dimension_of[p_id].id}'); choose a new id",
                file=path,
                line=line_of(data, (*p_loc, "id")),
                field=_path((*p_loc, "id")),
            )
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

    for p_id, location in locations.items():
        p_loc = _loc(location)
        for index, dep in enumerate(dependencies[p_id]):
            where = (*p_loc, "depends_on", index)
            if dep == p_id:
                yield Problem(
                    f"practice '{p_id}' depends on itself",
                    file=path,
                    line=line_of(data, where),
                    field=_path(where),
                )
            elif dep not in dependencies:
                known = f" or in the base {base.id} {base.version}" if base is not None else ""
                yield Problem(
                    f"unknown practice '{dep}' in depends_on of '{p_id}'"
                    + (f" (not in this file{known})" if base is not None else ""),
                    file=path,
                    line=line_of(data, where),
                    field=_path(where),
                )
    for cycle in _cycles(dependencies):
        # A base never depends on its extension, so every cycle passes through this file.
        first_here = next((p for p in cycle if p in locations), None)
        if first_here is None:
            continue
        first = _loc(locations[first_here])
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


def _warnings(questionnaire: Questionnaire, data: dict[str, Any], path: Path) -> Iterator[Problem]:
    """Allowed but worth a look (see ``_level_warning``)."""
    for index, dimension in enumerate(questionnaire.dimensions):
        yield from _level_warning(dimension, data, ("dimensions", index), path)


def _level_warning(
    dimension: Dimension, data: dict[str, Any], loc: tuple[str | int, ...], path: Path
) -> Iterator[Problem]:
    """A dimension with no practice at some level passes that level without asking anything."""
    levels = {p.level for p in dimension.practices}
    missing = [n for n in range(MIN_PRACTICE_LEVEL, 6) if n not in levels]
    if missing:
        names = ", ".join(f"{n} {LEVEL_NAMES[n]}" for n in missing)
        yield Problem(
            f"dimension '{dimension.id}' has no practice at level {names}: "
            "that level is reached without any question",
            file=path,
            line=line_of(data, loc),
            field=f"{_path(loc)}.practices",
        )


# --- extensions (docs/tailoring.md) -------------------------------------------------------------


def _problem_at(data: dict[str, Any], path: Path, message: str, *loc: str | int) -> Problem:
    """A problem at field ``loc`` of the YAML ``data`` read from ``path``."""
    return Problem(message, file=path, line=line_of(data, loc), field=_path(loc))


def _base_path(reference: str, path: Path) -> Path | None:
    """The file ``extends: reference`` names: a path relative to the extension when it looks
    like a file name, else a bundled id; ``None`` when there is no such bundled id."""
    if Path(reference).suffix in {".yaml", ".yml"} or "/" in reference or "\\" in reference:
        return Path(os.path.normpath(path.parent / reference))
    bundled = builtin_dir() / f"{reference}.yaml"
    return bundled if bundled.is_file() else None


def _with_validation_problems(
    problems: list[Problem], error: ValidationError, data: dict[str, Any], path: Path
) -> list[Problem]:
    """The model's validation problems, then ``problems`` (the cross-reference checks).

    A cross-reference problem explains a missing recommendation better than "Field required":
    one message per field.
    """
    explained = {problem.field for problem in problems}
    return [
        problem
        for problem in validation_problems(error, data, path)
        if problem.field not in explained
    ] + problems


def _load_extension(
    path: Path, data: dict[str, Any], chain: tuple[Path, ...]
) -> LoadedQuestionnaire:
    """Validate an extension, load its base, merge them; every problem is raised together."""
    problems: list[Problem] = []
    at = partial(_problem_at, data, path)

    base: LoadedQuestionnaire | None = None
    reference = data.get("extends")
    if isinstance(reference, str) and reference.strip():
        base_path = _base_path(reference.strip(), path)
        if base_path is None:
            known = ", ".join(p.stem for p in builtin_paths()) or "none"
            problems.append(
                at(
                    f"unknown base questionnaire '{reference}' (bundled: {known}; a file needs "
                    "its .yaml name, relative to this file)",
                    "extends",
                )
            )
        elif not base_path.is_file():
            problems.append(at(f"base questionnaire file not found: {base_path}", "extends"))
        elif base_path.resolve() in (followed := [p.resolve() for p in (*chain, path)]):
            circle = [*followed[followed.index(base_path.resolve()) :], base_path.resolve()]
            problems.append(
                at("circular extends: " + " → ".join(p.name for p in circle), "extends")
            )
        else:
            try:
                base = _load(base_path, (*chain, path))
            except InputError as error:
                problems.append(
                    at(f"the base questionnaire {base_path} has problems (below)", "extends")
                )
                problems.extend(error.problems)
    if "dimensions" in data:
        problems.append(
            at(
                "an extension does not list dimensions: add practices to base dimensions under "
                "add_practices, new dimensions under add_dimensions, and change base dimensions "
                "under change_dimensions",
                "dimensions",
            )
        )
    extension = None
    try:
        extension = QuestionnaireExtension.model_validate(
            {k: v for k, v in data.items() if k != "dimensions"}
        )
    except ValidationError as error:
        problems = _with_validation_problems(problems, error, data, path)
    if base is not None:
        problems += _extension_problems(data, path, base.questionnaire)
    if problems:
        raise InputError(problems)
    assert extension is not None and base is not None
    merged = _merge(base.questionnaire, extension)
    warnings = list(base.warnings)
    for index, dimension in enumerate(extension.add_dimensions):
        warnings += _level_warning(dimension, data, ("add_dimensions", index), path)
    if extension.base_version is None:
        warnings.append(
            at(
                f"no base_version: this extension follows whatever version of "
                f"'{extension.extends}' is installed (now {base.questionnaire.version})",
                "extends",
            )
        )
    return LoadedQuestionnaire(merged, path, tuple(warnings), base)


def _extension_problems(data: dict[str, Any], path: Path, base: Questionnaire) -> Iterator[Problem]:
    """What an extension gets wrong about its base (the schema cannot see the base)."""
    at = partial(_problem_at, data, path)

    known = ", ".join(base.dimensions_by_id)
    named = f"{base.id} {base.version}"
    if data.get("id") == base.id:
        yield at(f"an extension needs its own id, not its base's '{base.id}'", "id")
    version = data.get("base_version")
    if version is not None and str(version) != base.version:
        yield at(
            f"written for {base.id} version {version}, but the base found is version "
            f"{base.version}",
            "base_version",
        )
    for section in ("change_dimensions", "add_practices"):
        node = data.get(section)
        if isinstance(node, dict):
            for key in node:
                if key not in base.dimensions_by_id:
                    hint = ""
                    if section == "add_practices":
                        hint = "; a new dimension goes under add_dimensions"
                    yield at(
                        f"unknown dimension '{key}': the base {named} has {known}{hint}",
                        section,
                        key,
                    )
    seen: set[str] = set()
    practices: list[tuple[tuple[str | int, ...], dict[str, Any]]] = []
    added = data.get("add_practices")
    if isinstance(added, dict):
        for key, items in added.items():
            if isinstance(items, list):
                practices += [
                    (("add_practices", key, index), item)
                    for index, item in enumerate(items)
                    if isinstance(item, dict)
                ]
    for d_index, dimension in _items(data, "add_dimensions"):
        d_id = dimension.get("id")
        if isinstance(d_id, str):
            if d_id in base.dimensions_by_id:
                yield at(
                    f"dimension '{d_id}' is already in the base {named}: add practices to it "
                    "under add_practices",
                    "add_dimensions",
                    d_index,
                    "id",
                )
            elif d_id in seen:
                yield at(f"duplicate dimension id '{d_id}'", "add_dimensions", d_index, "id")
            seen.add(d_id)
        practices += [
            (("add_dimensions", d_index, "practices", p_index), practice)
            for p_index, practice in _items(dimension, "practices")
        ]
    yield from _practice_problems(data, path, practices, base)


def _merge(base: Questionnaire, extension: QuestionnaireExtension) -> Questionnaire:
    """One questionnaire: the base's dimensions (changed, with practices added), then the new."""
    dimensions: list[Dimension] = []
    for dimension in base.dimensions:
        fields = {name: getattr(dimension, name) for name in Dimension.model_fields}
        change = extension.change_dimensions.get(dimension.id)
        if change is not None:
            fields.update(change.model_dump(exclude_none=True))
        fields["practices"] = (
            *dimension.practices,
            *extension.add_practices.get(dimension.id, ()),
        )
        dimensions.append(Dimension.model_validate(fields))
    return Questionnaire(
        id=extension.id,
        version=extension.version,
        title=extension.title,
        description=extension.description or base.description,
        levels=base.levels,
        dimensions=(*dimensions, *extension.add_dimensions),
    )


def flattened(loaded: LoadedQuestionnaire) -> str:
    """A loaded questionnaire as one standalone YAML file (an extension merged with its base).

    ``assess init`` keeps this in a workspace: the assessment then no longer needs the
    extension's base, and a newer installed base cannot change it.
    """
    q = loaded.questionnaire
    data = CommentedMap(q.model_dump(mode="json", exclude_defaults=True))
    origin = f"{loaded.path.name}: {q.id} {q.version}"
    if loaded.base is not None:
        base = loaded.base.questionnaire
        origin += f", which extends {base.id} {base.version}"
    data.yaml_set_start_comment(
        f"Standalone copy of {origin}.\n"
        "Merged into one file so that this assessment keeps working wherever the folder goes\n"
        "and whatever version of the base is installed. Change the extension, not this copy."
    )
    return dump_yaml(data)
