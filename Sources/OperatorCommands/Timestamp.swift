import Foundation

/// Times as the commands print them: ISO 8601, UTC, to the second.
public enum Timestamp {
    /// From milliseconds since 1970.
    public static func text(_ milliseconds: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
