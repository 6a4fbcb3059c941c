#!/usr/bin/env python3
"""Regenerate examples/lincoln-academy/school.ndjson, the bundled example school.

Lincoln Academy is a small private school written as the `qs.*` records that
qs-extract produces (see records.md, "QuickSchools records"). It is hand-made so
that every grade path, every row of the contact table and every phone case in
mapping-rules.md occurs at least once; the comments below name the case each
record is there for, and the tests refer to the IDs.

Usage: python3 make-school.py            # writes school.ndjson beside this script
       python3 make-school.py -o -       # writes to stdout

Standard library only; the output is deterministic (byte for byte).
"""

import json
import os
import sys

SCHOOL_ID = "300794"
FALL = "4201"     # Fall 2026, the active term
SPRING = "4200"   # Spring 2026, inactive

SCHOOL = {
    "type": "qs.school",
    "id": SCHOOL_ID,
    "code": "lincolnacademy",
    "name": "Lincoln Academy",
    "number": "1042",
    "street": "1200 Lincoln Avenue",
    "city": "Springfield",
    "state": "IL",
    "zip": "62704",
    "phone": "(555) 201-4400",
    "principalName": "Evelyn Hart",
    "principalEmail": "ehart@lincolnacademy.org",
}

# Grade levels. Abbreviation -> expected Clever grade (default mode / strict mode):
#   3101 "PK"             -> PreKindergarten (recognised spelling) / Other
#   3102 " kindergarten " -> Kindergarten (exact value, other case + spaces) / Kindergarten
#   3103 "1"              -> 1 (exact value) / 1
#   3104 "2nd"            -> 2 (recognised spelling) / Other
#   3105 "Gr 3"           -> 3 (recognised spelling) / Other
#   3106 "MAS"            -> Other, one warning naming "Mixed Age Studio" / Other
CLASSES = [
    ("3101", "Pre-Kindergarten", "PK"),
    ("3102", "Kindergarten", " kindergarten "),
    ("3103", "First Grade", "1"),
    ("3104", "Second Grade", "2nd"),
    ("3105", "Third Grade", "Gr 3"),
    ("3106", "Mixed Age Studio", "MAS"),
]
PK, K, G1, G2, G3, MAS = (c[0] for c in CLASSES)

# Inactive term first, so "the active one" cannot be confused with "the first one".
SEMESTERS = [
    (SPRING, "Spring 2026", "2026-01-05", "2026-05-29", False),
    (FALL, "Fall 2026", "2026-08-24", "2026-12-18", True),
]

# Teachers 5001-5006 are class teachers; 5007-5011 are specialists.
# 5002 has an apostrophe in lastName; 5003 is known only by fullName (no
# firstName/middleName/lastName keys at all) and is split at the last space:
# First_name "María José de la", Last_name "Cruz", with a warning.
TEACHERS = [
    dict(id="5001", firstName="Margaret", middleName="Ann", lastName="Whitfield",
         email="mwhitfield@lincolnacademy.org", teacherNumber="T1001", stateId="IL-774201", title="Ms."),
    dict(id="5002", firstName="Daniel", middleName="", lastName="O'Brien",
         email="dobrien@lincolnacademy.org", teacherNumber="T1002", stateId="IL-774202", title="Mr."),
    dict(id="5003", fullName="María José de la Cruz",
         email="mjdelacruz@lincolnacademy.org", teacherNumber="T1003", stateId="", title="Sra."),
    dict(id="5004", firstName="Priya", middleName="", lastName="Raman",
         email="praman@lincolnacademy.org", teacherNumber="T1004", stateId="IL-774204", title="Ms."),
    dict(id="5005", firstName="Thomas", middleName="Chidi", lastName="Okafor",
         email="tokafor@lincolnacademy.org", teacherNumber="T1005", stateId="IL-774205", title="Mr."),
    dict(id="5006", firstName="Élise", middleName="", lastName="Fontaine",
         email="efontaine@lincolnacademy.org", teacherNumber="T1006", stateId="", title="Mme"),
    dict(id="5007", firstName="Samuel", middleName="", lastName="Adeyemi",
         email="sadeyemi@lincolnacademy.org", teacherNumber="T2001", stateId="", title="Mr."),
    dict(id="5008", firstName="Hannah", middleName="", lastName="Lindqvist",
         email="hlindqvist@lincolnacademy.org", teacherNumber="T2002", stateId="", title="Dr."),
    dict(id="5009", firstName="Carlos", middleName="", lastName="Mendoza",
         email="cmendoza@lincolnacademy.org", teacherNumber="T2003", stateId="", title="Coach"),
    dict(id="5010", firstName="Lucía", middleName="", lastName="Ortega",
         email="lortega@lincolnacademy.org", teacherNumber="T2004", stateId="", title="Sra."),
    dict(id="5011", firstName="Kevin", middleName="", lastName="Zhao",
         email="kzhao@lincolnacademy.org", teacherNumber="T2005", stateId="", title="Mr."),
]

