"""``unres serve SITE``: the site on 127.0.0.1, for a look before publishing.

Guarantees: it listens on the loopback address only; it serves files under the
site's folder and nothing else (a path that leads out of it, through ``..``, an
encoded ``%2e%2e``, a symbolic link or a hidden name such as ``.unres-cache.json``
or ``.unres/``, is a 404); it answers GET and HEAD only; each page goes out with
the site's content security policy as a header as well.  It is a preview, not a
production server.
"""

from __future__ import annotations

import http.server
import os
import posixpath
import urllib.parse
from functools import partial
from pathlib import Path

from .pages import CSP

HOST = "127.0.0.1"


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files of one folder, safely (see the module docstring)."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".pagefind": "application/octet-stream", ".pf_meta": "application/octet-stream",
                      ".pf_index": "application/octet-stream",
                      ".pf_fragment": "application/octet-stream",
                      ".wasm": "application/wasm", ".md": "text/markdown; charset=utf-8",
                      ".xml": "application/xml", ".json": "application/json",
                      ".js": "text/javascript", ".css": "text/css", ".html": "text/html; charset=utf-8"}

    def __init__(self, *args, directory: str, quiet: bool = False, **kwargs):
        self.root = os.path.realpath(directory)
        self.quiet = quiet
        super().__init__(*args, directory=self.root, **kwargs)

    def translate_path(self, path: str) -> str:
        """The file for a request path, or a path that does not exist (then: 404)."""
        path = urllib.parse.unquote(path.split("?", 1)[0].split("#", 1)[0], errors="strict")
        parts = [p for p in posixpath.normpath("/" + path).split("/") if p]
        nowhere = os.path.join(self.root, ".unres-serve-nowhere")
        if any(p.startswith(".") or "\\" in p or "\0" in p for p in parts):
            return nowhere
        full = os.path.join(self.root, *parts)
        real = os.path.realpath(full)
        if real != self.root and not real.startswith(self.root + os.sep):
            return nowhere
        if path.endswith("/") and os.path.isdir(real):
            return real + os.sep
        return real

    def list_directory(self, path):        # no folder listings
        self.send_error(404)
        return None

    def send_error(self, code, message=None, explain=None):
        if code == 404:
            page = Path(self.root) / "404.html"
            if page.is_file():
                body = page.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
                return
        super().send_error(code, message, explain)

    def end_headers(self):
        self.send_header("Content-Security-Policy", CSP.format(hashes=""))
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def do_POST(self):
        self.send_error(405)

    do_PUT = do_DELETE = do_PATCH = do_POST

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)


def server(site: Path, port: int = 8000, quiet: bool = False) -> http.server.ThreadingHTTPServer:
    """A server for ``site`` on 127.0.0.1:``port`` (0: any free port), not yet serving."""
    handler = partial(Handler, directory=str(site), quiet=quiet)
    httpd = http.server.ThreadingHTTPServer((HOST, port), handler)
    httpd.daemon_threads = True
    return httpd
