#!/usr/bin/env python3
"""Write a saved qs-extract dump (what `qs-extract --save DIR` writes) from qs.* NDJSON.

    make-qs-dump.py INPUT.ndjson DIR [--items-per-page P]     (INPUT - reads stdin)

For benchmarking `qs-extract --from DIR` on a district made by generate-district.py:
    python3 generate-district.py --students 1000000 | make-qs-dump.py - /tmp/dump

Layout (DIR must not exist; files 0600, directories 0700; every body compact JSON
with no newline after it):
    DIR/manifest.json                 written last: a dump without it is incomplete
    DIR/<code>/school.json            the /school object
    DIR/<code>/{classes,semesters,teachers,students,sections}.page-N.json
                                      paged objects, N from 1, P items a page (default
                                      1000); students without hasLeft/deleted ones,
                                      sections of the active semester only
    DIR/<code>/sectionenrollments/<sectionId>.page-1.json   {"students": [...]}
The API objects are those of the test server (Tests/QuickSchoolsAPITests/Server/qsapi.py).

It streams: records may come in any order of schools (generate-district.py writes
every school's records of one type together). Page files are appended to as records
go by, their paging tail (numberOfPages, numberOfItems) once the input ends; student
names (for enrollments), sections and enrollments wait in a temporary SQLite file
inside DIR, so memory does not grow with the number of students. Standard library only.
"""

import argparse
import datetime
import json
import os
import sqlite3
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
sys.path.insert(0, os.path.join(HERE, "..", "QuickSchoolsAPITests", "Server"))
import qsapi  # noqa: E402

PROG = "make-qs-dump.py"
BASE_URL = "https://api.quickschools.com/sms/v1"
LISTS = ("classes", "semesters", "teachers", "students", "sections")


class DataError(Exception):
    """Input that is not qs.* NDJSON: exit 65, as the pipeline's stages do."""


def opener(path, flags):
    fd = os.open(path, flags, 0o600)
    os.fchmod(fd, 0o600)  # whatever the umask
    return fd


def write_file(path, text):
    with open(path, "ab", opener=opener) as f:
        f.write(text.encode("utf-8"))


class Spool:
    """Appends to many files through one bounded buffer (schools may interleave)."""

    def __init__(self, limit=8 << 20):
        self.chunks, self.size, self.limit = {}, 0, limit

    def append(self, path, text):
        self.chunks.setdefault(path, []).append(text)
        self.size += len(text)
        if self.size >= self.limit:
            self.flush()

    def flush(self):
        for path, parts in self.chunks.items():
            write_file(path, "".join(parts))
        self.chunks, self.size = {}, 0


class Pages:
    """One list endpoint of one school: `{"list":[` + items now, the tail at finish()."""

    def __init__(self, spool, directory, name, per_page):
        self.spool, self.directory, self.name, self.per_page = spool, directory, name, per_page
        self.total = 0

    def path(self, n):
        return os.path.join(self.directory, "%s.page-%d.json" % (self.name, n))

    def add(self, obj):
        n, first = divmod(self.total, self.per_page)
        self.spool.append(self.path(n + 1), ("," if first else '{"list":[') + qsapi.dumps(obj))
        self.total += 1

    def finish(self):
        pages = qsapi.page_count(self.total, self.per_page)
        if self.total == 0:
            self.spool.append(self.path(1), '{"list":[')
        for n in range(1, pages + 1):
            self.spool.append(self.path(n), '],"itemsPerPage":%d,"page":%d,"numberOfPages":%d,'
                              '"numberOfItems":%d}' % (self.per_page, n, pages, self.total))


class School:
    def __init__(self, rec, root, spool, per_page):
        self.id, self.code = str(rec.get("id") or ""), str(rec.get("code") or "")
        if self.code in ("", ".", "..") or "/" in self.code or "\0" in self.code:
            raise ValueError("school %s: code %r cannot name a directory" % (self.id, self.code))
        self.dir = os.path.join(root, self.code)
        for d in (self.dir, os.path.join(self.dir, "sectionenrollments")):
            os.mkdir(d, 0o700)
            os.chmod(d, 0o700)
        write_file(os.path.join(self.dir, "school.json"), qsapi.dumps(qsapi.school_object(rec)))
        self.pages = {k: Pages(spool, self.dir, k, per_page) for k in LISTS}
        self.class_names, self.teacher_names = {}, {}
        self.active = None  # the first semester marked active, as the server's default


def open_db(path):
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-16384", "temp_store=FILE"):
        db.execute("PRAGMA " + pragma)
    db.execute("BEGIN")
    db.execute("CREATE TABLE student (school TEXT, id TEXT, name TEXT, PRIMARY KEY (school, id))"
               " WITHOUT ROWID")
    db.execute("CREATE TABLE section (seq INTEGER PRIMARY KEY, school TEXT, semester TEXT, rec TEXT)")
    db.execute("CREATE TABLE enrollment (seq INTEGER PRIMARY KEY, school TEXT, section TEXT,"
               " student TEXT)")
    return db


class Batches:
    """Rows for executemany, a batch at a time (fewer round trips into SQLite)."""

    SQL = {"student": "INSERT OR REPLACE INTO student VALUES (?,?,?)",
           "section": "INSERT INTO section (school, semester, rec) VALUES (?,?,?)",
           "enrollment": "INSERT INTO enrollment (school, section, student) VALUES (?,?,?)"}

    def __init__(self, db):
        self.db, self.rows = db, {k: [] for k in self.SQL}

    def add(self, table, row):
        rows = self.rows[table]
        rows.append(row)
        if len(rows) >= 50000:
            self.flush(table)

    def flush(self, table=None):
        for t in [table] if table else list(self.SQL):
            self.db.executemany(self.SQL[t], self.rows[t])
            self.rows[t] = []