STAFF = [
    dict(id="6001", firstName="Janet", lastName="Alvarez", email="jalvarez@lincolnacademy.org",
         title="Office Manager", department=""),
    dict(id="6002", firstName="Robert", lastName="Kim", email="rkim@lincolnacademy.org",
         title="IT Coordinator", department="Technology"),
]


def guardian(gid, first, last, relationship, emergency, pickup,
             home="", cell="", business="", email="", full=None):
    if full is None:
        full = (first + " " + last).strip()
    return {
        "id": gid,
        "firstName": first,
        "lastName": last,
        "fullName": full,
        "relationship": relationship,
        "isEmergencyContact": emergency,
        "isAuthorizedToPickUp": pickup,
        "homePhone": home,
        "cellPhone": cell,
        "businessPhone": business,
        "email": email,
    }


# Guardians. Comment: expected Contact_relationship / Contact_type; phone used.
# Table rows: see mapping-rules.md, "Student contacts".
Y, N = True, False
G = {g["id"]: g for g in [
    # Bennett parents, shared by siblings 7001 and 7016.
    guardian("8001", "Laura", "Bennett", "Mother", N, Y, home="(555) 123-4567",
             email="laura.bennett@example.com"),                       # Parent/Family; Home 5551234567 (punctuation)
    guardian("8002", "Mark", "Bennett", "Father", Y, Y, cell="555-201-7788",
             email="mark.bennett@example.com"),                        # Parent/Emergency; Cell only
    guardian("8003", "Rachel", "Kowalski", "Mother", Y, Y, home="555-201-3001",
             cell="555-201-3002", email="rachel.kowalski@example.com"), # Parent/Emergency; Home (home wins over cell)
    guardian("8004", "Piotr", "Kowalski", "Father", N, N, business="555-908-1200",
             email="piotr.kowalski@example.com"),                      # Parent/Family; Work (business only)
    guardian("8005", "Dana", "Whitaker", "Mother/Father", N, Y, home="+1 555 123 4567",
             email="dana.whitaker@example.com"),                       # Parent/Family; Home 15551234567 (11 digits)
    guardian("8006", "Chris", "Okoro", "Mother/Father", Y, Y, cell="(555) 330-1188",
             email="chris.okoro@example.com"),                         # Parent/Emergency; Cell
    guardian("8007", "Mei", "Tanaka", " mother ", N, Y, home="555.201.4141",
             email="mei.tanaka@example.com"),                          # Parent/Family (case/space variant); Home
    guardian("8008", "Jordan", "Reyes", "MOTHER / FATHER", Y, Y, cell="5552014242",
             email="jordan.reyes@example.com"),                        # Parent/Emergency (case/space variant); Cell
    guardian("8009", "Teresa", "Alvarez", "Relative", Y, N, home="555-201-5151"),  # Other/Emergency
    guardian("8010", "Victor", "Alvarez", "Relative", N, Y, home="555-201-5152"),  # Other/Family (pickup does not matter)
    guardian("8011", "Sam", "Whitaker", "Others", N, Y, cell="555-201-6161"),      # Other/Parent/Guardian (pickup, not emergency)
    guardian("8012", "Ines", "Moreau", "Others", Y, Y, cell="555-201-6162"),       # Other/Parent/Guardian (pickup + emergency)
    guardian("8013", "Harold", "Finch", "Others", Y, N, home="555-201-6163"),      # Other/Emergency
    guardian("8014", "Gwen", "Stacy", "Others", N, N, home="555-201-6164"),        # Other/Other
    guardian("8015", "Miriam", "Goldberg", "Guardian", N, N, home="555-201-7171",
             email="miriam.goldberg@example.com"),                     # Other/Parent/Guardian
    guardian("8016", "Omar", "Haddad", "Legal Guardian", Y, Y, cell="555-201-7172",
             email="omar.haddad@example.com"),                         # Other/Parent/Guardian
    guardian("8017", "Rosa", "Hernández", "Grandmother", Y, Y, home="555-201-8181"),  # Grandparent/Emergency
    guardian("8018", "Walter", "Kim", "Grandfather", N, N, home="555-201-8182",
             email="grandpa.walt@example"),                            # Grandparent/Family; invalid email dropped
    guardian("8019", "Agnieszka", "Nowak", "Grandparent", Y, N, cell="555-201-8183"),  # Grandparent/Emergency
    guardian("8020", "Bao", "Nguyễn", "Grandparent", N, Y, home="555-201-8184"),     # Grandparent/Family
    guardian("8021", "Fiona", "O'Connor", "Aunt", Y, N, cell="555-201-9191"),        # Aunt/Uncle/Emergency
    guardian("8022", "Patrick", "O'Connor", "Uncle", N, Y, cell="555-201-9192"),     # Aunt/Uncle/Family
    guardian("8023", "Ethan", "Müller", "Brother", Y, Y, cell="555-201-9291"),       # Sibling/Emergency
    guardian("8024", "Clara", "Müller", "Sister", N, N, cell="555-201-9292"),        # Sibling/Family
    guardian("8025", "Aisha", "Haddad", "Sibling", Y, N, cell="555-201-9293"),       # Sibling/Emergency
    guardian("8026", "Nora", "Reyes", "Sibling", N, N, cell="555-201-9294"),         # Sibling/Family
    guardian("8027", "Frank", "Russo", "Neighbor", N, Y, home="555-201-3131"),     # Other/Parent/Guardian (unknown + pickup)
    guardian("8028", "Betty", "Russo", "Neighbor", Y, N, home="555-201-3132"),     # Other/Emergency (unknown, emergency only)
    guardian("8029", "Greg", "Hollis", "Neighbor", N, N, home="555-201-3133"),         # Other/Other (unknown, neither)
    guardian("8030", "Tomasz", "Nowak", "Father", N, Y,
             home="555-1234", cell="555-201-6060"),                    # Parent/Family; invalid home -> Cell 5552016060 + warning
    guardian("8031", "Linh", "Nguyễn", "Mother", Y, Y,
             home="555-0199", cell="+44 20 7946 0958", business=""),   # Parent/Emergency; no phone (7 and 12 digits) + warnings
    guardian("8032", "Alan", "Pham", "Father", N, N),                  # Parent/Family; no phone at all (all empty, no warning)
    guardian("8033", "Grace", "Adeyemi", "Mother", N, Y,
             home="201-4400", cell="12345", business="(555) 908-3300 "),  # Parent/Family; two invalid -> Work 5559083300
    guardian("8034", "", "", "Others", Y, Y, cell="555-201-4545",
             full="Dolores Ibarra-Santos"),                            # only fullName; Other/Parent/Guardian
    guardian("8035", "Bryce", "Callahan", "Nanny", Y, Y, cell="555-201-4646",
             email="bryce.callahan@example.com"),                       # Other/Parent/Guardian (unknown + both flags)
]}


