import RecordStream

/// Reads the enrollments of many sections, several requests in flight, and hands them
/// on in the sections' order, so the output does not depend on which answer came first.
struct SectionEnrollments {
  let client: APIClient
  let paging: PagingChoice
  let perPage: Int
  let concurrency: Int

  func each(_ sectionIds: [String], _ body: (String, [JSONObject]) throws -> Void) async throws {
    let client = self.client
    let paging = self.paging
    let perPage = self.perPage
    let inFlightLimit = max(1, concurrency)
    // Answers that came early wait here; starting stops while too many wait, so memory
    // stays bounded even when one section is slow.
    let aheadLimit = inFlightLimit * 4
    try await withThrowingTaskGroup(of: (Int, [JSONObject]).self) { group in
      var next = 0
      var nextToHand = 0
      var inFlight = 0
      var arrived: [Int: [JSONObject]] = [:]

      func start() {
        while inFlight < inFlightLimit, next < sectionIds.count, next < nextToHand + aheadLimit {
          let index = next
          let request = APIRequest(path: "/sectionenrollments/\(sectionIds[index])", page: 1, itemsPerPage: perPage)
          group.addTask {
            var students: [JSONObject] = []
            try await PageWalker(client: client, paging: paging).walk(request, listKey: APIFields.enrolledStudents) {
              students.append(contentsOf: $0)
            }
            return (index, students)
          }
          next += 1
          inFlight += 1
        }
      }

      start()
      while let (index, students) = try await group.next() {
        inFlight -= 1
        arrived[index] = students
        while let ready = arrived.removeValue(forKey: nextToHand) {
          try body(sectionIds[nextToHand], ready)
          nextToHand += 1
        }
        start()
      }
    }
  }
}
