import RecordStream

/// Whether a server stores a file only when its handle is closed, asked of the server
/// itself: Clever's writes an upload to a local temporary and puts it in S3 at CLOSE, so
/// a file open for writing is absent from its directory's listing and the previous
/// object stays whole until then. On such a server writing straight to the final name
/// is as safe as a rename, and a rename would cost a copy of every object.
///
/// The probe opens an empty file `.sftp-put-probe` for writing and lists the directory:
/// a server that creates files at OPEN (OpenSSH, ProFTPD, most others) shows it. Only
/// when it is absent is it closed and the directory listed again, to rule out a listing
/// that hides such names: it must appear then. The probe file is removed either way.
extension SFTPChannel {
  static let probeName = ".sftp-put-probe"

  func publishesOnlyAtClose(directory: String, probe: String) throws -> Bool {
    do {
      return try probePublishing(directory: directory, probe: probe)
    } catch let failure as StageFailure where !TransferFailure.isTransient(failure) {
      return false  // a directory it will not list: no telling, so the renames
    }
  }

  private func probePublishing(directory: String, probe: String) throws -> Bool {
    // A probe left by a killed run goes first: some servers do not open over a file.
    guard let file = try batch([.remove(probe), .openForWriting(probe)]).last?.handle else { return false }
    var open = true
    defer { _ = try? batch((open ? [.close(handle: file)] : []) + [.remove(probe)]) }
    if try listing(directory, until: Self.probeName)[Self.probeName] != nil { return false }
    open = false
    guard try batch([.close(handle: file)]).first?.ok == true else { return false }
    return try listing(directory, until: Self.probeName)[Self.probeName] != nil
  }

  /// The names in a directory with their sizes, read until `name` shows up or the
  /// listing ends.
  func listing(_ directory: String, until name: String? = nil) throws -> [String: UInt64] {
    let path = directory.isEmpty ? "." : directory
    let opened = try batch([.openDirectory(path)])[0]
    guard let handle = opened.handle else {
      throw TransferFailure.sftpStatus(Int32(bitPattern: opened.status), "list \(path)")
    }
    defer { _ = try? batch([.close(handle: handle)]) }
    var sizes: [String: UInt64] = [:]
    while name.map({ sizes[$0] == nil }) ?? true,
      let page = try batch([.readDirectory(handle: handle)]).first?.entries, !page.isEmpty
    {
      for (entry, size) in page where entry != "." && entry != ".." { sizes[entry] = size }
    }
    return sizes
  }
}