def gs(*ids):
    return [dict(G[i]) for i in ids]


ADDR = [
    ("14 Maple Street", "62704"),
    ("221 Oak Park Drive", "62702"),
    ("7 Cedar Lane", "62703"),
    ("1550 West Jefferson Street", "62702"),
    ("88 Lakeshore Court", "62711"),
    ("402 South Grand Avenue", "62703"),
    ("19 Birchwood Road", "62707"),
]

# Students: (id, classId, first, middle, last, fullName-or-None, birthDate, gender, email, guardians, status)
# status: "" active, "left" hasLeft, "expelled" isExpelled.
S = [
    # --- Pre-K (3101)
    ("7001", PK, "Olivia", "Grace", "Bennett", None, "2021-03-14", "Female", "", gs("8001", "8002"), ""),
    ("7002", PK, "Liam", "", "O'Connor", None, "2021-07-02", "Male", "", gs("8021", "8022"), ""),
    ("7003", PK, "Zoë", "", "Müller", None, "2021-11-23", "Female", "", gs("8023", "8024"), ""),
    ("7004", PK, "Mateo", "", "Alvarez", None, "2021-05-09", "Male", "", gs("8009", "8010"), ""),
    ("7005", PK, "Hazel", "", "Park", None, "2021-09-30", "", "", [], ""),
    ("7006", PK, "Arjun", "", "Sharma", None, "2021-01-17", "Male", "", [], ""),
    # --- Kindergarten (3102)
    ("7007", K, "Ava", "", "Kowalski", None, "2020-04-11", "Female", "",
     gs("8003", "8004", "8003"), ""),                       # 8003 listed twice: exported once
    ("7008", K, "Noah", "James", "Whitaker", None, "2020-06-25", "Male", "", gs("8005", "8011"), ""),
    ("7009", K, "Sophia", "", "Tanaka", None, "2020-02-08", "Female", "", gs("8007"), ""),
    ("7010", K, "Ethan", "", "Reyes", None, "2020-08-19", "Male", "", gs("8008", "8026"), ""),
    ("7011", K, "Isabella", "", "D'Arcy", None, "2020-12-01", "non-binary", "", [], ""),
    ("7012", K, "Lucas", "", "Moreau", None, "2020-10-15", "Male", "", gs("8012"), ""),
    ("7013", K, "Amelia", "", "Finch", None, "2020-03-27", "Female", "", gs("8013", "8014"), ""),
    # --- Grade 1 (3103)
    ("7014", G1, "José", "Luis", "Hernández", None, "2019-05-05", "Male", "", gs("8017"), ""),
    ("7015", G1, "Maya", "", "Goldberg", None, "2019-02-30", "Female", "", gs("8015"), ""),  # unreadable date
    ("7016", G1, "Henry", "", "Bennett", None, "2019-09-12", "Male", "", gs("8002", "8001"), ""),  # sibling of 7001
    ("7017", G1, "Chloe", "", "Kim", None, "2019-07-21", "Female", "", gs("8018"), ""),
    ("7018", G1, "Daniel", "", "Okoro", None, "2019-11-03", "Male", "", gs("8006"), ""),
    ("7019", G1, "Lily", "", "Haddad", None, "2019-04-14", "X", "", gs("8016", "8025"), ""),
    ("7020", G1, "Owen", "", "Brooks", None, "", "Male", "", [], ""),                 # no birth date
    # --- Grade 2 (3104)
    ("7021", G2, "Łukasz", "", "Nowak", None, "2018-06-06", "Male",
     "lukasz.nowak@students.lincolnacademy.org", gs("8030", "8019"), ""),
    ("7022", G2, "Lan", "Thị", "Nguyễn", None, "2018-01-29", "Female",
     "lan.nguyen@students.lincolnacademy.org", gs("8031", "8020"), ""),
    ("7023", G2, "Thomas", "", "Smith, Jr.", None, "2018-10-10", "Male",
     "thomas.smith@students.lincolnacademy.org", [], ""),
    ("7024", G2, 'Robert "Bobby"', "", "Johnson", None, "2018-03-03", "Male",
     "bobby.johnson@students.lincolnacademy.org", gs("8035"), ""),
    ("7025", G2, "Emma", "", "Pham", None, "2018-08-08", "Female",
     "emma.pham@students.lincolnacademy.org", gs("8029", "8032"), ""),
    ("7026", G2, "Grace", "", "Adeyemi", None, "2018-12-24", "Female",
     "grace.adeyemi@students", gs("8033"), ""),                          # invalid student email
    ("7027", G2, "Jack", "", "Sullivan", None, "2018-05-19", "Male",
     "jack.sullivan@students.lincolnacademy.org", gs("8027"), "left"),   # hasLeft: not exported
    # --- Grade 3 (3105)
    ("7028", G3, "Charlotte", "", "Delaney", None, "2017-02-14", "Female",
     "charlotte.delaney@students.lincolnacademy.org", gs("8027", "8028"), ""),
    ("7029", G3, "", "", "", "Kenji Watanabe", "2017-07-07", "Male",
     "kenji.watanabe@students.lincolnacademy.org", gs("8034"), ""),      # only fullName
    ("7030", G3, "Aoife", "", "O'Sullivan", None, "2017-09-09", "Female",
     "aoife.osullivan@students.lincolnacademy.org", [], ""),
    ("7031", G3, "Benjamin", "", "Pham", None, "2017-11-11", "Male",
     "ben.pham@students.lincolnacademy.org", gs("8032"), ""),            # shares 8032 with 7025 (another sibling pair)
    ("7032", G3, "Harper", "", "Nguyen", None, "2017-03-22", "Prefer not to say",
     "", [], ""),                                                       # odd gender -> empty
    ("7033", G3, "Elijah", "", "Carter", None, "2017-06-30", "Male",
     "elijah.carter@students.lincolnacademy.org", gs("8014"), "expelled"),  # isExpelled: not exported
    ("7034", G3, "Nadia", "", "Petrova", None, "2017-01-05", "Female",
     "nadia.petrova@students.lincolnacademy.org", gs("8010"), ""),
    # --- Mixed Age Studio (3106)
    ("7035", MAS, "Felix", "", "Wagner", None, "2016-04-18", "Male",
     "felix.wagner@students.lincolnacademy.org", gs("8028"), ""),
    ("7036", MAS, "Saoirse", "", "McCarthy", None, "2016-08-02", "Female",
     "saoirse.mccarthy@students.lincolnacademy.org", gs("8013"), ""),
    ("7037", MAS, "Río", "", "Castillo", None, "2016-10-27", "non-binary",
     "rio.castillo@students.lincolnacademy.org", gs("8029"), ""),
    ("7038", MAS, "Oliver", "", "Bennett-Lee", None, "2016-12-12", "Male", "", [], ""),
    ("7039", MAS, "Yasmin", "", "Haddad", None, "2016-05-15", "Female", "", gs("8016"), ""),
    ("7040", MAS, "Wren", "", "Ellison", None, "sometime", "", "", gs("8011"), ""),  # unreadable date
]

