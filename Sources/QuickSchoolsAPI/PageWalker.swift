import RecordStream

/// Walks every page of a listing, whatever shape the API pages it in; never stops
/// silently at page one.
struct PageWalker {
  let client: APIClient
  var paging = PagingChoice()
  /// A listing longer than this many pages is a server that ignores `page`.
  static let pageLimit = 100_000

  /// Hands each page's items to `body` as the page arrives, so memory holds one page.
  ///
  /// With counts (`numberOfPages`, or `numberOfItems` and the page size) the walk reads
  /// exactly that many pages and checks the total. Without them a short page is not
  /// trusted to be the last (the server may cap pages below what was asked): the walk
  /// goes on until an empty page, or until a page starts as the one before did (a
  /// server that ignores `page` and sends the same list again; that copy is dropped).
  ///
  /// When page 2 comes back as page 1 although there is more (the counts say so, or
  /// page 1 was full), the other spellings of the page parameter are tried (PagingChoice);
  /// when none moves and the counts are known, the whole listing is asked for in one
  /// request of that many items; else the walk stops with E_QS_INCOMPLETE.
  func walk(_ request: APIRequest, listKey: [String]? = nil, _ body: ([JSONObject]) async throws -> Void) async throws {
    var page = 1
    var seen = 0
    var previousFirst: JSONObject?
    while true {
      let current = request.page(page, parameter: paging.parameter)
      let items: [JSONObject]
      var pages: Int?
      var numberOfItems: Int?
      switch try await client.get(current, listKey: listKey) {
      case .single(let object):
        // One object is the whole answer: nothing pages.
        try await body([object])
        return
      case .whole(let list):
        try await body(list)
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
          if page == 2, try await findPageParameter(request, pageOne: first) { continue }
          if page == 2, let numberOfItems {
            try await body(try await readWhole(request, numberOfItems: numberOfItems, pageOne: seen, first: first))
            return
          }
          throw StageFailure(
            .protocolError, .incomplete,
            "GET \(current.display): page \(page) starts as page \(page - 1) did: the server ignores `\(current.pageParameter)`")
        }
        previousFirst = items.first
        seen += items.count
        try await body(items)
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
        if page > 1, let first = items.first, first == previousFirst {
          // Page 1 held less or more than was asked: it was all. Exactly a page: more
          // may follow, behind a page parameter the server reads under another name.
          if page == 2, seen == request.itemsPerPage {
            if try await findPageParameter(request, pageOne: first) { continue }
            throw StageFailure(
              .protocolError, .incomplete,
              "GET \(current.display): page 2 starts as page 1 did, page 1 was full and the server gives no counts: "
                + "the listing may be longer; no page parameter (\(PagingChoice.parameters.joined(separator: ", "))) moves")
          }
          return
        }
        previousFirst = items.first
        seen += items.count
        try await body(items)
      }
      page += 1
      if page > Self.pageLimit {
        throw StageFailure(.protocolError, .incomplete, "GET \(request.path): more than \(Self.pageLimit) pages")
      }
    }
  }

  /// Page 2 asked with each other spelling of the page parameter, until one gives a
  /// page that does not start as page 1 does; that one is kept for the school.
  private func findPageParameter(_ request: APIRequest, pageOne first: JSONObject) async throws -> Bool {
    let ignored = paging.parameter
    for name in PagingChoice.parameters where name != ignored {
      guard let items = try await pageTwo(request, parameter: name) else { continue }
      if let moved = items.first, moved != first {
        paging.choose(name)
        paging.announce("page", "the API ignores `\(ignored)`; its pages move with `\(name)`, used from here on")
        return true
      }
    }
    return false
  }

  /// Page 2 with another page parameter; nil when the server refuses the parameter.
  private func pageTwo(_ request: APIRequest, parameter: String) async throws(StageFailure) -> [JSONObject]? {
    do {
      return try await client.get(request.page(2, parameter: parameter)).items
    } catch {
      if error.code == ExtractCode.http.rawValue { return nil }
      throw error
    }
  }

  /// The whole listing in one request of `numberOfItems`: the items after page 1, which
  /// was handed on already.
  private func readWhole(_ request: APIRequest, numberOfItems: Int, pageOne count: Int, first: JSONObject)
    async throws -> [JSONObject]
  {
    let whole = request.page(1, itemsPerPage: numberOfItems)
    let items = try await client.get(whole).items
    guard items.count == numberOfItems, items.first == first else {
      throw StageFailure(
        .protocolError, .incomplete,
        "GET \(request.path): the server ignores every page parameter (\(PagingChoice.parameters.joined(separator: ", "))), "
          + "and asked for all \(numberOfItems) items at once it gave \(items.count)")
    }
    paging.announce(
      "whole", "the API ignores every page parameter; \(request.path) and any other long listing are read in one request "
        + "each, as many items as the first answer counts")
    return Array(items.dropFirst(count))
  }
}
