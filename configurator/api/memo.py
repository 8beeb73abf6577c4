"""Recent evaluate answers, kept per engine: the same request is answered once per process.

An answer depends only on the published version (its engine), the language and the request
(selection, explanations asked, completion asked), so it can be kept as long as the engine
lives; it is kept as its JSON bytes. Shoppers repeat each other a lot: every studio opens
on the product's defaults and the first steps are shared. Requests naming an upload are
never kept: their answer depends on whose upload it is, which the full path checks.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from typing import Any

import orjson

from configurator.engine import Engine

SIZE = 512  # answers per engine; an answer is a few kilobytes of JSON


class EvaluationMemo:
    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._answers: weakref.WeakKeyDictionary[Engine, OrderedDict[tuple[str, bytes], bytes]]
        self._answers = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    @staticmethod
    def key(language: str, request: dict[str, Any]) -> tuple[str, bytes]:
        return (language, orjson.dumps(request, option=orjson.OPT_SORT_KEYS))

    def get(self, engine: Engine, key: tuple[str, bytes]) -> bytes | None:
        with self._lock:
            answers = self._answers.get(engine)
            if answers is None or key not in answers:
                return None
            answers.move_to_end(key)
            return answers[key]

    def put(self, engine: Engine, key: tuple[str, bytes], answer: bytes) -> None:
        with self._lock:
            answers = self._answers.setdefault(engine, OrderedDict())
            answers[key] = answer
            while len(answers) > self.size:
                answers.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()


evaluations = EvaluationMemo()