# Sections. teacherIds: primary first.
#   9004 co-taught by 3; 9005 lists 5005 twice (exported once);
#   9007 lists 11 distinct teachers (first 10 kept, 5011 left out with a warning);
#   9008 has no teacher (dropped with its enrollments);
#   9009 has a free-text subject "Robotics"; 9010 is a small Spanish group;
#   9011, 9012 are in the inactive Spring 2026 term (dropped with their enrollments).
SECTIONS = [
    ("9001", PK, FALL, "Early Years Circle", "EYC-1", "1", "Homeroom/advisory",
     "Early Years Circle", "HR-PK", ["5001"]),
    ("9002", K, FALL, "Early Literacy", "ELIT-1", "2", "English/language arts",
     "Early Literacy", "ELA-K", ["5002"]),
    ("9003", G1, FALL, "Number Sense", "MATH1-A", "3", "Math",
     "Number Sense", "MATH-1", ["5003"]),
    ("9004", G2, FALL, "Life Science", "SCI2-A", "4", "Science",
     "Life Science", "SCI-2", ["5004", "5008", "5011"]),
    ("9005", G3, FALL, "Grade 3 Math", "MATH3-A", "2", "Math",
     "Grade 3 Math", "MATH-3", ["5005", "5009", "5005"]),
    ("9006", MAS, FALL, "Studio Projects: People & Places", "STU-1", "5", "Social studies",
     "Studio Projects", "SS-MAS", ["5006"]),
    ("9007", G1, FALL, "Music & Movement", "MUS-ALL", "6", "Arts and music",
     "Music & Movement", "MUS-100",
     ["5007", "5001", "5002", "5003", "5004", "5005", "5006", "5008", "5009", "5010", "5011"]),
    ("9008", G3, FALL, "Grade 3 Study Hall", "SH3", "7", "Homeroom/advisory",
     "Study Hall", "SH-3", []),
    ("9009", G3, FALL, "Robotics Lab", "ROBO-1", "8", "Robotics",
     "Robotics", "TECH-210", ["5011"]),
    ("9010", G2, FALL, "Spanish Conversation", "SPAN-2", "8", "Language",
     "Spanish I", "LANG-101", ["5010"]),
    ("9011", G1, SPRING, "Spring Reading Club", "READ-SP", "7", "English/language arts",
     "Reading Club", "ELA-150", ["5003"]),
    ("9012", G3, SPRING, "Spring Science Fair", "SCIFAIR-SP", "7", "Science",
     "Science Fair", "SCI-350", ["5005"]),
]

