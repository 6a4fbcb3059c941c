#!/usr/bin/env python3
"""Generate a synthetic QuickSchools district as qs.* NDJSON, for benchmarks.

    python3 generate-district.py --students N [--schools S] [--seed K] > district.ndjson

Writes the records qs-extract would write (records.md, "QuickSchools records") to
stdout, in stream order: every qs.school, then qs.class, qs.semester, qs.teacher,
qs.staff, qs.student, qs.section, qs.enrollment. Nothing else goes to stdout.

Shape (per school): about 1 teacher per 20 students, 1 section per 25 students
(5 subjects per grade level, so about 125 students a section), 5 enrollments per
student (one section of each subject of the student's grade), 0-3 guardians per
student with varied relationships, flags and phone formats (about 1.5% of phone
numbers are unusable), siblings sharing guardian records, about 2% inactive students
(hasLeft, isExpelled, deleted; their enrollments are still listed), grade
abbreviations mixing exact Clever values and recognised spellings. Each school has an
active "Fall 2026" term, which holds every section, and an inactive "Spring 2026" term.

It streams: students are written as they are made, and enrollments are computed again
from each student's position, so memory does not grow with --students. Output is
deterministic for given arguments (standard library only; uses only Random.random(),
whose sequence is stable across Python versions).
"""

import argparse
import os
import sys
import random

# ---------------------------------------------------------------- vocabulary

FIRST = [
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas",
    "Mia", "Mason", "Amelia", "Ethan", "Harper", "Logan", "Evelyn", "Aiden", "Abigail", "Jackson",
    "Emily", "Sebastian", "Ella", "Mateo", "Scarlett", "Henry", "Chloe", "Owen", "Grace", "Daniel",
    "Layla", "Samuel", "Aria", "David", "Zoë", "José", "Łukasz", "Siobhán", "Aaliyah", "Mohammed",
    "Priya", "Wei", "Yuki", "Fatima", "Santiago", "Camila", "Kwame", "Amara", "Dmitri", "Ingrid",
    "Chidi", "Ananya", "Hiroshi", "Léa", "Björn", "Nia", "Omar", "Valentina", "Thanh", "Kai",
]
LAST = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernández", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
    "O'Brien", "O'Connor", "D'Angelo", "Nguyễn", "Müller", "Kowalski", "Okafor", "Patel", "Kim", "Chen",
    "Haddad", "Ivanova", "Fontaine", "Andersson", "Tanaka", "Mensah", "Smith, Jr.", "de la Cruz", "Van Dyke", "Ng",
]
MIDDLE = ["", "", "", "", "", "Marie", "James", "Lee", "Ann", "Grace", "Alexander", "Rose", "Thị", "José"]
STREETS = ["Maple Street", "Oak Avenue", "Cedar Lane", "Elm Street", "Washington Avenue", "Lakeview Drive",
           "Park Place", "Hillcrest Road", "River Road", "Sunset Boulevard", "Pine Court", "Main Street"]
CITIES = [("Springfield", "IL", 627), ("Riverton", "WY", 825), ("Fairview", "OR", 970), ("Madison", "WI", 537),
          ("Franklin", "TN", 370), ("Greenville", "SC", 296), ("Clinton", "IA", 527), ("Salem", "MA", 19)]
SCHOOL_WORDS = ["Lincoln", "Washington", "Jefferson", "Roosevelt", "Riverside", "Hillcrest", "Oakwood",
                "Lakeside", "Maple Grove", "Cedar Ridge", "Sunnyvale", "Franklin", "Kennedy", "Pinecrest"]
TEACHER_TITLES = ["Mr.", "Ms.", "Mrs.", "Dr.", ""]
STAFF_ROLES = [("Principal", "Administration"), ("Assistant Principal", "Administration"),
               ("Office Manager", "Front Office"), ("Counselor", "Student Services"),
               ("IT Coordinator", "Technology"), ("Nurse", "Health"), ("Librarian", "Library"),
               ("Registrar", "Front Office")]
