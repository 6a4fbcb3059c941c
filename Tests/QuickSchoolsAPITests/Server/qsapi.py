"""QuickSchools API objects made from our qs.* NDJSON records (records.md).

Shared by qs-server.py (the scripted API server of the Swift tests) and
Tests/Benchmarks/make-qs-dump.py (saved dumps). The API field names live here only;
the qs-extract client reads exactly these names:

    qs.school    -> /school object: same keys as the record (no type)
    qs.class     -> {id, className, classAbbreviation}
    qs.semester  -> {id, semesterName, startDate, endDate, isActive, yearId}
    qs.teacher   -> the record's keys minus type/schoolId
    qs.student   -> the record's keys minus type/schoolId, guardians renamed parents,
                    plus className (the name of its class)
    qs.section   -> {id, sectionName, sectionCode, classId, className, period, subject,
                    courseName, courseNumber, teachers: [{id, fullName}]}
    qs.enrollment-> items {smsStudentStubId, fullName} of /sectionenrollments/{sectionId}
    qs.staff     -> nothing (no known endpoint)

API objects never carry `type` or `schoolId`; IDs are strings; booleans JSON booleans.
Standard library only.
"""

import json

YEAR_ID = "2026"            # no year record exists; every semester gets this yearId
DROP = ("type", "schoolId")  # record keys the API never shows


def dumps(value):
    """Compact JSON (no spaces), UTF-8 kept as is: the body form of server and dumps."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _s(value):
    """A string value; records say a missing key and "" mean the same."""
    return "" if value is None else str(value)


def flag(value):
    """A record boolean (JSON true; the string "true" tolerated)."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _without(rec, drop=DROP):
    return {k: v for k, v in rec.items() if k not in drop}


# ---------------------------------------------------------------- one record each

def school_object(rec):
    return _without(rec, ("type",))


def class_object(rec):
    return {"id": _s(rec.get("id")), "className": _s(rec.get("name")),
            "classAbbreviation": _s(rec.get("abbreviation"))}


def semester_object(rec):
    return {"id": _s(rec.get("id")), "semesterName": _s(rec.get("name")),
            "startDate": _s(rec.get("startDate")), "endDate": _s(rec.get("endDate")),
            "isActive": flag(rec.get("active")), "yearId": YEAR_ID}


def teacher_object(rec):
    return _without(rec)


def student_object(rec, class_name):
    """Record order kept; guardians becomes parents in place, className follows classId."""
    out = {}
    for k, v in rec.items():
        if k in DROP:
            continue
        out["parents" if k == "guardians" else k] = v
        if k == "classId":
            out["className"] = _s(class_name)
    out.setdefault("className", _s(class_name))
    return out


def student_is_left(rec):
    """Left out of /students unless asked for (showHasLeft / showDeleted)."""
    return flag(rec.get("hasLeft")) or flag(rec.get("deleted"))


def section_object(rec, class_name, teacher_names):
    """teacher_names: teacher id -> fullName. teacherIds order (and repeats) kept."""
    return {"id": _s(rec.get("id")), "sectionName": _s(rec.get("name")),
            "sectionCode": _s(rec.get("code")), "classId": _s(rec.get("classId")),
            "className": _s(class_name), "period": _s(rec.get("period")),
            "subject": _s(rec.get("subject")), "courseName": _s(rec.get("courseName")),
            "courseNumber": _s(rec.get("courseNumber")),
            "teachers": [{"id": _s(t), "fullName": _s(teacher_names.get(_s(t)))}
                         for t in rec.get("teacherIds") or []]}


def enrollment_item(student_id, full_name):
    return {"smsStudentStubId": _s(student_id), "fullName": _s(full_name)}


# ---------------------------------------------------------------- paging

