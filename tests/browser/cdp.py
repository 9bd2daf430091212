"""A small Chrome DevTools Protocol client over ``--remote-debugging-pipe`` (Chromium reads
commands on fd 3 and writes replies and events on fd 4, each JSON message ended by a NUL byte):
standard library only, for the end-to-end test with the real extension."""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import time
from typing import Any


class Chromium:
    def __init__(self, args: list[str], env: dict[str, str], log: str) -> None:
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def fds() -> None:  # in the child, before exec: the pipe ends where Chromium looks
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        with open(log, "wb") as err:
            self.proc = subprocess.Popen(
                [*args, "--remote-debugging-pipe"], env=env, preexec_fn=fds, close_fds=False,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
            )  # fmt: skip
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buffer = b""
        self.last_id = 0

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        """The result of one command (events meanwhile are dropped)."""
        self.last_id += 1
        message: dict[str, Any] = {"id": self.last_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read(60)
            if reply.get("id") == self.last_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def _read(self, timeout: float) -> dict[str, Any]:
        end = time.monotonic() + timeout
        while b"\0" not in self.buffer:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.from_chrome], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer")
            data = os.read(self.from_chrome, 1 << 20)
            if not data:
                raise EOFError("Chromium closed the DevTools pipe")
            self.buffer += data
        raw, self.buffer = self.buffer.split(b"\0", 1)
        value = json.loads(raw)
        assert isinstance(value, dict)
        return value

    def evaluate(self, session: str, expression: str) -> Any:
        """The value of a JavaScript expression (awaited if a promise) in an attached target."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            session,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def attach(self, target_id: str) -> str:
        return str(self.send("Target.attachToTarget", {"targetId": target_id, "flatten": True})["sessionId"])

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError, EOFError):
            self.send("Browser.close")
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_chrome)
        os.close(self.from_chrome)
