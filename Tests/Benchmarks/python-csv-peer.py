#!/usr/bin/env python3
"""A named peer for `clever-csv write`: Python's json and csv modules doing the same job.

    python3 python-csv-peer.py OUT_DIR < clever.ndjson

Reads Clever records (roster-records(5)) and writes schools.csv, students.csv (one row
per contact), teachers.csv, sections.csv, enrollments.csv and staff.csv with the header
spellings of clever-format.md, CRLF line ends and minimal quoting, the way clever-csv
does, without its checks and without its atomic swap: the least the job takes in
Python, for the benchmark's ratio. Other record types are ignored.
"""

import csv
import json
import os
import sys

CONTACTS = ["Contact_relationship", "Contact_type", "Contact_name", "Contact_phone", "Contact_phone_type",
            "Contact_email", "Contact_sis_id"]
COLUMNS = {
    "schools": ["School_id", "School_name", "School_number", "State_id", "Low_grade", "High_grade", "Principal",
                "Principal_email", "School_address", "School_city", "School_state", "School_zip", "School_phone"],
    "students": ["School_id", "Student_id", "Student_number", "State_id", "Last_name", "Middle_name", "First_name",
                 "Grade", "Gender", "Graduation_year", "DOB", "Race", "Hispanic_Latino", "Home_language", "Ell_status",
                 "Frl_status", "IEP_status", "Student_street", "Student_city", "Student_state", "Student_zip",
                 "Student_email"] + CONTACTS + ["Username", "Password", "Unweighted_gpa", "Weighted_gpa"],
    "teachers": ["School_id", "Teacher_id", "Teacher_number", "State_teacher_id", "Teacher_email", "First_name",
                 "Middle_name", "Last_name", "Title", "Username", "Password"],
    "sections": ["School_id", "Section_id", "Teacher_id"] + ["Teacher_%d_id" % i for i in range(2, 11)]
    + ["Name", "Section_number", "Grade", "Course_name", "Course_number", "Course_description", "Period", "Subject",
       "Term_name", "Term_start", "Term_end"],
    "enrollments": ["School_id", "Section_id", "Student_id"],
    "staff": ["School_id", "Staff_id", "Staff_email", "First_name", "Last_name", "Department", "Title", "Username",
              "Password", "Role"],
}
FILES = {"clever.school": "schools", "clever.student": "students", "clever.teacher": "teachers",
         "clever.section": "sections", "clever.enrollment": "enrollments", "clever.staff": "staff"}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    handles, writers = {}, {}
    for name, columns in COLUMNS.items():
        handles[name] = open(os.path.join(out, name + ".csv"), "w", newline="", encoding="utf-8")
        writers[name] = csv.writer(handles[name], lineterminator="\r\n")
        writers[name].writerow(columns)
    for line in sys.stdin.buffer:
        record = json.loads(line)
        name = FILES.get(record.get("type"))
        if name is None:
            continue
        columns = COLUMNS[name]
        if name == "students":
            for contact in record.get("contacts") or [{}]:
                writers[name].writerow([contact.get(c, "") if c in CONTACTS else record.get(c, "") for c in columns])
        else:
            writers[name].writerow([record.get(c, "") for c in columns])
    for handle in handles.values():
        handle.close()


main()
