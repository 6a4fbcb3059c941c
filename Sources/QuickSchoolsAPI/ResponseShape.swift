import RecordStream

/// One response body, read into the objects it lists.
///
/// The API answers in four shapes (quickschools-source.md): a paged object `{"list":
/// [...], "itemsPerPage", "page", "numberOfPages", "numberOfItems"}`, a bare array, a
/// single object, and `{"success": ...}`. Anything else is an error, never an empty list.
enum ResponseShape: Equatable {
  case paged(items: [JSONObject], itemsPerPage: Int?, numberOfPages: Int?, numberOfItems: Int?)
  case array([JSONObject])
  case single(JSONObject)
  /// An object holding the whole list under its list key (section enrollments): no pages.
  case whole([JSONObject])

  var items: [JSONObject] {
    switch self {
    case .paged(let items, _, _, _), .array(let items), .whole(let items): items
    case .single(let object): [object]
    }
  }

  /// Reads `body`. `listKey` names the array a single-object answer holds its items in
  /// (`students` for section enrollments); nil means the object is the item.
  static func read(_ body: [UInt8], listKey: [String]? = nil) throws(ShapeProblem) -> ResponseShape {
    let value = try parse(body)
    switch value {
    case .array(let elements):
      return .array(try objects(elements, what: "the array"))
    case .object(let object):
      if case .array(let list)? = object["list"] {
        return .paged(
          items: try objects(list, what: "\"list\""), itemsPerPage: count(object["itemsPerPage"]),
          numberOfPages: count(object["numberOfPages"]),
          numberOfItems: count(object["numberOfItems"]))
      }
      if let success = object["success"] {
        if case .bool(false) = success {
          let message = object["message"].flatMap(\.text) ?? object["error"].flatMap(\.text) ?? "no message"
          throw ShapeProblem("the API answered success: false (\(message))")
        }
        if case .array(let list)? = object["data"] { return .array(try objects(list, what: "\"data\"")) }
        throw ShapeProblem("{\"success\": ...} without a list")
      }
      if let listKey {
        guard let name = listKey.first(where: { object[$0] != nil }) else {
          throw ShapeProblem("an object without \(listKey.map { "\"\($0)\"" }.joined(separator: " or "))")
        }
        guard case .array(let list)? = object[name] else { throw ShapeProblem("\"\(name)\" is not an array") }
        return .whole(try objects(list, what: "\"\(name)\""))
      }
      return .single(object)
    default:
      throw ShapeProblem("\(value.kindName) where a JSON object or array belongs")
    }
  }

  private static func parse(_ body: [UInt8]) throws(ShapeProblem) -> JSONValue {
    let result: Result<JSONValue, ShapeProblem> = body.withUnsafeBufferPointer { buffer in
      if let bad = firstInvalidUTF8Offset(buffer) { return .failure(ShapeProblem("not UTF-8 at byte \(bad + 1)")) }
      do throws(JSONSyntaxError) {
        return .success(try JSONParser.parse(buffer))
      } catch {
        return .failure(ShapeProblem("not JSON: \(error.reason) at byte \(error.offset + 1)"))
      }
    }
    return try result.get()
  }

  private static func objects(_ values: [JSONValue], what: String) throws(ShapeProblem) -> [JSONObject] {
    var objects: [JSONObject] = []
    objects.reserveCapacity(values.count)
    for (index, value) in values.enumerated() {
      guard case .object(let object) = value else {
        throw ShapeProblem("item \(index + 1) of \(what) is \(value.kindName), not an object")
      }
      objects.append(object)
    }
    return objects
  }

  /// A count given as a number or a string of digits.
  private static func count(_ value: JSONValue?) -> Int? {
    switch value {
    case .number(let text)?: Int(text)
    case .string(let text)?: Int(text)
    default: nil
    }
  }
}

/// Why a body could not be read; the client adds the endpoint and an excerpt.
struct ShapeProblem: Error, Equatable {
  let reason: String
  init(_ reason: String) { self.reason = reason }
}
