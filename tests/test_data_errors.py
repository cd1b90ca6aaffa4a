"""Each class of broken data file is reported as FILE:LINE: field: problem, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadcli.content.loader import validate_data_dir
from leadcli.errors import ContentError


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def problems(data_dir: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        validate_data_dir(data_dir)
    return caught.value.problems


def test_syntax_error_names_file_and_line(data_copy: Path) -> None:
    path = data_copy / "questions.yaml"
    edit(path, "domains: [ideas]\n    cues:", "domains: [ideas\n    cues:")
    [problem] = problems(data_copy)
    assert problem.startswith(f"{path}:")
    assert ": syntax: " in problem


def test_duplicate_key_is_rejected(data_copy: Path) -> None:
    path = data_copy / "offerings.yaml"
    edit(
        path,
        "    domains: [will, execution]\n",
        "    domains: [will, execution]\n    domains: [will]\n",
    )
    line = line_of(path, "    domains: [will]")
    assert problems(data_copy) == [
        f"{path}:{line}: offerings[0].domains: duplicate key (first given on line {line - 1})"
    ]


def test_wrong_type(data_copy: Path) -> None:
    path = data_copy / "framework.yaml"
    edit(path, "    number: 3\n", "    number: three\n")
    line = line_of(path, "number: three")
    [problem] = problems(data_copy)
    assert problem.startswith(f"{path}:{line}: domains[2].number: Input should be a valid integer")
    assert "'three'" in problem


def test_unknown_key_lists_allowed_fields(data_copy: Path) -> None:
    path = data_copy / "offerings.yaml"
    edit(
        path,
        "price: {min: 549, max: 549, currency: USD, per: person}",
        "price: {min: 549, max: 549, currency: USD, per: person, colour: red}",
    )
    line = line_of(path, "colour: red")
    assert problems(data_copy) == [
        f"{path}:{line}: offerings[0].price.colour: unknown field; allowed fields here: min, max, currency, per, quote"
    ]


def test_missing_field_points_at_its_parent(data_copy: Path) -> None:
    path = data_copy / "offerings.yaml"
    edit(
        path,
        "    structure: In-person\n    regions: [Global]\n    price: {min: 140000",
        "    regions: [Global]\n    price: {min: 140000",
    )
    line = line_of(path, "- id: diagnostics")
    assert problems(data_copy) == [f"{path}:{line}: offerings[8].structure: required field is missing"]


def test_invalid_choice(data_copy: Path) -> None:
    path = data_copy / "offerings.yaml"
    edit(
        path,
        "    audience: [executive]\n    description: >-\n      How to develop infrastructure",
        "    audience: [executives]\n    description: >-\n      How to develop infrastructure",
    )
    [problem] = problems(data_copy)
    assert problem.startswith(f"{path}:{line_of(path, 'audience: [executives]')}: offerings[2].audience[0]: ")
    assert "'executive', 'core' or 'point-of-care'" in problem


def test_dangling_domain_reference(data_copy: Path) -> None:
    path = data_copy / "offerings.yaml"
    edit(path, "domains: [will, execution]", "domains: [will, executon]")
    line = line_of(path, "executon")
    assert problems(data_copy) == [
        f"{path}:{line}: offerings[0].domains[1]: unknown domain 'executon'; framework domains are:"
        " direction, foundation, will, ideas, execution"
    ]


def test_cue_domain_outside_its_question(data_copy: Path) -> None:
    path = data_copy / "questions.yaml"
    edit(
        path,
        "        text: Looks inside the organization for ideas\n        domains: [ideas]",
        "        text: Looks inside the organization for ideas\n        domains: [will]",
    )
    [problem] = problems(data_copy)
    assert problem.endswith(
        "questions[2].cues[0].domains[0]: cue is evidence for 'will' but its question does not list it"
    )


def test_duplicate_id(data_copy: Path) -> None:
    path = data_copy / "offerings.yaml"
    edit(path, "  - id: fellowship\n", "  - id: diagnostics\n")
    line = line_of(path, "  - id: diagnostics")
    first = line_of(path, "id: diagnostics")
    [problem] = [p for p in problems(data_copy) if "duplicate offering id" in p]
    assert problem.startswith(f"{path}:")
    assert f"(first used on line {first})" in problem
    assert line == first  # the first one is the renamed fellowship entry


def test_price_range_reversed(data_copy: Path) -> None:
    path = data_copy / "offerings.yaml"
    edit(path, "price: {min: 24000, max: 40000", "price: {min: 40000, max: 24000")
    line = line_of(path, "min: 40000, max: 24000")
    assert problems(data_copy) == [f"{path}:{line}: offerings[6].price.max: max 24000 is below min 40000"]


def test_blank_text(data_copy: Path) -> None:
    path = data_copy / "framework.yaml"
    edit(path, "title: Manage scale-up", 'title: "  "')
    line = line_of(path, 'title: "  "')
    assert problems(data_copy) == [f"{path}:{line}: domains[4].components[1].title: must not be blank"]


def test_alias_and_python_tag_are_refused(data_copy: Path) -> None:
    path = data_copy / "framework.yaml"
    edit(
        path,
        "name: Leadership Framework for Quality",
        "name: &n Leadership Framework for Quality\nstatus_copy: *n",
    )
    edit(path, "status: draft", "status: !!python/object/apply:os.system ['echo pwned']")
    found = problems(data_copy)
    assert f"{path}:8: status_copy: aliases (*name) are not allowed; write the value out" in found
    assert any(
        p.startswith(f"{path}:9: status: tag tag:yaml.org,2002:python/object/apply:os.system") for p in found
    )


def test_billion_laughs_is_refused_quickly(data_copy: Path) -> None:
    path = data_copy / "questions.yaml"
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = problems(data_copy)
    assert any("aliases (*name) are not allowed" in p for p in found)


def test_not_utf8(data_copy: Path) -> None:
    path = data_copy / "offerings.yaml"
    path.write_bytes(b"version: '1'\nname: caf\xe9\n")
    assert problems(data_copy) == [f"{path}:2: encoding: not valid UTF-8 (byte 0xe9); save the file as UTF-8"]


def test_empty_file(data_copy: Path) -> None:
    path = data_copy / "offerings.yaml"
    path.write_text("# nothing here\n", encoding="utf-8")
    assert problems(data_copy) == [f"{path}:1: (top level): the file is empty"]


def test_directory_instead_of_file(data_copy: Path) -> None:
    path = data_copy / "offerings.yaml"
    path.unlink()
    path.mkdir()
    assert problems(data_copy) == [f"{path}: is a directory, expected a YAML file"]


def test_missing_file_and_folder(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "questions.yaml").unlink()
    assert problems(data_copy) == [f"{data_copy / 'questions.yaml'}: file not found"]
    with pytest.raises(ContentError) as caught:
        validate_data_dir(tmp_path / "nowhere")
    assert "data directory not found" in caught.value.problems[0]


def test_problems_in_several_files_reported_together(data_copy: Path) -> None:
    edit(data_copy / "framework.yaml", "    number: 3\n", "    number: three\n")
    edit(data_copy / "offerings.yaml", "per: person}", "per: persons}")
    found = problems(data_copy)
    assert len(found) == 2
    assert "framework.yaml" in found[0]
    assert "offerings.yaml" in found[1]


def test_validate_command_prints_one_line_per_problem(run, data_copy: Path) -> None:
    edit(data_copy / "framework.yaml", "    number: 3\n", "    number: three\n")
    edit(data_copy / "offerings.yaml", "per: person}", "per: persons}")
    result = run("validate", "--data-dir", str(data_copy))
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "leadcli: error: 2 problems in the data files:"
    assert len(lines) == 3
    assert "Traceback" not in result.stderr


def test_browse_command_with_broken_data_exits_1(run, data_copy: Path) -> None:
    edit(data_copy / "offerings.yaml", "per: person}", "per: persons}")
    result = run("--data-dir", str(data_copy), "offerings")
    assert result.exit_code == 1
    assert "offerings[0].price.per" in result.stderr


def test_text_fields_keep_words_yaml_would_turn_into_booleans_or_numbers(data_copy: Path) -> None:
    path = data_copy / "framework.yaml"
    edit(path, 'version: "2019.12-draft.1"', "version: 2019")
    edit(path, "status: draft", "status: yes")
    content = validate_data_dir(data_copy)
    assert (content.framework.version, content.framework.status) == ("2019", "yes")


def test_references_are_checked_even_when_the_framework_has_a_type_error(data_copy: Path) -> None:
    edit(data_copy / "framework.yaml", "    number: 3\n", "    number: three\n")
    edit(data_copy / "offerings.yaml", "domains: [will, execution]", "domains: [will, executon]")
    found = problems(data_copy)
    assert len(found) == 2
    assert "domains[2].number" in found[0]
    assert "unknown domain 'executon'" in found[1]
