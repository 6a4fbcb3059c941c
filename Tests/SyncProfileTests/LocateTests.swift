import Testing

@testable import SyncProfile

@Suite struct LocateTests {
  @Test func underTheConfigFolder() {
    #expect(SyncProfile.locate("lincoln", environment: ["HOME": "/home/ann"]) == "/home/ann/.config/clever-sync/lincoln.toml")
    #expect(
      SyncProfile.locate("lincoln", environment: ["HOME": "/home/ann", "CLEVER_SYNC_CONFIG_DIR": "/etc/clever-sync"])
        == "/etc/clever-sync/lincoln.toml")
    #expect(SyncProfile.locate("lincoln", environment: ["CLEVER_SYNC_CONFIG_DIR": "/etc/clever-sync/"]) == "/etc/clever-sync/lincoln.toml")
    // An empty variable is as good as unset.
    #expect(
      SyncProfile.locate("lincoln", environment: ["HOME": "/h", "CLEVER_SYNC_CONFIG_DIR": ""]) == "/h/.config/clever-sync/lincoln.toml")
  }

  @Test func pathsAreTakenAsTheyAre() {
    #expect(SyncProfile.locate("./test.toml", environment: [:]) == "./test.toml")
    #expect(SyncProfile.locate("test.toml", environment: ["CLEVER_SYNC_CONFIG_DIR": "/etc"]) == "test.toml")
    #expect(SyncProfile.locate("/srv/a/b", environment: [:]) == "/srv/a/b")
    #expect(SyncProfile.locate("~/p/lincoln.toml", environment: ["HOME": "/home/ann"]) == "/home/ann/p/lincoln.toml")
  }

  @Test func profileNames() {
    #expect(SyncProfile.profileName("lincoln") == "lincoln")
    #expect(SyncProfile.profileName("/etc/clever-sync/lincoln.toml") == "lincoln")
    #expect(SyncProfile.profileName("./dry-run.toml") == "dry-run")
    #expect(SyncProfile.profileName("lincoln.toml") == "lincoln")
  }

  @Test func defaultStateDirectory() {
    #expect(SyncProfile.defaultStateDirectory(name: "x", environment: ["HOME": "/h"]) == "/h/.local/state/clever-sync/x")
    #expect(
      SyncProfile.defaultStateDirectory(name: "x", environment: ["HOME": "/h", "CLEVER_SYNC_STATE_DIR": "/var/lib/cs"])
        == "/var/lib/cs/x")
    #expect(SyncProfile.defaultStateDirectory(name: "x", environment: [:]) == nil)
  }

  /// What locate() finds, load() reads.
  @Test func locateThenLoad() throws {
    let folder = ProfileFixture.folder()
    try ProfileFixture.minimal.write(toFile: folder + "/east.toml", atomically: true, encoding: .utf8)
    let environment = ["HOME": "/h", "CLEVER_SYNC_CONFIG_DIR": folder]
    let path = SyncProfile.locate("east", environment: environment)
    let profile = try SyncProfile.load(path: path, name: SyncProfile.profileName("east"), environment: environment)
    #expect(profile.path == folder + "/east.toml")
    #expect(profile.stateDirectory == "/h/.local/state/clever-sync/east")
  }
}