# (Clever subject, course stem) for the five subjects of a grade level.
SUBJECTS = [("English/language arts", "English"), ("Math", "Math"), ("Science", "Science"),
            ("Social studies", "Social Studies"), (None, None)]
FIFTH = [("Arts and music", "Art"), ("Language", "Spanish"), ("PE and health", "Physical Education"),
         ("Technology and engineering", "Computer Science"), ("Arts and music", "Music"),
         ("Homeroom/advisory", "Advisory")]

# Parents first; the second and third guardian draw from the wider list.
REL_FIRST = [("Mother", 40), ("Father", 25), ("Mother/Father", 20), ("Guardian", 4), ("Legal Guardian", 2),
             ("Grandmother", 4), ("Others", 3), ("mother", 1), ("Relative", 1)]
REL_MORE = [("Father", 30), ("Mother", 15), ("Mother/Father", 10), ("Relative", 10), ("Others", 10),
            ("Grandmother", 6), ("Grandfather", 5), ("Grandparent", 2), ("Aunt", 4), ("Uncle", 3),
            ("Brother", 1), ("Sister", 1), ("Sibling", 1), ("Neighbor", 1), ("Stepfather", 1)]

ORDINAL = {1: "1st", 2: "2nd", 3: "3rd"}

# ---------------------------------------------------------------- helpers


def ascii_slug(s):
    import unicodedata
    t = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in t.lower() if ch.isalnum())


SLUG = {}


def slug(s):
    v = SLUG.get(s)
    if v is None:
        v = SLUG[s] = ascii_slug(s)
    return v


def cumulative(pairs):
    total, out = 0, []
    for v, w in pairs:
        total += w
        out.append((total, v))
    return [(t / total, v) for t, v in out]


REL_FIRST_C = cumulative(REL_FIRST)
REL_MORE_C = cumulative(REL_MORE)


def json_str(s):
    """A JSON string literal, UTF-8 kept as is (faster than json.dumps for our values)."""
    if '"' in s or "\\" in s:
        s = s.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + s + '"'


class Raw(str):
    """Pre-rendered JSON (the arrays), written as is."""
    __slots__ = ()


def obj(pairs):
    parts = []
    for k, v in pairs:
        if v is True:
            val = "true"
        elif v is False:
            val = "false"
        elif type(v) is Raw:
            val = v
        else:
            val = json_str(v)
        parts.append('"' + k + '":' + val)
    return "{" + ",".join(parts) + "}"


def grade_levels(rng, kind):
    """The grade levels (as numbers, -1 = PK, 0 = K) a school of this kind has."""
    if kind == "elementary":
        return list(range(-1 if rng.random() < 0.5 else 0, 6))
    if kind == "middle":
        return [6, 7, 8]
    if kind == "high":
        return [9, 10, 11, 12]
    return list(range(0, 9))  # K-8


def class_label(rng, g, style):
    """(name, abbreviation) for grade level g. style 0: exact Clever values; 1-3 spellings."""
    if g == -1:
        name = "Pre-Kindergarten"
        abbr = ["PreKindergarten", "PK", "Pre-K", "PreK"][style]
    elif g == 0:
        name = "Kindergarten"
        abbr = ["Kindergarten", "K", "KG", " kindergarten"][style]
    else:
        ordn = ORDINAL.get(g, "%dth" % g)
        name = "%s Grade" % ordn
        abbr = [str(g), ordn, "Gr %d" % g, "Grade %d" % g][style]
        if style == 3 and rng.random() < 0.3:
            abbr = "G%d" % g
    return name, abbr


