# Makes a second school from the example school's extract: other school, people and
# section IDs, the same grade-level and term IDs (as two real schools may have), and the
# other term active, with the sections in it. Used by ComposedStreamTests.
def r: if . == null or . == "" then . else "R" + . end;
if .type == "extract" then .schools = ["roosevelt"]
elif .type == "qs.school" then .id = "400100" | .code = "roosevelt" | .name = "Roosevelt Middle"
elif .type == "qs.semester" then .schoolId = "400100" | .active = (.active | not)
else
  (if has("schoolId") then .schoolId = "400100" else . end)
  | (if .type == "qs.teacher" or .type == "qs.student" or .type == "qs.section" then .id |= r | (if has("teacherNumber") then .teacherNumber |= r else . end) | (if has("studentNumber") then .studentNumber |= r else . end) | (if has("stateId") then .stateId |= r else . end) else . end)
  | (if .type == "qs.student" then .guardians |= map(.id |= r) else . end)
  | (if .type == "qs.section" then .teacherIds |= map(r) | .semesterId |= (if . == "4201" then "4200" else "4201" end) else . end)
  | (if .type == "qs.enrollment" then .sectionId |= r | .studentId |= r else . end)
end
