"""Input that cannot be checked at all: exit code 2, with a message naming the file."""

from __future__ import annotations

from typing import Any


def os_reason(e: OSError) -> Any:
    """Why the system would not let us read or write a file, as a catalogue word (``e.strerror`` is the
    system's English, inside a Chinese sentence)."""
    import errno

    from evaltool.findings import Term

    if isinstance(e, PermissionError) or e.errno in (errno.EACCES, errno.EPERM):
        return Term("os.permission")
    if e.errno in (errno.EBUSY, errno.ETXTBSY):
        return Term("os.busy")
    return Term("os.other")


class InputError(Exception):
    """The file cannot be read or is not our template: a catalogue key (``text.catalogue.MESSAGES``) and its
    parameters (a tuple of sheet names is joined in the language's own punctuation)."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def render(self, lang: str = "zh") -> str:
        from evaltool.text.catalogue import tr
        from evaltool.text.render import param

        return tr(self.key, lang, **{k: param(v, lang) for k, v in self.params.items()})
