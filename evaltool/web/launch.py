"""``evaltool-gui``: the page started without a terminal (a Windows GUI program: no console window, so
nothing may need one; pythonw has no stdout, and what would be printed is dropped)."""

from __future__ import annotations


def main() -> None:
    from evaltool.web.server import serve

    serve(echo=lambda text: None)