def read(src, name, root, per_page):
    """Stream the records into the dump; returns the schools in first-seen order."""
    spool, schools, current = Spool(), {}, ""
    db = open_db(os.path.join(root, ".make-qs-dump.sqlite"))
    rows = Batches(db)
    for n, line in enumerate(src, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            t = rec["type"] if isinstance(rec, dict) else None
            if not isinstance(t, str):
                raise ValueError("not an object with a string type")
            if t == "qs.school":
                sc = School(rec, root, spool, per_page)
                if sc.id in schools or sc.code in (s.code for s in schools.values()):
                    raise ValueError("school id %s or code %s seen twice" % (sc.id, sc.code))
                current, schools[sc.id] = sc.id, sc
                continue
            sc = schools.get(qsapi.school_of(rec, current))
        except (ValueError, OSError) as e:
            raise DataError("%s:%d: error: %s" % (name, n, e)) from None
        if sc is None:
            continue  # qs.* of an unknown school: the server ignores those too
        s = lambda k: str(rec.get(k) or "")  # noqa: E731
        if t == "qs.class":
            sc.class_names[s("id")] = s("name")
            sc.pages["classes"].add(qsapi.class_object(rec))
        elif t == "qs.semester":
            obj = qsapi.semester_object(rec)
            if obj["isActive"] and sc.active is None:
                sc.active = obj["id"]
            sc.pages["semesters"].add(obj)
        elif t == "qs.teacher":
            sc.teacher_names[s("id")] = s("fullName")
            sc.pages["teachers"].add(qsapi.teacher_object(rec))
        elif t == "qs.student":
            rows.add("student", (sc.id, s("id"), s("fullName")))
            if not qsapi.student_is_left(rec):
                sc.pages["students"].add(qsapi.student_object(rec, sc.class_names.get(s("classId"))))
        elif t == "qs.section":
            rows.add("section", (sc.id, s("semesterId"), line.decode("utf-8")))
        elif t == "qs.enrollment":
            rows.add("enrollment", (sc.id, s("sectionId"), s("studentId")))
    rows.flush()
    return list(schools.values()), spool, db


def finish(schools, spool, db):
    """Sections and enrollments (now that every name is known), then the paging tails."""
    db.execute("CREATE INDEX enrollment_by_section ON enrollment (school, section, seq)")
    counts = [0, 0]
    for sc in schools:
        cursor = db.execute("SELECT rec FROM section WHERE school = ? AND semester = ? ORDER BY seq",
                            (sc.id, sc.active or ""))
        for (text,) in cursor:
            rec = json.loads(text)
            obj = qsapi.section_object(rec, sc.class_names.get(str(rec.get("classId") or "")),
                                       sc.teacher_names)
            sc.pages["sections"].add(obj)
            items = [qsapi.enrollment_item(sid, name) for sid, name in db.execute(
                "SELECT e.student, s.name FROM enrollment e LEFT JOIN student s"
                " ON s.school = e.school AND s.id = e.student"
                " WHERE e.school = ? AND e.section = ? ORDER BY e.seq", (sc.id, obj["id"]))]
            write_file(os.path.join(sc.dir, "sectionenrollments", obj["id"] + ".page-1.json"),
                       qsapi.dumps({"students": items}))
            counts[0] += 1
            counts[1] += len(items)
        for p in sc.pages.values():
            p.finish()
    spool.flush()
    return counts


def main(argv):
    class Parser(argparse.ArgumentParser):
        def error(self, message):
            self.print_usage(sys.stderr)
            sys.stderr.write("%s: error: %s\n" % (self.prog, message))
            sys.exit(64)

    p = Parser(prog=PROG, description="Write a saved qs-extract dump from qs.* NDJSON.")
    p.add_argument("input", help="qs.* NDJSON file, or - for stdin")
    p.add_argument("dir", help="dump directory to create (must not exist)")
    p.add_argument("--items-per-page", type=int, default=1000, metavar="P")
    a = p.parse_args(argv)
    if a.items_per_page < 1:
        p.error("--items-per-page must be 1 or more")
    try:
        src = sys.stdin.buffer if a.input == "-" else open(a.input, "rb")
    except OSError as e:
        sys.stderr.write("%s: %s\n" % (PROG, e))
        return 66
    try:
        os.mkdir(a.dir, 0o700)  # fails if DIR exists: never mix two dumps
        os.chmod(a.dir, 0o700)
    except OSError as e:
        sys.stderr.write("%s: %s\n" % (PROG, e))
        return 73
    db_path = os.path.join(a.dir, ".make-qs-dump.sqlite")
    try:
        schools, spool, db = read(src, "<stdin>" if a.input == "-" else a.input, a.dir,
                                  a.items_per_page)
        sections, enrollments = finish(schools, spool, db)
        db.close()
    except DataError as e:  # DIR stays, without a manifest: visibly incomplete
        sys.stderr.write("%s: %s\n" % (PROG, e))
        return 65
    finally:
        if os.path.exists(db_path):
            os.remove(db_path)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    write_file(os.path.join(a.dir, "manifest.json"), qsapi.dumps({
        "format": "qs-extract-dump", "version": 1, "savedAt": stamp, "baseURL": BASE_URL,
        "itemsPerPage": a.items_per_page, "includeInactive": False, "term": "",
        "schools": [sc.code for sc in schools]}))
    sys.stderr.write("%s: %d schools, %d students served, %d sections, %d enrollments -> %s\n" % (
        PROG, len(schools), sum(sc.pages["students"].total for sc in schools), sections,
        enrollments, a.dir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