# Fall sections each class is enrolled in (3 to 5 each; 9008 is dropped later).
CLASS_SECTIONS = {
    PK: ["9001", "9002", "9007"],
    K: ["9001", "9002", "9003", "9007"],
    G1: ["9002", "9003", "9004", "9007"],
    G2: ["9003", "9004", "9006", "9007"],
    G3: ["9004", "9005", "9007", "9008", "9009"],
    MAS: ["9004", "9006", "9007", "9009"],
}
EXTRA_FALL = {"7021": ["9009"], "7024": ["9009"],       # two Grade 2 students in Robotics
              "7018": ["9010"], "7020": ["9010"]}       # and two in Spanish
SPRING_ENROLLMENTS = {
    "9011": ["7014", "7015", "7016", "7017"],
    "9012": ["7028", "7030", "7033", "7034"],           # 7033 is expelled as well
}


def records():
    yield SCHOOL
    for cid, name, abbr in CLASSES:
        yield {"type": "qs.class", "id": cid, "schoolId": SCHOOL_ID, "name": name, "abbreviation": abbr}
    for sid, name, start, end, active in SEMESTERS:
        yield {"type": "qs.semester", "id": sid, "schoolId": SCHOOL_ID, "name": name,
               "startDate": start, "endDate": end, "active": active}
    for t in TEACHERS:
        r = {"type": "qs.teacher", "id": t["id"], "schoolId": SCHOOL_ID}
        if "fullName" in t:
            r["fullName"] = t["fullName"]
        else:
            r["firstName"] = t["firstName"]
            r["middleName"] = t["middleName"]
            r["lastName"] = t["lastName"]
            r["fullName"] = " ".join(p for p in (t["firstName"], t["middleName"], t["lastName"]) if p)
        for k in ("email", "teacherNumber", "stateId", "title"):
            r[k] = t[k]
        yield r
    for s in STAFF:
        r = {"type": "qs.staff", "id": s["id"], "schoolId": SCHOOL_ID}
        for k in ("firstName", "lastName", "email", "title", "department"):
            r[k] = s[k]
        yield r
    for n, (sid, cid, first, middle, last, full, dob, gender, email, guardians, status) in enumerate(S):
        street, zipcode = ADDR[n % len(ADDR)]
        if full is None:
            full = " ".join(p for p in (first, middle, last) if p)
        yield {
            "type": "qs.student", "id": sid, "schoolId": SCHOOL_ID,
            "studentNumber": "LA-%04d" % (n + 1), "stateId": "" if n % 5 == 4 else "IL%08d" % (31400000 + n * 37),
            "firstName": first, "middleName": middle, "lastName": last, "fullName": full,
            "classId": cid, "birthDate": dob, "gender": gender, "email": email,
            "street": street, "city": "Springfield", "state": "IL", "zip": zipcode,
            "hasLeft": status == "left", "deleted": False, "isExpelled": status == "expelled",
            "guardians": guardians,
        }
    for (sid, cid, sem, name, code, period, subject, course, number, teachers) in SECTIONS:
        yield {"type": "qs.section", "id": sid, "schoolId": SCHOOL_ID, "name": name, "code": code,
               "classId": cid, "semesterId": sem, "period": period, "subject": subject,
               "courseName": course, "courseNumber": number, "teacherIds": teachers}
    # Enrollments: section by section (as /sectionenrollments/{id} returns them).
    by_section = {}
    for (sid, cid, *_rest) in S:
        for sec in CLASS_SECTIONS[cid] + EXTRA_FALL.get(sid, []):
            by_section.setdefault(sec, []).append(sid)
    by_section.update(SPRING_ENROLLMENTS)
    for (sec, *_rest) in SECTIONS:
        for stu in by_section.get(sec, []):
            yield {"type": "qs.enrollment", "schoolId": SCHOOL_ID, "sectionId": sec, "studentId": stu}


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "school.ndjson")
    if len(sys.argv) == 3 and sys.argv[1] == "-o":
        out = sys.argv[2]
    elif len(sys.argv) != 1:
        sys.stderr.write("usage: make-school.py [-o FILE|-]\n")
        return 64
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records())
    data = text.encode("utf-8")
    if out == "-":
        sys.stdout.buffer.write(data)
    else:
        with open(out, "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
