"""Run the page: waitress on 127.0.0.1, the browser opened on the address with the token, a stop on 退出,
Ctrl+C or an idle hour, the temporary folder removed on the way out.

Waitress: pure Python (nothing to compile, a wheel for every platform, so the offline wheelhouse is the
same for Windows and Linux), a production WSGI server kept up by the Pylons project, unlike Flask's own
development server.  It runs in a daemon thread; the main thread waits for a reason to stop.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable

from evaltool.web.session import IDLE_SECONDS, Session

HOST = "127.0.0.1"  # loopback only: an intranet mode needs authentication first (later work)
IDLE_POLL = 60.0  # seconds between looks at the idle clock


class Server:
    """One launch: ``url`` carries the token; ``stop()`` may be called from any thread."""

    def __init__(self, port: int = 0, root: str | None = None, ruleset=None) -> None:
        from waitress import create_server

        from evaltool.scoring.ruleset import load_ruleset
        from evaltool.web.app import create_app

        self.session = Session(ruleset or load_ruleset(None), root)
        self.token = secrets.token_urlsafe(24)
        self.stopped = threading.Event()
        # Bind first (port 0: a free one), then build the app for the port actually bound.
        # waitress's own body cap (1 GB) stays above the app's, so a refusal is the app's message.
        self.server = create_server(_Late(), host=HOST, port=port, threads=4, ident="evaltool")
        self.port = int(self.server.effective_port)
        self.app = create_app(self.session, self.token, self.port, self.stop)
        self.server.application = self.app
        self.url = f"http://{HOST}:{self.port}/?token={self.token}"
        self._thread = threading.Thread(target=self._run, daemon=True, name="evaltool-serve")

    def start(self) -> Server:
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self.server.run()
        except (OSError, ValueError):  # the sockets closed under the loop by close(): the way out
            if not self.stopped.is_set():
                raise

    def stop(self) -> None:
        self.stopped.set()

    def wait(self, on_idle: Callable[[], None] = lambda: None) -> None:
        """Until 退出, Ctrl+C or an idle hour; then close the socket and remove the temporary folder."""
        try:
            while not self.stopped.wait(IDLE_POLL):
                if self.session.idle() > IDLE_SECONDS:
                    on_idle()
                    break
        except KeyboardInterrupt:
            pass
        finally:
            self.close()

    def close(self) -> None:
        from waitress import wasyncore

        self.stopped.set()
        # The request being answered (the 退出 itself) finishes first: it pulls the loop's trigger at its end,
        # which must still be open.  Then the listening socket, the trigger and the open connections: the
        # loop has nothing left to wait on and ends.
        self.server.task_dispatcher.shutdown()
        self.server.close()
        wasyncore.close_all(self.server._map)
        if self._thread.is_alive():
            self._thread.join(timeout=10)  # a request still being answered is not waited for forever
        self.session.close()


class _Late:
    """The WSGI application until the real one, which needs the bound port, is set."""

    def __call__(self, environ, start_response):
        start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
        return [b""]


def serve(port: int = 0, browser: bool = True, lang: str = "zh", echo: Callable[[str], None] = print) -> None:
    """``evaltool serve``: start, say where, open the browser, run until stopped."""
    import signal

    from evaltool.text.catalogue import tr

    server = Server(port).start()
    # A terminal closed or a `kill`: stop as 退出 does, so the temporary folder goes too.
    signal.signal(signal.SIGTERM, lambda signum, frame: server.stop())
    url = server.url + ("&lang=en" if lang == "en" else "")
    echo(tr("web.started", lang, url=url, minutes=IDLE_SECONDS // 60))
    if browser:
        import webbrowser

        webbrowser.open(url)
    server.wait()
    echo(tr("web.stopped", lang))
