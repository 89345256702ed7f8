"""The page's routes: one HTML page, a small JSON API for its script, and the downloads.

Every request has passed ``guard`` first (Host, token, caps).  Uploads are checked one request per file
(the script sends them in turn and shows each one's progress); reports after workbooks, so a report finds
its department's workbook as ``evaltool check`` pairs them.  Last year's workbooks go to ``/api/priors``
in the same queue; the answer holds the workbooks they changed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import Flask, jsonify, render_template, request, send_file

from evaltool.errors import InputError
from evaltool.text.catalogue import MESSAGES, tr
from evaltool.web import guard
from evaltool.web.guard import LANG_COOKIE, lang_of, message

if TYPE_CHECKING:
    from evaltool.web.session import Entry, Session


def page_words(lang: str) -> dict[str, str]:
    """The page's texts, unfilled (its script fills ``{fields}``)."""
    i = 1 if lang == "en" else 0
    return {key[len("web."):]: pair[i] for key, pair in MESSAGES.items() if key.startswith("web.")}


def create_app(session: Session, token: str, port: int, quit: Callable[[], None] = lambda: None) -> Flask:
    """The app for one launch: ``session`` holds its files, ``quit`` is called once the 退出 answer is sent."""
    app = Flask(__name__)
    app.extensions["evaltool"] = session
    guard.install(app, token, port)

    @app.before_request
    def alive():
        session.touch()

    def found(n: str) -> Entry:
        entry = session.entry(n)
        if entry is None:
            raise _NotFound
        return entry

    @app.errorhandler(_NotFound)
    def not_found(e):
        return message(404, tr("web.not_found", lang_of(request)))

    @app.errorhandler(InputError)
    def refused(e: InputError):  # a file or a download that cannot be made: the command line's words
        return message(422, e.render(lang_of(request)))

    @app.errorhandler(OSError)
    def unwritable(e: OSError):
        from evaltool.atomic import output_error

        return message(500, output_error(e.filename or session.folder, e).render(lang_of(request)))

    @app.get("/")
    def index():
        lang = lang_of(request)
        page = render_template("index.html", lang=lang, words=page_words(lang), max_file=guard.MAX_FILE_BYTES,
                               t=lambda key, **p: tr(f"web.{key}", lang, **p))
        response = app.make_response(page)
        if request.args.get("lang"):
            response.set_cookie(LANG_COOKIE, lang, samesite="Strict")
        return response

    @app.get("/api/files")
    def files():
        lang = lang_of(request)
        return jsonify([session.view(e, lang) for e in session.done()])

    @app.post("/api/files")
    def upload():
        lang = lang_of(request)
        uploads = request.files.getlist("file")
        if not uploads:
            return message(400, tr("web.no_file", lang))
        return jsonify([session.view(session.add(u.filename or "", u.stream, lang), lang) for u in uploads])

    @app.get("/api/priors")
    def priors():
        lang = lang_of(request)
        return jsonify([session.prior_view(p, lang) for p in session.done_priors()])

    @app.post("/api/priors")
    def upload_prior():
        """Last year's workbooks: each paired, and the workbooks whose page changed with it shown again."""
        lang = lang_of(request)
        uploads = request.files.getlist("file")
        if not uploads:
            return message(400, tr("web.no_file", lang))
        added, changed = [], {}
        for u in uploads:
            prior, entries = session.add_prior(u.filename or "", u.stream, lang)
            added.append(prior)
            changed.update((e.id, e) for e in entries)
        return jsonify({"priors": [session.prior_view(p, lang) for p in added],
                        "files": [session.view(e, lang) for e in changed.values()]})

    @app.post("/api/files/<n>/explain")
    def explain(n: str):
        lang = lang_of(request)
        body = request.get_json(silent=True) or {}
        finding, text = str(body.get("finding", "")), str(body.get("text", ""))[:2000]
        entry = found(n)
        if not (entry.workbook and entry.readable and session.explain(entry, finding, text, lang)):
            raise _NotFound
        return jsonify(session.view(entry, lang))

    @app.get("/download/<n>/<what>")
    def download(n: str, what: str):
        lang = lang_of(request)
        entry = found(n)
        if what == "checked" and entry.record.output:
            path = entry.target
        elif what == "fixed" and entry.workbook and entry.readable:
            path = session.fixed(entry, lang)
        elif what == "draft" and entry.workbook and entry.readable:
            path = session.draft(entry)
        else:
            raise _NotFound
        return _send(path)

    @app.get("/download/summary")
    def summary():
        if not session.done():
            return message(404, tr("web.no_summary", lang_of(request)))
        return _send(session.summary(lang_of(request)))

    @app.get("/download/template")
    def template():
        return _send(session.template())

    @app.post("/api/quit")
    def stop():
        response = message(200, tr("web.quit_done", lang_of(request)))
        response.call_on_close(quit)  # after the answer has been sent
        return response

    return app


class _NotFound(Exception):
    pass


def _send(path: str):
    return send_file(path, as_attachment=True, download_name=os.path.basename(path), max_age=0)
