import RecordStream

/// The codes qs-extract's diagnostics carry; qs-extract(1) lists each one.
public enum ExtractCode: String, CaseIterable, Sendable {
  /// 401 or 403: the key was refused.
  case key = "E_QS_KEY"
  /// No connection to the API host.
  case unreachable = "E_QS_UNREACHABLE"
  /// 5xx answers through every retry.
  case server = "E_QS_SERVER"
  /// Still 429 (too many requests) after every retry.
  case rateLimited = "E_QS_RATE_LIMITED"
  /// No answer within --timeout, through every retry.
  case timeout = "E_QS_TIMEOUT"
  /// The whole run went past --deadline.
  case deadline = "E_QS_DEADLINE"
  /// Not JSON, or JSON of a shape the API does not use.
  case shape = "E_QS_SHAPE"
  /// An HTTP status that retrying cannot help (404, 400...).
  case http = "E_QS_HTTP"
  /// The pages disagree with the count the server gave.
  case incomplete = "E_QS_INCOMPLETE"
  /// No term matches --term, or no term is active.
  case term = "E_QS_TERM"
  /// A proxy variable (https_proxy, http_proxy, all_proxy) that cannot be used.
  case proxy = "E_QS_PROXY"
  /// No key, or a key file that cannot be used.
  case secret = "E_SECRET"
  /// A saved dump that is missing a response, or is not a dump.
  case dump = "E_QS_DUMP"
  /// --save cannot write its folder.
  case save = "E_QS_SAVE"
  /// The API gives no school ID and none was given (--school, --school-id code).
  case school = "E_QS_SCHOOL"
  /// --probe found something to supply before an extract.
  case probe = "E_QS_PROBE"
  /// An endpoint or field that is not confirmed was absent, and another source served
  /// (announced once each).
  case fallback = "W_QS_FALLBACK"
  /// A field the mapping needs is missing from a response (once per field).
  case missingField = "W_QS_MISSING_FIELD"
  /// The API answered something odd but usable (several active terms...).
  case odd = "W_QS_ODD"
}

extension StageFailure {
  init(_ status: FailureKind, _ code: ExtractCode, _ message: String) {
    self.init(status, code: code.rawValue, message)
  }
}
