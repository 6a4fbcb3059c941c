#!/usr/bin/env python3
"""An HTTP proxy on 127.0.0.1 for qs-extract's proxy tests: CONNECT tunnels, and plain
requests in absolute form. Prints port=N on standard output, then one line per request on
standard error: "CONNECT host:port" or "GET http://...", with " auth" when the request carried
a Proxy-Authorization header (its value is never printed)."""
import argparse
import select
import socket
import socketserver
import sys
import threading
import urllib.parse


def pipe(a, b):
    sockets = [a, b]
    while True:
        readable, _, _ = select.select(sockets, [], [], 60)
        if not readable:
            return
        for s in readable:
            data = s.recv(65536)
            if not data:
                return
            (b if s is a else a).sendall(data)


class Proxy(socketserver.BaseRequestHandler):
    def handle(self):
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            head += chunk
        head, rest = head.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        method, target, version = lines[0].split(" ", 2)
        auth = any(line.lower().startswith("proxy-authorization:") for line in lines[1:])
        with LOCK:
            print(f"{method} {target}{' auth' if auth else ''}", file=sys.stderr, flush=True)
        if method == "CONNECT":
            host, port = target.rsplit(":", 1)
            upstream = socket.create_connection((host, int(port)))
            self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            if rest:
                upstream.sendall(rest)
        else:
            url = urllib.parse.urlsplit(target)
            upstream = socket.create_connection((url.hostname, url.port or 80))
            path = url.path + ("?" + url.query if url.query else "")
            kept = [line for line in lines[1:] if not line.lower().startswith("proxy-")]
            upstream.sendall(("\r\n".join([f"{method} {path} {version}"] + kept) + "\r\n\r\n").encode("latin-1") + rest)
        try:
            pipe(self.request, upstream)
        finally:
            upstream.close()


LOCK = threading.Lock()

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    socketserver.ThreadingTCPServer.daemon_threads = True
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    with socketserver.ThreadingTCPServer(("127.0.0.1", args.port), Proxy) as server:
        print(f"port={server.server_address[1]}", flush=True)
        server.serve_forever()
