/// The version every executable prints for --version.
public enum ToolVersion {
  public static let current = "0.1.0"
}
