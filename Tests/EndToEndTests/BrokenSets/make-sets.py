#!/usr/bin/env python3
"""Makes the broken Clever CSV sets of BrokenSetTests from one small valid base set.

    swift build && .build/debug/clever-map examples/lincoln-academy/school.ndjson \
      | .build/debug/clever-csv -o /tmp/good
    python3 Tests/EndToEndTests/BrokenSets/make-sets.py /tmp/good Tests/EndToEndTests/BrokenSets

Usage: make-sets.py GOOD_DIR OUT_DIR. GOOD_DIR is the example school's set; the base keeps its school, teachers 5001-5004, students
7001-7010 (17 rows with their contacts), sections 9001-9003, 12 enrollments and the two
staff members. Each set is the base with one defect, in a directory named after the
code it must produce, with `expected-codes.txt`: the exact multiset of codes that
`clever-validate --all` must report for it (one per line, sorted), judged from
clever-format.md, not copied from the tool's output.
"""
import copy
import csv
import io
import os
import shutil
import sys

FILES = ["schools", "teachers", "students", "sections", "enrollments", "staff"]


def load_base(good):
    base = {}
    for name in FILES:
        with open(os.path.join(good, name + ".csv"), newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        base[name] = {"header": rows[0], "rows": rows[1:]}
    keep = {
        "teachers": lambda r: r["Teacher_id"] in {"5001", "5002", "5003", "5004"},
        "students": lambda r: 7001 <= int(r["Student_id"]) <= 7010,
        "sections": lambda r: r["Section_id"] in {"9001", "9002", "9003"},
        "enrollments": lambda r: (r["Section_id"], r["Student_id"]) in ENROLLMENTS,
    }
    for name, test in keep.items():
        t = base[name]
        t["rows"] = [row for row in t["rows"] if test(dict(zip(t["header"], row)))]
    # Section 9003 gets a co-teacher, so the base uses a Teacher_N_id column.
    put(base, "sections", {"Section_id": "9003"}, "Teacher_2_id", "5004")
    return base


ENROLLMENTS = (
    {("9001", s) for s in ["7001", "7002", "7003", "7004", "7005"]}
    | {("9002", s) for s in ["7006", "7007", "7008", "7009", "7010"]}
    | {("9003", s) for s in ["7007", "7008"]}
)


def rows(s, file, match):
    t = s[file]
    return [row for row in t["rows"] if all(row[t["header"].index(k)] == v for k, v in match.items())]


def put(s, file, match, column, value):
    found = rows(s, file, match)
    assert found, (file, match)
    for row in found:
        row[s[file]["header"].index(column)] = value


def put_first(s, file, match, column, value):
    rows(s, file, match)[0][s[file]["header"].index(column)] = value


def drop(s, file, match):
    t = s[file]
    doomed = rows(s, file, match)
    assert doomed, (file, match)
    t["rows"] = [row for row in t["rows"] if not any(row is d for d in doomed)]


def add(s, file, values):
    t = s[file]
    t["rows"].append([values.get(column, "") for column in t["header"]])


def copy_row(s, file, match, **changes):
    t = s[file]
    row = list(rows(s, file, match)[0])
    for column, value in changes.items():
        row[t["header"].index(column)] = value
    t["rows"].append(row)


def drop_column(s, file, column):
    t = s[file]
    i = t["header"].index(column)
    t["header"].pop(i)
    for row in t["rows"]:
        row.pop(i)


def add_column(s, file, name, value=""):
    t = s[file]
    t["header"].append(name)
    for row in t["rows"]:
        row.append(value)


def encode(t, newline="\r\n"):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(t["header"])
    writer.writerows(t["rows"])
    return out.getvalue().encode("utf-8")


SCHOOL2 = {"School_id": "300795", "School_name": "Lincoln Academy Upper School", "School_number": "1043"}

SETS = []


def defect(name, expected):
    """Registers the function below as the set `name`; it edits `s` (the base's tables)
    and may return {file: bytes or None} to replace a file's bytes or remove it."""
    def register(function):
        SETS.append((name, sorted(expected), function))
        return function
    return register


E = {"enroll_9001": 5, "enroll_9002": 5, "enroll_9003": 2}


# --- Valid sets: nothing to report. ---

@defect("valid-base", [])
def _(s):
    pass


@defect("valid-bom-lf-lower-case-headers", [])
def _(s):
    out = {}
    for name in FILES:
        t = s[name]
        t["header"] = [h.lower() for h in t["header"]]
        out[name] = b"\xef\xbb\xbf" + encode(t, "\n")
    return out


@defect("valid-columns-reordered-quoted-values-ext-columns", [])
def _(s):
    for name in FILES:
        t = s[name]
        order = list(reversed(range(len(t["header"]))))
        t["header"] = [t["header"][i] for i in order]
        t["rows"] = [[row[i] for i in order] for row in t["rows"]]
    put(s, "schools", {}, "School_address", "1200 Lincoln Avenue, Suite 2")
    put(s, "sections", {"Section_id": "9001"}, "Course_description", 'Circle time: "hello" song,\r\nstories')
    add_column(s, "students", "ext.Homeroom", "Room 4")
    add_column(s, "staff", "EXT.badge", "B-1")


@defect("valid-teacher-and-staff-at-two-schools", [])
def _(s):
    # A teacher is listed once and attached to the other school's sections through
    # sections.csv; staff have one row per school; staff may be at the district office.
    add(s, "schools", SCHOOL2)
    add(s, "students", {"School_id": "300795", "Student_id": "7101", "Last_name": "Ito", "First_name": "Ren"})
    add(s, "sections", {"School_id": "300795", "Section_id": "9101", "Teacher_id": "5001", "Name": "Upper Math"})
    add(s, "enrollments", {"School_id": "300795", "Section_id": "9101", "Student_id": "7101"})
    copy_row(s, "staff", {"Staff_id": "6002"}, School_id="300795")
    add(s, "staff", {"School_id": "DEFAULT_DISTRICT_OFFICE", "Staff_id": "6003", "Staff_email": "super@lincolnacademy.org",
                     "First_name": "Ada", "Last_name": "Lovelace", "Role": "stl"})


# --- One row's own values. ---

@defect("E_REQUIRED-student-no-last-name", ["E_REQUIRED", "E_LOST"])
def _(s):
    put(s, "students", {"Student_id": "7005"}, "Last_name", "")


@defect("E_REQUIRED-staff-no-email", ["E_REQUIRED"])
def _(s):
    put(s, "staff", {"Staff_id": "6001"}, "Staff_email", "")


@defect("W_GRADE-fifth-grade-word", ["W_GRADE"])
def _(s):
    # Off the documented list, but Clever does not document dropping the row: the
    # student and its enrollment stand (issue 13: warnings do not cascade).
    put(s, "students", {"Student_id": "7006"}, "Grade", "fifth")


@defect("valid-school-grade-range", [])
def _(s):
    # Not a defect: a range means its lower bound (clever-format.md section 4).
    put(s, "schools", {}, "High_grade", "1-3")


@defect("W_DATE-dob-february-30", ["W_DATE"])
def _(s):
    put(s, "students", {"Student_id": "7005"}, "DOB", "02/30/2024")


@defect("W_DATE-term-end-iso", ["W_DATE"])
def _(s):
    put(s, "sections", {"Section_id": "9003"}, "Term_end", "2026-12-18")


@defect("E_EMAIL-staff-email-no-tld", ["E_EMAIL"])
def _(s):
    # Staff_email is required: Clever knows staff by it, so an unusable one drops the row.
    put(s, "staff", {"Staff_id": "6002"}, "Staff_email", "rkim@lincolnacademy")


@defect("W_PHONE-contact-phone-short", ["W_PHONE"])
def _(s):
    # Seven digits have no obvious documented form; nothing is documented as dropped.
    put_first(s, "students", {"Student_id": "7001"}, "Contact_phone", "555-1234")


@defect("W_FORMAT-contact-phone-punctuated", ["W_FORMAT"])
def _(s):
    # As Clever's own demo files write phones: 5551234567 is the documented form.
    put_first(s, "students", {"Student_id": "7001"}, "Contact_phone", "(555) 123-4567")


@defect("W_ZIP-student-zip-four-digits", ["W_ZIP"])
def _(s):
    put(s, "students", {"Student_id": "7006"}, "Student_zip", "6270")


@defect("W_STATE-school-state-spelled-out", ["W_STATE"])
def _(s):
    # A warning only: nothing of the set is lost with the school (it was 38 E_LOST).
    put(s, "schools", {}, "School_state", "Illinois")


@defect("W_FORMAT-gender-male", ["W_FORMAT"])
def _(s):
    # "Male" has one documented form, M: a warning, and the student stands.
    put(s, "students", {"Student_id": "7009"}, "Gender", "Male")


@defect("W_MISSING_COLUMN-school-number", ["W_MISSING_COLUMN"])
def _(s):
    # Clever's demo district's schools.csv has no School_number, and Clever processes it.
    drop_column(s, "schools", "School_number")


@defect("W_FORMAT-contact-type-mother", ["W_FORMAT"])
def _(s):
    # Clever's demo files write relationships as contact types; Clever processes them.
    put_first(s, "students", {"Student_id": "7010"}, "Contact_type", "Mother")


@defect("W_VALUE-section-subject-robotics", ["W_VALUE"])
def _(s):
    put(s, "sections", {"Section_id": "9003"}, "Subject", "Robotics")


@defect("W_VALUE-staff-role-admin", ["W_VALUE"])
def _(s):
    put(s, "staff", {"Staff_id": "6002"}, "Role", "Admin")


@defect("W_VALUE-home-language-off-the-list", ["W_VALUE"] * 2)
def _(s):
    # Clever's API names 152 languages, compared without regard to case: "spanish" is
    # one of them, "Klingon" is not (reported
    # on both of 7003's rows, one per contact).
    put(s, "students", {"Student_id": "7002"}, "Home_language", "spanish")
    put(s, "students", {"Student_id": "7003"}, "Home_language", "Klingon")


@defect("E_CONTACT_INCOMPLETE-contact-without-type", ["E_CONTACT_INCOMPLETE"])
def _(s):
    put_first(s, "students", {"Student_id": "7002"}, "Contact_type", "")


@defect("E_CONTACT_INCOMPLETE-only-contact-without-name", ["E_CONTACT_INCOMPLETE", "E_LOST"])
def _(s):
    # 7009's only contact row is rejected, so the student is, and its enrollment is lost.
    put(s, "students", {"Student_id": "7009"}, "Contact_name", "")


# --- Across rows and files. ---

@defect("E_DUPLICATE_ID-two-sections-one-id", ["E_DUPLICATE_ID"])
def _(s):
    copy_row(s, "sections", {"Section_id": "9002"}, Name="Early Literacy (copy)", Teacher_id="5001")


@defect("E_DUPLICATE_ID-staff-twice-at-one-school", ["E_DUPLICATE_ID"])
def _(s):
    copy_row(s, "staff", {"Staff_id": "6001"}, Title="Registrar")


@defect("E_DUPLICATE_NUMBER-two-students-one-number", ["E_DUPLICATE_NUMBER", "E_LOST"])
def _(s):
    put(s, "students", {"Student_id": "7006"}, "Student_number", "LA-0005")


@defect("E_DUPLICATE_NUMBER-two-teachers-one-number", ["E_DUPLICATE_NUMBER"] + ["E_LOST"] * (1 + 2))
def _(s):
    # 5004 is rejected; section 9003 names it as co-teacher and is lost with its enrollments.
    put(s, "teachers", {"Teacher_id": "5004"}, "Teacher_number", "T1001")


@defect("E_DUPLICATE_EMAIL-staff-one-email-other-case", ["E_DUPLICATE_EMAIL"])
def _(s):
    put(s, "staff", {"Staff_id": "6002"}, "Staff_email", "JAlvarez@LincolnAcademy.org")


@defect("E_TEACHER_TWO_SCHOOLS-teacher-at-two-schools", ["E_TEACHER_TWO_SCHOOLS"])
def _(s):
    add(s, "schools", SCHOOL2)
    copy_row(s, "teachers", {"Teacher_id": "5002"}, School_id="300795")


@defect("E_CONTACT_ROWS_DIFFER-contact-rows-differ", ["E_CONTACT_ROWS_DIFFER"])
def _(s):
    rows(s, "students", {"Student_id": "7003"})[1][s["students"]["header"].index("Grade")] = "Kindergarten"


@defect("E_CONTACT_ROWS_DIFFER-two-students-one-id", ["E_CONTACT_ROWS_DIFFER"])
def _(s):
    # In students.csv a repeated Student_id is a contact row; a different student with
    # the same ID differs from the first row.
    copy_row(s, "students", {"Student_id": "7006"}, Student_id="7005", Student_number="LA-0099")


@defect("E_UNKNOWN_SCHOOL-staff-at-missing-school", ["E_UNKNOWN_SCHOOL"])
def _(s):
    put(s, "staff", {"Staff_id": "6002"}, "School_id", "300799")


@defect("E_UNKNOWN_SCHOOL-enrollment-at-missing-school", ["E_UNKNOWN_SCHOOL"])
def _(s):
    put(s, "enrollments", {"Section_id": "9002", "Student_id": "7010"}, "School_id", "300799")


@defect("E_UNKNOWN_TEACHER-section-names-missing-teacher", ["E_UNKNOWN_TEACHER"] + ["E_LOST"] * 2)
def _(s):
    # Clever rejects the section; its two enrollments are lost with it.
    put(s, "sections", {"Section_id": "9003"}, "Teacher_id", "5099")


@defect("E_UNKNOWN_SECTION-enrollment-names-missing-section", ["E_UNKNOWN_SECTION"])
def _(s):
    add(s, "enrollments", {"School_id": "300794", "Section_id": "9099", "Student_id": "7001"})


@defect("E_UNKNOWN_STUDENT-enrollment-names-missing-student", ["E_UNKNOWN_STUDENT"])
def _(s):
    add(s, "enrollments", {"School_id": "300794", "Section_id": "9001", "Student_id": "7099"})


@defect("E_LOST-enrollment-of-section-without-teacher", ["E_REQUIRED"] + ["E_LOST"] * 2)
def _(s):
    put(s, "sections", {"Section_id": "9003"}, "Teacher_id", "")
    put(s, "sections", {"Section_id": "9003"}, "Teacher_2_id", "")


@defect("W_EMAIL-teacher-email-with-a-space", ["W_EMAIL"])
def _(s):
    # Teacher_email is optional: Clever documents no drop for a bad one, so the teacher,
    # its section and the section's enrollments stand (this was an E_LOST set).
    put(s, "teachers", {"Teacher_id": "5002"}, "Teacher_email", "dobrien at lincolnacademy.org")


@defect("E_LOST-section-of-teacher-without-first-name", ["E_REQUIRED"] + ["E_LOST"] * (1 + 5))
def _(s):
    # The teacher is dropped; its section 9002 and the section's 5 enrollments with it.
    put(s, "teachers", {"Teacher_id": "5002"}, "First_name", "")


@defect("E_LOST-enrollment-of-student-at-missing-school", ["E_UNKNOWN_SCHOOL", "E_LOST"])
def _(s):
    # Clever rejects the student (its school is not in schools.csv); its enrollment is lost.
    put(s, "students", {"Student_id": "7005"}, "School_id", "300799")


@defect("E_LOST-enrollment-of-student-at-district-office", ["E_UNKNOWN_SCHOOL", "E_LOST"])
def _(s):
    # DEFAULT_DISTRICT_OFFICE is for staff only.
    put(s, "students", {"Student_id": "7006"}, "School_id", "DEFAULT_DISTRICT_OFFICE")


# --- CSV files. ---

@defect("E_MISSING_FILE-no-enrollments", ["E_MISSING_FILE"])
def _(s):
    return {"enrollments": None}


@defect("E_MISSING_FILE-upper-case-Schools", ["E_MISSING_FILE"])
def _(s):
    return {"schools": None, "Schools": encode(s["schools"])}


@defect("E_MISSING_COLUMN-staff-no-last-name", ["E_MISSING_COLUMN"] + ["E_REQUIRED"] * 2)
def _(s):
    drop_column(s, "staff", "Last_name")


@defect("E_DUPLICATE_COLUMN-staff-title-twice", ["E_DUPLICATE_COLUMN"])
def _(s):
    add_column(s, "staff", "title", "Ignored")


@defect("E_ROW_FIELDS-ragged-staff-row", ["E_ROW_FIELDS"])
def _(s):
    rows(s, "staff", {"Staff_id": "6002"})[0].pop()


@defect("E_ROW_FIELDS-student-row-with-extra-field", ["E_ROW_FIELDS", "E_UNKNOWN_STUDENT"])
def _(s):
    # Clever cannot read 7005's row, so the enrollment names a student it does not have.
    rows(s, "students", {"Student_id": "7005"})[0].append("extra")


@defect("E_EMPTY_FILE-empty-schools", ["E_EMPTY_FILE"] + ["E_UNKNOWN_SCHOOL"] * (4 + 17 + 3 + 12 + 2))
def _(s):
    # Zero bytes: no school, so every row names a school schools.csv does not have.
    return {"schools": b""}


@defect("E_EMPTY_FILE-empty-staff", ["E_EMPTY_FILE"])
def _(s):
    return {"staff": b""}


@defect("E_CSV-unbalanced-quote", ["E_CSV"])
def _(s):
    data = encode(s["staff"]).replace(b",Robert,", b',"Robert,')
    return {"staff": data}


@defect("E_CSV-quote-inside-unquoted-field", ["E_CSV"])
def _(s):
    return {"staff": encode(s["staff"]).replace(b",Robert,", b',Rob "Bobby" ert,')}


@defect("E_CSV-nul-byte", ["E_CSV"])
def _(s):
    return {"staff": encode(s["staff"]).replace(b",Robert,", b",Rob\x00ert,")}


@defect("E_CSV-invalid-utf8", ["E_CSV"])
def _(s):
    # Latin-1, not UTF-8.
    return {"staff": encode(s["staff"]).replace(b",Robert,", b",Andr\xe9,")}


@defect("E_CSV-invalid-utf8-in-teachers", ["E_CSV"])
def _(s):
    # The rest of teachers.csv is not read; what is not read cannot be called unknown.
    data = encode(s["teachers"]).replace("María".encode(), "María".encode("latin-1"))
    return {"teachers": data}


@defect("E_CONTROL_CHAR-staff-name-with-vertical-tab", ["E_CONTROL_CHAR"])
def _(s):
    # A control character that is no line break: other tools cut the value or refuse it.
    put(s, "staff", {"First_name": "Robert"}, "First_name", "Rob\x0bert")


# --- Warnings. ---

@defect("W_EMPTY_SECTION-section-without-enrollments", ["W_EMPTY_SECTION"])
def _(s):
    drop(s, "enrollments", {"Section_id": "9003"})


@defect("W_DUPLICATE_COTEACHER-co-teacher-repeat", ["W_DUPLICATE_COTEACHER"])
def _(s):
    put(s, "sections", {"Section_id": "9003"}, "Teacher_3_id", "5004")


@defect("W_DUPLICATE_COTEACHER-primary-again-as-co-teacher", ["W_DUPLICATE_COTEACHER"])
def _(s):
    put(s, "sections", {"Section_id": "9001"}, "Teacher_4_id", "5001")


@defect("W_LINE_ENDINGS-students-bare-cr", ["W_LINE_ENDINGS"])
def _(s):
    # As some of Clever's demo files end their lines: Clever documents CRLF.
    return {"students": encode(s["students"], newline="\r")}


@defect("W_UNKNOWN_COLUMN-unknown-column", ["W_UNKNOWN_COLUMN"])
def _(s):
    add_column(s, "staff", "Nickname", "J")


@defect("W_UNKNOWN_COLUMN-extension-column-in-enrollments", ["W_UNKNOWN_COLUMN"])
def _(s):
    add_column(s, "enrollments", "ext.note", "x")


@defect("W_NO_ROWS-header-only-students", ["W_NO_ROWS"] + ["E_UNKNOWN_STUDENT"] * 12 + ["W_EMPTY_SECTION"] * 3)
def _(s):
    # Every enrollment names a student Clever does not have, so every section is empty.
    s["students"]["rows"] = []


@defect("W_NO_ROWS-header-only-enrollments", ["W_NO_ROWS"] + ["W_EMPTY_SECTION"] * 3)
def _(s):
    s["enrollments"]["rows"] = []


def main():
    good, out = sys.argv[1], sys.argv[2]
    base = load_base(good)
    names = [name for name, _, _ in SETS]
    assert len(names) == len(set(names))
    for name, expected, function in SETS:
        s = copy.deepcopy(base)
        replaced = function(s) or {}
        directory = os.path.join(out, name)
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
        for file in FILES + [f for f in replaced if f not in FILES]:
            data = replaced[file] if file in replaced else encode(s[file])
            if data is None:
                continue
            with open(os.path.join(directory, file + ".csv"), "wb") as f:
                f.write(data)
        with open(os.path.join(directory, "expected-codes.txt"), "w") as f:
            f.write("".join(code + "\n" for code in expected))
    print(f"{len(SETS)} sets in {out}")


main()