def page_count(total, per_page):
    """numberOfPages: at least 1, so an empty list still has page 1."""
    return max(1, -(-total // per_page))


def paged(items, page, per_page):
    """The paged object for 1-based `page` of `items` (a page past the end is empty)."""
    start = (page - 1) * per_page
    return {"list": items[start:start + per_page], "itemsPerPage": per_page, "page": page,
            "numberOfPages": page_count(len(items), per_page), "numberOfItems": len(items)}


# ---------------------------------------------------------------- reading NDJSON

def read_ndjson(path):
    """Yield (line number, record); a line that is not an object with a type is an error."""
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as e:
                raise ValueError("%s:%d: not JSON: %s" % (path, n, e)) from None
            if not isinstance(rec, dict) or not isinstance(rec.get("type"), str):
                raise ValueError("%s:%d: not an object with a string type" % (path, n))
            yield n, rec


def school_of(rec, current):
    """The schoolId a record belongs to; none given means the last qs.school seen."""
    return _s(rec.get("schoolId")) or current


class Fixture:
    """One school's API objects, in record order, as the server answers them."""

    def __init__(self, school):
        self.school = school_object(school)
        self.code = _s(school.get("code"))
        self.classes, self.semesters, self.teachers, self.students = [], [], [], []
        self.sections = {}      # semesterId -> [section object]
        self.enrollments = {}   # sectionId -> [enrollment item]
        self.active_semester_id = None  # the first semester with isActive true
        self._raw = {"qs.class": [], "qs.semester": [], "qs.teacher": [], "qs.student": [],
                     "qs.section": [], "qs.enrollment": []}

    def _resolve(self):
        """Build the objects once every record is read, so record order does not matter."""
        raw = self._raw
        class_names = {_s(c.get("id")): _s(c.get("name")) for c in raw["qs.class"]}
        teacher_names = {_s(t.get("id")): _s(t.get("fullName")) for t in raw["qs.teacher"]}
        student_names = {_s(s.get("id")): _s(s.get("fullName")) for s in raw["qs.student"]}
        self.classes = [class_object(r) for r in raw["qs.class"]]
        self.semesters = [semester_object(r) for r in raw["qs.semester"]]
        self.active_semester_id = next((s["id"] for s in self.semesters if s["isActive"]), None)
        self.teachers = [teacher_object(r) for r in raw["qs.teacher"]]
        self.students = [student_object(r, class_names.get(_s(r.get("classId"))))
                         for r in raw["qs.student"]]
        for r in raw["qs.section"]:
            obj = section_object(r, class_names.get(_s(r.get("classId"))), teacher_names)
            self.sections.setdefault(_s(r.get("semesterId")), []).append(obj)
            self.enrollments.setdefault(obj["id"], [])
        for r in raw["qs.enrollment"]:
            sid = _s(r.get("studentId"))
            self.enrollments.setdefault(_s(r.get("sectionId")), []).append(
                enrollment_item(sid, student_names.get(sid)))
        del self._raw

    def parents(self):
        """The /parents listing: each guardian once (siblings share one), in first-seen
        order, with the students it belongs to and, per student, what is said of the
        link (relationship and flags)."""
        by_id, order = {}, []
        link_keys = ("relationship", "isEmergencyContact", "isAuthorizedToPickUp")
        for student in self.students:
            for g in student.get("parents") or []:
                gid = _s(g.get("id"))
                if gid not in by_id:
                    by_id[gid] = {k: v for k, v in g.items() if k not in link_keys}
                    by_id[gid]["students"] = []
                    order.append(gid)
                link = {"id": student["id"]}
                link.update({k: g[k] for k in link_keys if k in g})
                by_id[gid]["students"].append(link)
        return [by_id[g] for g in order]

    def current_sections_by_student(self):
        """student id -> the IDs of the sections of the active semester they are in, in
        section order: what /students gives as smsClassSubjectSetIdList."""
        out = {}
        for section in self.sections.get(self.active_semester_id, []):
            for item in self.enrollments.get(section["id"], []):
                out.setdefault(item["smsStudentStubId"], []).append(section["id"])
        return out


def load_fixtures(path):
    """{school code: Fixture} for every qs.school of an NDJSON file, in first-seen order.

    Records are attributed by schoolId (records without one go to the last qs.school
    before them; unknown schoolIds are ignored). qs.staff and unknown types are ignored.
    """
    by_id, current = {}, ""
    for n, rec in read_ndjson(path):
        t = rec["type"]
        if t == "qs.school":
            current = _s(rec.get("id"))
            if current in by_id:
                raise ValueError("%s:%d: school id %s seen twice" % (path, n, current))
            by_id[current] = Fixture(rec)
        elif t in ("qs.class", "qs.semester", "qs.teacher", "qs.student", "qs.section",
                   "qs.enrollment"):
            fx = by_id.get(school_of(rec, current))
            if fx is not None:
                fx._raw[t].append(rec)
    out = {}
    for fx in by_id.values():
        fx._resolve()
        if fx.code in out:
            raise ValueError("%s: school code %r seen twice" % (path, fx.code))
        out[fx.code] = fx
    return out
