import RecordStream

/// Walks every page of a listing, whatever shape the API pages it in; never stops
/// silently at page one.
struct PageWalker {
  let client: APIClient
  /// A listing longer than this many pages is a server that ignores `page`.
  static let pageLimit = 100_000

  /// Hands each page's items to `body` as the page arrives, so memory holds one page.
  ///
  /// With counts (`numberOfPages`, or `numberOfItems` and the page size) the walk reads
  /// exactly that many pages and checks the total. Without them a short page is not
  /// trusted to be the last (the server may cap pages below what was asked): the walk
  /// goes on until an empty page, or until a page starts as the one before did (a
  /// server that ignores `page` and sends the same list again; that copy is dropped).
  func walk(_ request: APIRequest, listKey: [String]? = nil, _ body: ([JSONObject]) throws -> Void) async throws {
    var page = 1
    var seen = 0
    var previousFirst: JSONObject?
    while true {
      let current = request.page(page)
      let items: [JSONObject]
      var pages: Int?
      var numberOfItems: Int?
      switch try await client.get(current, listKey: listKey) {
      case .single(let object):
        // One object is the whole answer: nothing pages.
        try body([object])
        return
      case .whole(let list):
        try body(list)
        return
      case .array(let list):
        items = list
      case .paged(let list, let perPage, let numberOfPages, let total):
        items = list
        numberOfItems = total
        let size = max(1, perPage ?? request.itemsPerPage)
        pages = numberOfPages ?? total.map { max(1, ($0 + size - 1) / size) }
      }

      if let pages {
        if page > 1, let first = items.first, first == previousFirst {
          throw StageFailure(
            .protocolError, .incomplete,
            "GET \(current.display): page \(page) starts as page \(page - 1) did: the server ignores `page`")
        }
        previousFirst = items.first
        seen += items.count
        try body(items)
        if page >= pages {
          if let numberOfItems, seen != numberOfItems {
            throw StageFailure(
              .protocolError, .incomplete,
              "GET \(request.path): the server counted \(numberOfItems) items but its \(page) pages held \(seen); "
                + "did the roster change during the extract? Run it again")
          }
          return
        }
        if items.isEmpty {
          throw StageFailure(
            .protocolError, .incomplete, "GET \(current.display): an empty page \(page) of \(pages); the listing ended early")
        }
      } else {
        if items.isEmpty { return }
        if page > 1, items.first == previousFirst { return }
        previousFirst = items.first
        seen += items.count
        try body(items)
      }
      page += 1
      if page > Self.pageLimit {
        throw StageFailure(.protocolError, .incomplete, "GET \(request.path): more than \(Self.pageLimit) pages")
      }
    }
  }
}