def phone_number(rng):
    a = 200 + int(rng.random() * 800)
    b = 200 + int(rng.random() * 800)
    c = int(rng.random() * 10000)
    r = rng.random()
    if r < 0.015:
        return "%03d-%04d" % (b, c)            # 7 digits: not usable in Clever
    if r < 0.35:
        return "(%03d) %03d-%04d" % (a, b, c)
    if r < 0.70:
        return "%03d-%03d-%04d" % (a, b, c)
    if r < 0.80:
        return "%03d.%03d.%04d" % (a, b, c)
    if r < 0.92:
        return "%03d%03d%04d" % (a, b, c)
    return "+1 %03d %03d %04d" % (a, b, c)


def mix(q, k, seed):
    """Deterministic, well spread integer for student q's k-th subject."""
    h = (q * 2654435761 + k * 40503 + seed * 97 + 12345) & 0xFFFFFFFF
    h ^= h >> 15
    h = (h * 2246822519) & 0xFFFFFFFF
    h ^= h >> 13
    return h


# ---------------------------------------------------------------- the district


class District:
    def __init__(self, students, schools, seed):
        self.seed = seed
        self.rng = random.Random(seed)
        r = self.rng.random
        # Split the students over the schools (weights 0.5 .. 1.5, exact total).
        weights = [0.5 + r() for _ in range(schools)]
        total = sum(weights)
        sizes = [int(students * w / total) for w in weights]
        for i in range(students - sum(sizes)):
            sizes[i % schools] += 1
        self.schools = []
        kinds = ["elementary", "elementary", "elementary", "middle", "high", "k8"]
        cls_id, sem_id, t_id, st_id, stu_id, sec_id = 1100001, 1200001, 2000001, 2900001, 10000001, 5000001
        for s, n in enumerate(sizes):
            kind = kinds[int(r() * len(kinds))] if schools > 1 else "k12"
            levels = grade_levels(self.rng, kind) if kind != "k12" else list(range(-1, 13))
            style = 0 if r() < 0.45 else 1 + int(r() * 3)
            city = CITIES[int(r() * len(CITIES))]
            word = SCHOOL_WORDS[s % len(SCHOOL_WORDS)]
            suffix = {"elementary": "Elementary School", "middle": "Middle School", "high": "High School",
                      "k8": "Academy", "k12": "School"}[kind]
            name = "%s %s" % (word, suffix) if s < len(SCHOOL_WORDS) else "%s %s %d" % (word, suffix, s // len(SCHOOL_WORDS) + 1)
            # Students per grade level: near-even split, contiguous blocks.
            lw = [0.8 + 0.4 * r() for _ in levels]
            lt = sum(lw)
            counts = [int(n * w / lt) for w in lw]
            for i in range(n - sum(counts)):
                counts[i % len(counts)] += 1
            classes = []
            start = 0
            for g, cnt in zip(levels, counts):
                cstyle = style if r() < 0.85 else int(r() * 4)  # a few classes typed differently
                cname, abbr = class_label(self.rng, g, cstyle)
                m = max(1, round(cnt / 125.0)) if cnt else 0    # sections per subject
                fifth = FIFTH[int(r() * len(FIFTH))]
                classes.append(dict(id=str(cls_id), grade=g, name=cname, abbr=abbr, start=start, count=cnt,
                                    per_subject=m, sec_base=sec_id, fifth=fifth))
                cls_id += 1
                sec_id += 5 * m
                start += cnt
            teachers = max(1, round(n / 20.0))
            staff = max(1, round(n / 150.0))
            self.schools.append(dict(
                index=s, id=str(300001 + s), code=slug(word) + ["es", "ms", "hs", "k8", ""][
                    ["elementary", "middle", "high", "k8", "k12"].index(kind)] + ("" if s < len(SCHOOL_WORDS) else str(s)),
                name=name, kind=kind, city=city, n=n, classes=classes,
                sem_active=str(sem_id + 1), sem_old=str(sem_id),
                teacher_base=t_id, teachers=teachers, staff_base=st_id, staff=staff,
                student_base=stu_id))
            sem_id += 2
            t_id += teachers
            st_id += staff
            stu_id += n
        self.guardian_id = 30000001

    # -- reference records

    def school_records(self):
        r = self.rng.random
        for sc in self.schools:
            city, state, zip3 = sc["city"]
            first, last = FIRST[int(r() * len(FIRST))], LAST[int(r() * 30)]
            yield obj([("type", "qs.school"), ("id", sc["id"]), ("code", sc["code"]), ("name", sc["name"]),
                       ("number", "%04d" % (1000 + sc["index"])),
                       ("street", "%d %s" % (100 + int(r() * 9000), STREETS[int(r() * len(STREETS))])),
                       ("city", city), ("state", state), ("zip", "%03d%02d" % (zip3, int(r() * 100))),
                       ("phone", phone_number(self.rng) if r() < 0.99 else ""),
                       ("principalName", first + " " + last),
                       ("principalEmail", "%s.%s@%s.k12.example.org" % (slug(first), slug(last), sc["code"]))])

    def class_records(self):
        for sc in self.schools:
            for c in sc["classes"]:
                yield obj([("type", "qs.class"), ("id", c["id"]), ("schoolId", sc["id"]),
                           ("name", c["name"]), ("abbreviation", c["abbr"])])

    def semester_records(self):
        for sc in self.schools:
            yield obj([("type", "qs.semester"), ("id", sc["sem_old"]), ("schoolId", sc["id"]),
                       ("name", "Spring 2026"), ("startDate", "2026-01-05"), ("endDate", "2026-05-29"),
                       ("active", False)])
            yield obj([("type", "qs.semester"), ("id", sc["sem_active"]), ("schoolId", sc["id"]),
                       ("name", "Fall 2026"), ("startDate", "2026-08-24"), ("endDate", "2026-12-18"),
                       ("active", True)])

    def teacher_records(self):
        r = self.rng.random
        for sc in self.schools:
            for i in range(sc["teachers"]):
                tid = sc["teacher_base"] + i
                first, last = FIRST[int(r() * len(FIRST))], LAST[int(r() * len(LAST))]
                middle = MIDDLE[int(r() * len(MIDDLE))]
                full = " ".join(p for p in (first, middle, last) if p)
                pairs = [("type", "qs.teacher"), ("id", str(tid)), ("schoolId", sc["id"])]
                if r() < 0.01:  # known only by a full name
                    pairs.append(("fullName", full))
                else:
                    pairs += [("firstName", first), ("middleName", middle), ("lastName", last), ("fullName", full)]
                pairs += [("email", "%s.%s%d@%s.k12.example.org" % (slug(first), slug(last), tid - 2000000, sc["code"])),
                          ("teacherNumber", "T%d" % tid),
                          ("stateId", "ST%08d" % (tid * 7 % 100000000) if r() < 0.7 else ""),
                          ("title", TEACHER_TITLES[int(r() * len(TEACHER_TITLES))])]
                yield obj(pairs)

    def staff_records(self):
        r = self.rng.random
        for sc in self.schools:
            for i in range(sc["staff"]):
                sid = sc["staff_base"] + i
                first, last = FIRST[int(r() * len(FIRST))], LAST[int(r() * len(LAST))]
                title, dept = STAFF_ROLES[i % len(STAFF_ROLES)]
                yield obj([("type", "qs.staff"), ("id", str(sid)), ("schoolId", sc["id"]),
                           ("firstName", first), ("lastName", last),
                           ("email", "%s.%s%d@%s.k12.example.org" % (slug(first), slug(last), sid - 2900000, sc["code"])),
                           ("title", title), ("department", dept if r() < 0.8 else "")])

    # -- students

    def guardian(self, last, rel_table):
        r = self.rng.random
        x = r()
        for edge, rel in rel_table:
            if x < edge:
                break
        gid = str(self.guardian_id)
        self.guardian_id += 1
        first = FIRST[int(r() * len(FIRST))]
        glast = last if r() < 0.8 else LAST[int(r() * len(LAST))]
        parent = rel.strip().lower() in ("mother", "father", "mother/father", "guardian", "legal guardian")
        emergency = r() < (0.7 if parent else 0.5)
        pickup = r() < (0.95 if parent else 0.4)
        home = cell = business = ""
        y = r()
        if y < 0.45:
            cell = phone_number(self.rng)
        elif y < 0.65:
            home = phone_number(self.rng)
        elif y < 0.90:
            home, cell = phone_number(self.rng), phone_number(self.rng)
        elif y < 0.96:
            home, cell, business = phone_number(self.rng), phone_number(self.rng), phone_number(self.rng)
        elif y < 0.98:
            business = phone_number(self.rng)
        # else: no phone on file
        z = r()
        if z < 0.75:
            email = "%s.%s%s@example.com" % (slug(first), slug(glast), gid[-4:])
        elif z < 0.76:
            email = "%s.%s@example" % (slug(first), slug(glast))  # not a valid address
        else:
            email = ""
        return obj([("id", gid), ("firstName", first), ("lastName", glast), ("fullName", first + " " + glast),
                    ("relationship", rel), ("isEmergencyContact", emergency), ("isAuthorizedToPickUp", pickup),
                    ("homePhone", home), ("cellPhone", cell), ("businessPhone", business), ("email", email)])

    def student_records(self):
        r = self.rng.random
        for sc in self.schools:
            city, state, zip3 = sc["city"]
            prev = None   # (last name, guardians JSON) of the previous student, for siblings
            number = 0
            for c in sc["classes"]:
                g = c["grade"]
                birth_year = 2026 - 6 - g if g >= 0 else 2021
                for q in range(c["count"]):
                    number += 1
                    sid = sc["student_base"] + c["start"] + q
                    if prev is not None and r() < 0.12:
                        last, guardians = prev           # sibling: same family, same guardian records
                        r()
                    else:
                        last = LAST[int(r() * len(LAST))]
                        x = r()
                        k = 0 if x < 0.08 else 1 if x < 0.38 else 2 if x < 0.90 else 3
                        gl = []
                        for j in range(k):
                            gl.append(self.guardian(last, REL_FIRST_C if j == 0 else REL_MORE_C))
                        guardians = Raw("[" + ",".join(gl) + "]")
                    prev = (last, guardians)
                    first = FIRST[int(r() * len(FIRST))]
                    middle = MIDDLE[int(r() * len(MIDDLE))]
                    full = " ".join(p for p in (first, middle, last) if p)
                    x = r()
                    gender = "Male" if x < 0.485 else "Female" if x < 0.97 else "non-binary" if x < 0.98 else ""
                    day = 1 + int(r() * 365)
                    month, dom = 1, day
                    for ml in (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31):
                        if dom <= ml:
                            break
                        dom -= ml
                        month += 1
                    birth = "%04d-%02d-%02d" % (birth_year - (1 if month >= 9 else 0), month, dom)
                    email = ("%s.%s%d@students.%s.example.org" % (slug(first), slug(last), sid - 10000000, sc["code"])
                             if g >= 3 and r() < 0.8 else "")
                    x = r()
                    has_left, expelled, deleted = x < 0.012, 0.012 <= x < 0.015, 0.015 <= x < 0.02
                    pairs = [("type", "qs.student"), ("id", str(sid)), ("schoolId", sc["id"]),
                             ("studentNumber", "%s-%05d" % (sc["id"][-3:], number)),
                             ("stateId", "%010d" % (sid * 13 % 10000000000) if r() < 0.8 else "")]
                    if r() < 0.002:
                        pairs += [("fullName", full)]  # known only by a full name
                    else:
                        pairs += [("firstName", first), ("middleName", middle), ("lastName", last), ("fullName", full)]
                    pairs += [("classId", c["id"]), ("birthDate", birth), ("gender", gender), ("email", email),
                              ("street", "%d %s" % (1 + int(r() * 9999), STREETS[int(r() * len(STREETS))])),
                              ("city", city), ("state", state), ("zip", "%03d%02d" % (zip3, int(r() * 100))),
                              ("hasLeft", has_left), ("deleted", deleted), ("isExpelled", expelled),
                              ("guardians", guardians)]
                    yield obj(pairs)

    # -- sections and enrollments

    def section_records(self):
        r = self.rng.random
        for sc in self.schools:
            nt = sc["teachers"]
            k = 0
            for c in sc["classes"]:
                g = c["grade"]
                glabel = "PK" if g == -1 else "K" if g == 0 else str(g)
                for subj in range(5):
                    subject, stem = SUBJECTS[subj] if subj < 4 else c["fifth"]
                    for j in range(c["per_subject"]):
                        secid = c["sec_base"] + subj * c["per_subject"] + j
                        primary = sc["teacher_base"] + (k % nt)
                        teachers = [primary]
                        if nt > 1 and r() < 0.10:
                            co = sc["teacher_base"] + ((k + 1 + int(r() * (nt - 1))) % nt)
                            if co != primary:
                                teachers.append(co)
                        k += 1
                        letter = chr(ord("A") + j % 26) + ("" if j < 26 else str(j // 26))
                        yield obj([("type", "qs.section"), ("id", str(secid)), ("schoolId", sc["id"]),
                                   ("name", "%s %s - %s" % (stem, glabel, letter)),
                                   ("code", "%s%s-%s" % (stem[:4].upper().replace(" ", ""), glabel, letter)),
                                   ("classId", c["id"]), ("semesterId", sc["sem_active"]),
                                   ("period", str(1 + (subj + j) % 7)), ("subject", subject),
                                   ("courseName", "%s %s" % (stem, glabel)),
                                   ("courseNumber", "%s-%s" % (stem[:3].upper(), glabel)),
                                   ("teacherIds", Raw("[" + ",".join('"%d"' % t for t in teachers) + "]"))])

    def enrollment_records(self):
        seed = self.seed & 0xFFFF
        for sc in self.schools:
            head = '{"type":"qs.enrollment","schoolId":"%s","sectionId":"' % sc["id"]
            for c in sc["classes"]:
                m, base, first = c["per_subject"], c["sec_base"], sc["student_base"] + c["start"]
                for q in range(c["count"]):
                    tail = '","studentId":"%d"}' % (first + q)
                    for subj in range(5):
                        yield "%s%d%s" % (head, base + subj * m + mix(q, subj, seed) % m, tail)


def main(argv):
    class Parser(argparse.ArgumentParser):
        def error(self, message):
            self.print_usage(sys.stderr)
            sys.stderr.write("%s: error: %s\n" % (self.prog, message))
            sys.exit(64)

    p = Parser(prog="generate-district.py",
               description="Write a synthetic QuickSchools district (qs.* NDJSON) to stdout.")
    p.add_argument("--students", type=int, required=True, help="number of students (total)")
    p.add_argument("--schools", type=int, default=None,
                   help="number of schools (default: one per 1000 students, at least 1)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    a = p.parse_args(argv)
    if a.students < 0:
        p.error("--students must be 0 or more")
    schools = a.schools if a.schools is not None else max(1, round(a.students / 1000.0))
    if schools < 1:
        p.error("--schools must be 1 or more")

    d = District(a.students, schools, a.seed)
    out = sys.stdout.buffer
    buf = []
    for gen in (d.school_records, d.class_records, d.semester_records, d.teacher_records,
                d.staff_records, d.student_records, d.section_records, d.enrollment_records):
        for line in gen():
            buf.append(line)
            if len(buf) >= 4096:
                buf.append("")
                out.write("\n".join(buf).encode("utf-8"))
                buf = []
    if buf:
        buf.append("")
        out.write("\n".join(buf).encode("utf-8"))
    out.flush()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:
        # The reader went away (| head): end quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
