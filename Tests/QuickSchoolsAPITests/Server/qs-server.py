#!/usr/bin/env python3
"""A scripted QuickSchools API server on 127.0.0.1, for the qs-extract tests.

    qs-server.py --port 0 --fixture KEY=NDJSON [--fixture KEY2=NDJSON2 ...] [--script SCRIPT.json]

Serves qs.* NDJSON fixtures (see qsapi.py) under /sms/v1, the apiKey choosing the
fixture; prints `port=N` on stdout once listening and serves until SIGTERM. Rules from
--script, replaced at run time by POST /_control, inject errors, 429s, stalls, broken
JSON, missing keys and other response shapes. GET /_log lists the API requests so far;
POST /_reset clears it and the rule counters. README.md beside this file has the rules.
Standard library only.
"""

import argparse
import json
import os
import signal
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qsapi  # noqa: E402

API = "/sms/v1"
LISTS = ("/classes", "/semesters", "/teachers", "/students", "/sections", "/parents")
SHAPES = ("array", "single", "success", "unpaged", "wrong")
RULE_KEYS = {"path", "times", "status", "retryAfter", "stall", "stallBody", "malformed", "omit", "rename", "shape"}


class Rule:
    """One scripted behaviour; `used` counts the requests it has answered."""

    def __init__(self, spec):
        if not isinstance(spec, dict) or not isinstance(spec.get("path"), str):
            raise ValueError("a rule is an object with a string path: %r" % (spec,))
        unknown = set(spec) - RULE_KEYS
        if unknown:  # a typo would otherwise silently script nothing
            raise ValueError("unknown rule keys %s in %r" % (sorted(unknown), spec))
        if spec.get("shape") is not None and spec["shape"] not in SHAPES:
            raise ValueError("shape must be one of %s: %r" % (", ".join(SHAPES), spec))
        if "omit" in spec and not (isinstance(spec["omit"], list)
                                   and all(isinstance(k, str) for k in spec["omit"])):
            raise ValueError("omit is a list of key names: %r" % (spec,))
        if "rename" in spec and not (isinstance(spec["rename"], dict)
                                     and all(isinstance(v, str) for v in spec["rename"].values())):
            raise ValueError("rename maps key names to key names: %r" % (spec,))
        for k in ("times", "status"):
            if k in spec and not (isinstance(spec[k], int) and spec[k] >= 1):
                raise ValueError("%s must be a positive integer: %r" % (k, spec))
        for k in ("stall", "stallBody"):
            if k in spec and not isinstance(spec[k], (int, float)):
                raise ValueError("%s is a number of seconds: %r" % (k, spec))
        self.spec, self.used = spec, 0

    def matches(self, path):
        p = self.spec["path"]
        hit = path.startswith(p[:-1]) if p.endswith("*") else path == p
        return hit and ("times" not in self.spec or self.used < self.spec["times"])


def parse_script(value):
    """A script is a list of rules, or {"rules": [...]}."""
    if isinstance(value, dict) and "rules" in value:
        value = value["rules"]
    if not isinstance(value, list):
        raise ValueError("a script is a JSON array of rules (or {\"rules\": [...]})")
    return [Rule(r) for r in value]


