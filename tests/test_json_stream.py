"""The streaming JSON reader: pieces of a document one at a time, with line numbers for messages."""

from __future__ import annotations

import io
import json

import pytest

from leadcli.json_stream import JsonStream, NotJson


def stream(text: str, chunk: int = 3) -> JsonStream:
    reader = JsonStream(io.StringIO(text))
    reader.CHUNK = chunk  # tiny chunks: every piece crosses a boundary somewhere
    return reader


DOCUMENT = {
    "kind": "x",
    "numbers": [1, 23456789, -0.5, 1e10, True, None],
    "records": [{"a": "é\n", "b": [1, {"c": "}]"}]}, {}, []],
    "empty": {},
}


@pytest.mark.parametrize("chunk", [1, 2, 7, 1 << 20])
def test_a_document_read_piece_by_piece_is_the_document(chunk: int) -> None:
    reader = stream(json.dumps(DOCUMENT, indent=2), chunk)
    read: dict = {}
    for name in reader.names():
        if name == "records":
            read[name] = list(reader.items())
        elif name == "empty":
            read[name] = dict(reader.members())
        else:
            read[name] = reader.value()
    reader.end()
    assert read == DOCUMENT


def test_a_number_cut_by_a_chunk_boundary_is_read_whole() -> None:
    assert list(stream("[123456789, 98765]", 4).items()) == [123456789, 98765]


def test_memory_holds_a_record_not_the_file() -> None:
    text = "[" + ",".join(json.dumps({"n": n, "pad": "x" * 100}) for n in range(2000)) + "]"
    reader = stream(text, 4096)
    longest = 0
    for n, item in enumerate(reader.items()):
        assert item["n"] == n
        longest = max(longest, len(reader.buffer))
    assert longest < 3 * 4096


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('{\n"a": 1,\n"b": [1,\n2,,3]}', 4, "Expecting value"),
        ('{\n"a" 1}', 2, "expected ':', found '1'"),
        ("{\n\n'a': 1}", 3, "expected a member name in double quotes"),
        ("[1, 2", 1, "expected ',' or ']'"),
        ('{"a": [1] 2}', 1, "expected ',' or '}', found '2'"),
        ("", 1, "expected a list"),
    ],
)
def test_broken_json_names_the_line(text: str, line: int, message: str) -> None:
    reader = stream(text)
    with pytest.raises(NotJson) as caught:
        if text.startswith("{"):
            for _ in reader.members():
                pass
        else:
            list(reader.items())
    assert (caught.value.line, caught.value.text) == (line, message)


def test_the_line_counts_what_was_already_let_go() -> None:
    text = "[\n" + ",\n".join(str(n) for n in range(500)) + ",\n]"
    reader = stream(text, 16)
    with pytest.raises(NotJson) as caught:
        list(reader.items())
    assert caught.value.line == 502


def test_text_after_the_document_is_refused() -> None:
    reader = stream('{"a": 1}\n{"b": 2}')
    assert dict(reader.members()) == {"a": 1}
    with pytest.raises(NotJson, match="more text after the end"):
        reader.end()


def test_deep_nesting_is_one_error_not_a_crash() -> None:
    reader = stream("[" + "[" * 100_000 + "]" * 100_000 + "]", 1 << 20)
    with pytest.raises(NotJson, match="nested too deeply"):
        list(reader.items())


def test_each_value_says_whether_it_spelled_a_nul() -> None:
    """JSON spells NUL only as an escape; the importer cleans only the values that do."""
    from leadcli.json_stream import JsonLines

    stream = JsonStream(
        io.StringIO('[{"a": "x\\u0000y"}, {"a": "x\\\\u0000 is text, \\n"}, {"a": "\\u00e9"}]')
    )
    seen = [(value, stream.nul) for value in stream.items()]
    assert seen == [({"a": "x\x00y"}, True), ({"a": "x\\u0000 is text, \n"}, True), ({"a": "é"}, False)]
    lines = JsonLines(io.StringIO('{"a": "\\u0000"}\n{"a": "b"}\n'))
    assert [(value, lines.nul) for _, value in lines.records()] == [
        ({"a": "\x00"}, True),
        ({"a": "b"}, False),
    ]
