import Foundation

/// A fresh folder under the system temp dir, removed when the value dies.
public final class TemporaryDirectory: @unchecked Sendable {
    // @unchecked: immutable after init; deinit only removes the folder.
    public let path: String

    public init() {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/syncore-test-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func file(_ name: String) -> String { "\(path)/\(name)" }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
