/// Moving a node's recent writes to a new node id, for a node that found out
/// its history was forked: a laptop restored from a backup or copied to a
/// second machine (Riak's kv679: an actor that forgot writes reused their
/// counters, and its new writes were taken for old ones and dropped).
extension EntityState {
    /// This state with `old`'s writes numbered `from` and later renumbered as
    /// writes of `new` (in the same order, keeping who and when), and the
    /// clock's claim for `old` lowered to `from - 1`.
    ///
    /// Writes of `old` before `from` were made before the fork, so every copy
    /// holds them alike and they keep their dots. Writes from `from` on may
    /// share their dots with different writes another copy made: under the
    /// new id they are new writes, concurrent with whatever `old` wrote
    /// elsewhere, so a merge keeps both rather than taking one for the other.
    public func reidentified(from old: String, to new: String, from counter: UInt64) -> EntityState {
        precondition(clock[new] == 0, "a node is given a new id that no write of this entity carries")
        let moved = clock[old] >= counter ? clock[old] - counter + 1 : 0
        guard moved > 0 else { return self }
        func renumbered(_ dot: Dot) -> Dot {
            dot.node == old && dot.counter >= counter ? Dot(node: new, counter: dot.counter - counter + 1) : dot
        }
        var result = self
        result.clock = clock.setting(old, to: counter - 1).setting(new, to: moved)
        for (name, entries) in fields {
            result.fields[name] = ArraySlice(
                entries.map { FieldEntry(dot: renumbered($0.dot), value: $0.value) }.sorted())
        }
        result.stamps = StampMap(
            sorted: stamps.values.map { WriteStamp(dot: renumbered($0.dot), time: $0.time, clerk: $0.clerk) }
                .sorted { $0.dot < $1.dot })
        return result
    }
}
