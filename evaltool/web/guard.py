"""The safety rules every request passes, before any route sees it.

- **Host**: only the address the server is bound to (127.0.0.1:PORT or localhost:PORT).  A page of
  another site whose name is re-pointed at 127.0.0.1 (DNS rebinding) sends its own name: refused.
- **Token**: a random token per launch, in the address the browser is opened on.  The first request
  carrying it gets it as a cookie (HttpOnly, SameSite=Strict, named after the port) and is sent on to
  the same address without it, so it is in no history entry or Referer; every other request needs the
  cookie or the ``X-Evaltool-Token`` header.  Another local user, or a web page in the same browser,
  does not have it.
- **Caps**: a request no larger than one file may be (the reader's own cap), a launch no more than
  ``MAX_FILES`` files and ``MAX_TOTAL_BYTES`` in all: room for a county batch of 200 workbooks with
  their reports.  Past a cap the page says which and why.
- **Names**: an uploaded name is reduced to a plain file name (no folder, no drive, no character
  Windows refuses); the file is stored under a number, so names never meet.
- **Errors**: a refusal is one sentence of the catalogue; a crash is a message, never a traceback, in the
  page and in the log.
"""

from __future__ import annotations

import hmac
import logging
import re
import unicodedata
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from evaltool.errors import InputError
from evaltool.text.catalogue import tr
from evaltool.workbook.guard import MAX_FILE_BYTES

if TYPE_CHECKING:
    from flask import Flask, Response

MAX_FILES = 500  # a 财政局's batch: ~200 workbooks, their reports, a second try of some
MAX_TOTAL_BYTES = 2 << 30  # 200 workbooks of a few MB each, with room to spare
MAX_REQUEST = MAX_FILE_BYTES + (1 << 20)  # one file and its multipart framing
HEADER = "X-Evaltool-Token"
LANG_COOKIE = "evaltool_lang"
MAX_NAME = 120  # characters: Windows paths stay short

log = logging.getLogger("evaltool.web")


class TooMuch(InputError):
    """An upload past a cap (catalogue key and parameters, like every message)."""


def cookie_name(port: int) -> str:
    """Cookies are per host, not per port: two launches on one machine must not share one."""
    return f"evaltool_token_{port}"


def safe_name(name: str | None) -> str:
    """A plain file name from whatever a browser (or anyone) sent: its last path component, without control
    characters or those Windows refuses, no leading dots, at most ``MAX_NAME`` characters (suffix kept)."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = re.sub(r'[\x00-\x1f\x7f<>:"|?*]', "_", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if dot and len(suffix) <= 8 and stem:
        name = f"{stem[: MAX_NAME - len(suffix) - 1].rstrip(' .')}.{suffix}"
    else:
        name = name[:MAX_NAME]
    if not name or name.split(".")[0].upper() in {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                                                   *(f"LPT{i}" for i in range(10))}:
        name = f"file_{name}" if name else "file"
    return name


def lang_of(request) -> str:
    lang = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
    return "en" if lang == "en" else "zh"


def message(status: int, text: str) -> Response:
    from flask import Response

    return Response(text, status=status, mimetype="text/plain", headers={"Cache-Control": "no-store"})


def install(app: Flask, token: str, port: int) -> None:
    """The rules above, on ``app`` bound to 127.0.0.1:``port``."""
    from flask import redirect, request
    from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

    hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
    cookie = cookie_name(port)
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST

    def valid(given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(given.encode(), token.encode())

    @app.before_request
    def check():
        lang = lang_of(request)
        if request.host.lower() not in hosts:
            return message(403, tr("web.bad_host", lang))
        given = request.args.get("token")
        if given is not None and request.method == "GET":
            if not valid(given):
                return message(403, tr("web.bad_token", lang))
            args = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "token"])
            response = redirect(request.path + (f"?{args}" if args else ""))
            response.set_cookie(cookie, token, httponly=True, samesite="Strict")
            return response
        if not (valid(request.cookies.get(cookie)) or valid(request.headers.get(HEADER))):
            return message(403, tr("web.bad_token", lang))
        return None

    @app.after_request
    def headers(response):
        # The page frames nothing and is framed by nothing; nothing it serves is cached.
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    @app.errorhandler(TooMuch)
    def too_much(e: TooMuch):
        return message(413, e.render(lang_of(request)))

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(e):
        return message(413, tr("web.request_too_large", lang_of(request), cap=MAX_FILE_BYTES >> 20))

    @app.errorhandler(Exception)
    def crashed(e: Exception):
        if isinstance(e, HTTPException):
            return message(e.code or 500, tr("web.http_error", lang_of(request), code=e.code or 500))
        # One line, no traceback: what broke and where the officer was; the page gets a sentence.
        log.error("%s %s: %s", request.method, request.path, f"{type(e).__name__}: {e}"[:200])
        return message(500, tr("web.crashed", lang_of(request)))
