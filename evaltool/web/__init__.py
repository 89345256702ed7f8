"""The local page (``evaltool serve``): a Flask app served by waitress on loopback, for officers who never
open a terminal.

``guard`` holds the safety rules every request passes (Host header, the launch's token, upload caps, file
names, no traceback ever shown); ``session`` owns the launch's temporary folder and what was checked in it
(results, explanations, downloads), through the same ``batch``/``outputs`` calls as the command line;
``app`` maps URLs to them; ``server`` runs waitress, opens the browser and stops on 退出 or after an idle
hour.  The page (``templates/index.html``, ``static/``) is plain HTML/CSS/JS shipped in the package: no
CDN, no build step; its words come from the one catalogue (``web.*`` keys).

May import anything below it (``batch``, ``outputs``, ``narrative``, ``text``); only ``cli`` imports it.
Flask and waitress are imported here only, so they never load on the check path.
"""
