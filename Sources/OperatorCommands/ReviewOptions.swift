import ArgumentParser
import SyncStore

/// How a command group shared by `station` and `hub` finds its store and who
/// is at the keyboard. Each executable supplies its own options (`--db`,
/// `--clerk` or `--operator`, their environment defaults).
public protocol ReviewOptions: ParsableArguments {
    /// The executable's name, for hints such as "settle with: hub conflicts resolve …".
    static var program: String { get }
    /// Opens the store whose entities are reviewed; the caller closes it.
    func openReplica() throws -> ReplicaStore
    /// The name recorded with a change, if any.
    var actorName: String? { get }
}