def omit_keys(value, keys):
    """Remove keys from every object, nested ones included."""
    if isinstance(value, dict):
        return {k: omit_keys(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [omit_keys(v, keys) for v in value]
    return value


def rename_keys(value, names):
    """Rename keys of every object, nested ones included (order kept)."""
    if isinstance(value, dict):
        return {names.get(k, k): rename_keys(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [rename_keys(v, names) for v in value]
    return value


def positive_int(query, name, default):
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError("%s must be a positive integer" % name)
    return int(raw)


def truthy(query, name):
    return query.get(name, "").strip().lower() in ("true", "1", "yes")


class State:
    """What every handler thread shares: fixtures, rules, the request log."""

    def __init__(self, fixtures, rules, student_section_ids=False, page_param="page", parents_listing=False):
        self.fixtures, self.rules = fixtures, rules
        self.parents_listing = parents_listing
        self.student_section_ids = student_section_ids
        self.page_param = page_param  # None: every page parameter ignored
        self.log, self.lock, self.t0 = [], threading.Lock(), time.monotonic()


def answer(fx, path, query, student_section_ids=False, page_param="page", parents_listing=False):
    """The unscripted answer: (status, body) or ("list", items, page, itemsPerPage)."""
    if path == "/school":
        return 200, fx.school
    if path == "/schools":
        return 200, [fx.school]  # the key's own school: the only one it may read
    if path.startswith("/sectionenrollments/"):
        sid = path[len("/sectionenrollments/"):]
        if sid not in fx.enrollments:
            return 404, {"success": False, "message": "Section not found"}
        return 200, {"students": fx.enrollments[sid]}
    try:
        per_page = positive_int(query, "itemsPerPage", 100)
        page = positive_int(query, page_param, 1) if page_param else 1
    except ValueError as e:
        return 400, {"success": False, "message": str(e)}
    if path == "/students":
        left, deleted = truthy(query, "showHasLeft"), truthy(query, "showDeleted")
        items = [s for s in fx.students
                 if (left or not qsapi.flag(s.get("hasLeft")))
                 and (deleted or not qsapi.flag(s.get("deleted")))
                 and query.get("classId", s.get("classId")) == s.get("classId")]
        fields = query.get("fields", "").split(",")
        if parents_listing:  # guardians only through /parents
            items = [{k: v for k, v in s.items() if k != "parents"} for s in items]
        if student_section_ids and "smsClassSubjectSetIdList" in fields:
            current = fx.current_sections_by_student()
            items = [dict(s, smsClassSubjectSetIdList=current.get(s["id"], [])) for s in items]
    elif path == "/sections":
        items = fx.sections.get(query.get("semesterId") or fx.active_semester_id, [])
    elif path == "/parents":
        items = fx.parents()
    else:
        items = {"/classes": fx.classes, "/semesters": fx.semesters,
                 "/teachers": fx.teachers}[path]
    return "list", items, page, per_page


def shaped(result, shape):
    """Body of a 200 answer in the scripted shape (default: the paged object)."""
    if result[0] == "list":
        _, everything, page, per_page = result
        normal = qsapi.paged(everything, page, per_page)
        page_items = normal["list"]
    else:  # a single-object endpoint: its object stands for the one item
        normal = result[1]
        page_items = everything = [normal]
    if shape is None:
        return normal
    return {"array": page_items, "single": page_items[0] if page_items else {},
            "success": {"success": True, "list": page_items}, "unpaged": everything,
            "wrong": {"unexpected": 1}}[shape]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as URLSession expects
    state = None                    # set in main()
    verbose = False

    def log_message(self, fmt, *args):  # stdout carries only port=; stderr only if asked
        if self.verbose:
            sys.stderr.write("qs-server: " + (fmt % args) + "\n")

    def send(self, status, body, headers=(), stall_body=0):
        data = (body if isinstance(body, str) else qsapi.dumps(body)).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if stall_body:  # the head and half the body, then nothing for a while
            self.wfile.write(data[:len(data) // 2])
            self.wfile.flush()
            time.sleep(stall_body)
            data = data[len(data) // 2:]
        self.wfile.write(data)

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def dispatch(self, method):
        try:
            url = urlsplit(self.path)
            path = unquote(url.path)
            query = dict(parse_qsl(url.query, keep_blank_values=True))
            control = path[len(API):] if path.startswith(API + "/_") else path
            if control in ("/_log", "/_control", "/_reset"):
                self.control(method, control)
            else:
                self.api(method, path, query)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away (a timeout test): nothing to answer
        except Exception:
            traceback.print_exc()
            self.send(500, {"success": False, "message": "qs-server bug, see its stderr"})

    def control(self, method, path):
        st = self.state
        if method == "GET" and path == "/_log":
            with st.lock:
                return self.send(200, list(st.log))
        if method == "GET" and path == "/_control":
            with st.lock:
                return self.send(200, [dict(r.spec, used=r.used) for r in st.rules])
        if method == "POST" and path == "/_control":
            length = int(self.headers.get("Content-Length") or 0)
            try:
                rules = parse_script(json.loads(self.rfile.read(length) or b"[]"))
            except ValueError as e:
                return self.send(400, {"success": False, "message": str(e)})
            with st.lock:
                st.rules = rules
            return self.send(200, {"success": True, "rules": len(rules)})
        if method == "POST" and path == "/_reset":
            with st.lock:
                st.log.clear()
                for r in st.rules:
                    r.used = 0
            return self.send(200, {"success": True})
        self.send(405, {"success": False, "message": "method not allowed"})

    def api(self, method, full_path, query):
        st = self.state
        t = time.monotonic() - st.t0
        path = full_path[len(API):] if full_path.startswith(API + "/") else full_path
        with st.lock:  # the first rule still in force answers; only it counts the request
            rule = next((r for r in st.rules if r.matches(path)), None)
            if rule is not None:
                rule.used += 1
        spec = rule.spec if rule else {}
        headers = []
        if "status" in spec:
            status, body = spec["status"], {"success": False,
                                             "message": "scripted status %d" % spec["status"]}
        elif method != "GET":
            status, body = 405, {"success": False, "message": "method not allowed"}
        elif not (full_path.startswith(API + "/") and
                  (path in ("/school", "/schools") + LISTS or path.startswith("/sectionenrollments/"))):
            status, body = 404, {"success": False, "message": "Not found: " + full_path}
        elif query.get("apiKey") not in st.fixtures:
            status, body = 401, {"success": False, "message": "Invalid API key"}
        else:
            result = answer(st.fixtures[query["apiKey"]], path, query, st.student_section_ids, st.page_param,
                            st.parents_listing)
            if result[0] == 200 or result[0] == "list":
                status, body = 200, shaped(result, spec.get("shape"))
            else:
                status, body = result
        if "retryAfter" in spec:
            headers.append(("Retry-After", str(spec["retryAfter"])))
        if spec.get("omit"):
            body = omit_keys(body, set(spec["omit"]))
        if spec.get("rename"):
            body = rename_keys(body, spec["rename"])
        if spec.get("malformed"):
            text = qsapi.dumps(body)
            body = text[:max(1, len(text) // 2)]  # a strict prefix of an object: never valid
        with st.lock:
            st.log.append({"t": round(t, 4), "path": path, "query": query, "status": status})
        if spec.get("stall"):
            time.sleep(spec["stall"])  # this thread only; other requests go on
        self.send(status, body, headers, spec.get("stallBody", 0))


class Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 64 (EX_USAGE), as the project's tools do
        self.print_usage(sys.stderr)
        sys.stderr.write("%s: error: %s\n" % (self.prog, message))
        sys.exit(64)


def main(argv):
    p = Parser(prog="qs-server.py", description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    p.add_argument("--fixture", action="append", default=[], metavar="KEY=NDJSON",
                   help="serve this qs.* NDJSON for apiKey KEY (repeatable)")
    p.add_argument("--script", help="JSON file of rules to start with")
    p.add_argument("--verbose", action="store_true", help="log requests to stderr")
    p.add_argument("--page-param", default="page",
                   help="the query parameter that carries the page (others are ignored)")
    p.add_argument("--ignore-page", action="store_true",
                   help="every page parameter ignored: page 1 always (itemsPerPage still honoured)")
    p.add_argument("--parents-listing", action="store_true",
                   help="students carry no parents: they come from /parents, each with its students")
    p.add_argument("--student-section-ids", action="store_true",
                   help="students carry smsClassSubjectSetIdList when fields= asks for it")
    a = p.parse_args(argv)
    fixtures, loaded = {}, {}
    try:
        for f in a.fixture:
            key, sep, path = f.partition("=")
            if not sep or not key or not path:
                p.error("--fixture wants KEY=NDJSON: %r" % f)
            schools = loaded.get(path) or loaded.setdefault(path, qsapi.load_fixtures(path))
            code = key.split(".")[0]
            # A one-school file serves any key; a district file serves the key's school.
            fx = next(iter(schools.values())) if len(schools) == 1 else schools.get(code)
            if fx is None:
                p.error("%s holds %d schools and none has code %r (the key's prefix)"
                        % (path, len(schools), code))
            fixtures[key] = fx
        rules = []
        if a.script:
            with open(a.script, encoding="utf-8") as f:
                rules = parse_script(json.load(f))
    except (OSError, ValueError) as e:
        sys.stderr.write("qs-server: %s\n" % e)
        return 66
    Handler.state = State(fixtures, rules, a.student_section_ids, None if a.ignore_page else a.page_param,
                          a.parents_listing)
    Handler.verbose = a.verbose
    server = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # leaves serve_forever
    sys.stdout.write("port=%d\n" % server.server_address[1])
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
