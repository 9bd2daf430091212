"""``wire.JsonStream``: cutting back-to-back JSON (KeePassXC's socket convention) into values,
whatever the read boundaries."""

from __future__ import annotations

import json

import pytest

from vaultapp.browser.wire import GARBAGE, JsonStream, TooLargeError, dumps

VALUES = [
    {"action": "a", "s": 'brace } and [ in "string" \\ and \\"', "n": [1, {"x": []}]},
    {"action": "é ☃ 𝄞", "empty": {}},
    [1, 2, 3],
]


@pytest.mark.parametrize("step", [1, 2, 3, 7, 1000])
def test_values_survive_any_split(step: int) -> None:
    data = b"".join(json.dumps(v, ensure_ascii=False).encode("utf-8") + b"\n " for v in VALUES)
    stream, out = JsonStream(), []
    for i in range(0, len(data), step):
        out += stream.feed(data[i : i + step])
    assert out == VALUES


def test_garbage_and_limit() -> None:
    stream = JsonStream()
    assert stream.feed(b"hello {") == [GARBAGE]
    assert stream.feed(b'{"a": 1}') == [{"a": 1}]  # the stream goes on after garbage
    assert stream.feed(b'{"a": 1]') == [GARBAGE]  # brackets that do not pair
    small = JsonStream(limit=10)
    with pytest.raises(TooLargeError):
        small.feed(b'{"a": "' + b"x" * 20)
    assert dumps({"k": "é"}) == b'{"k":"\\u00e9"}'
