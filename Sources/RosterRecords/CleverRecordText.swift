import CleverFormat
import RecordStream

extension CleverRecord {
  /// The first value that a Clever file may not hold (a control character, see
  /// ControlCharacter), as the error that refuses the record; nil when every value is
  /// text Clever's files can carry. clever-csv asks before writing a record.
  public func controlCharacterError() -> RecordError? {
    func refusal(_ control: ControlCharacter, _ column: String, contact: Int? = nil) -> RecordError {
      let id = file.idColumn.map { self[$0] } ?? ""
      let who = id.isEmpty ? "" : "\(file.noun) \"\(id)\": "
      let place = contact.map { "contact \($0 + 1): " } ?? ""
      return RecordError("E_CONTROL_CHAR", who + place + control.problem(in: column), field: column)
    }
    for (column, value) in zip(file.columns, fields) where !column.isContact {
      if let control = ControlCharacter.first(in: value) { return refusal(control, column.name) }
    }
    for (name, value) in extensions {
      if let control = ControlCharacter.first(in: value) { return refusal(control, name) }
    }
    for (index, contact) in contacts.enumerated() {
      for (column, value) in zip(CleverSpec.contactColumns, contact.values) {
        if let control = ControlCharacter.first(in: value) { return refusal(control, column.name, contact: index) }
      }
    }
    return nil
  }
}
