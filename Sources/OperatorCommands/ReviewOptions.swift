import ArgumentParser
import SyncStore

/// How a command shared by `station` and `hub` finds its store and who is at
/// the keyboard. Each executable supplies its own options (`--db`, `--clerk`
/// or `--operator`, their environment defaults).
public protocol ReviewOptions: ParsableArguments {
    /// The executable's name, for hints such as "settle with: hub conflicts resolve …".
    static var program: String { get }
    /// The command group that holds records: `record` at a station, `records` at the hub.
    static var recordsCommand: String { get }
    /// What the examples in help add to every command (the hub's `--db`).
    static var exampleOptions: String { get }
    /// True at the hub, which holds every station's entities: listings
    /// then show and filter by station.
    static var listsEveryStation: Bool { get }
    /// Opens the store whose entities are reviewed; the caller closes it.
    func openReplica() throws -> ReplicaStore
    /// The station a listing is limited to when none is asked for: a
    /// station's own; nil at the hub.
    func ownStation(in store: ReplicaStore) throws -> String?
    /// The name recorded with a change, if any.
    func actorName(in store: ReplicaStore) throws -> String?
}
