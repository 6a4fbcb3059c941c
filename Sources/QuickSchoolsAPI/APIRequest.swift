/// One GET of the QuickSchools API, without its key: the key is added only by the
/// transport that sends it, so nothing that prints a request can print the key.
public struct APIRequest: Sendable {
  /// The path under the base URL, e.g. `/students` or `/sectionenrollments/9001`.
  public let path: String
  /// Query items in the order sent (never `apiKey`).
  public let query: [(name: String, value: String)]
  /// The page asked for (1-based), or nil for a single object.
  public let page: Int?
  public let itemsPerPage: Int
  /// The query parameter that carries the page: `page` unless the API ignores it and
  /// another spelling moves (PagingChoice).
  public let pageParameter: String

  public init(path: String, query: [(name: String, value: String)] = [], page: Int? = nil, itemsPerPage: Int = 1000,
              pageParameter: String = "page") {
    self.path = path
    self.query = query
    self.page = page
    self.itemsPerPage = itemsPerPage
    self.pageParameter = pageParameter
  }

  /// Query items with the paging ones, as sent.
  public var fullQuery: [(name: String, value: String)] {
    guard let page else { return query }
    return query + [("itemsPerPage", String(itemsPerPage)), (pageParameter, String(page))]
  }

  /// The same request for another page, page size or page parameter.
  func page(_ number: Int, itemsPerPage size: Int? = nil, parameter: String? = nil) -> APIRequest {
    APIRequest(path: path, query: query, page: number, itemsPerPage: size ?? itemsPerPage,
               pageParameter: parameter ?? pageParameter)
  }

  /// How messages name it: path and query, never the key.
  public var display: String {
    let items = fullQuery.map { "\($0.name)=\($0.value)" }
    return items.isEmpty ? path : path + "?" + items.joined(separator: "&")
  }

  /// The file a saved dump keeps its response in, relative to the school's folder:
  /// `students.page-2.json`, `sectionenrollments/9001.page-1.json`, `school.json`.
  /// Other query items are fixed by the options the manifest records.
  public var dumpName: String {
    let base = String(path.drop(while: { $0 == "/" }))
    return page.map { "\(base).page-\($0).json" } ?? "\(base).json"
  }
}
