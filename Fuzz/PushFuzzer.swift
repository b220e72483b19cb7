// libFuzzer target over the hub's push decoder and the merge.
//
// Built by scripts/fuzz.sh with `swiftc -sanitize=fuzzer,address` from the
// SyncModel target's sources (no SQLite, no network). For every input it checks:
// - decoding never crashes: a body is a push, or a typed error;
// - every state that decodes re-encodes to bytes that decode to the same state;
// - bytes the decoder takes as canonical are exactly the state's encoding
//   (the hub stores them as they came);
// - for every pair of states of one entity, the merge is commutative,
//   idempotent and absorbing, fails symmetrically, and never drops an entry
//   that the other side had not seen.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPushAndMerge(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let request = try? PushRequest.decode(bytes) else { return 0 }
    let schema = EntitySchema()
    var states: [EntityState] = []
    for (item, canonical) in zip(request.entities, request.canonicalBytes) {
        guard case .success(let state) = item else { continue }
        guard let again = try? EntityState.decodeJSON(state.encodedJSON()), again == state else {
            fatalError("state does not survive its own encoding: \(state.id)")
        }
        if let canonical, canonical != state.encodedJSON() {
            fatalError("bytes taken as canonical differ from the state's encoding: \(state.id)")
        }
        _ = try? schema.validate(state)
        states.append(state)
    }
    for a in states {
        for b in states where a.kind == b.kind && a.id == b.id && a.station == b.station {
            let ab = try? a.merged(with: b)
            let ba = try? b.merged(with: a)
            guard (ab == nil) == (ba == nil) else { fatalError("merge fails one way only") }
            guard let ab, let ba else { continue }
            guard ab == ba else { fatalError("merge is not commutative") }
            guard (try? ab.merged(with: ab)) == ab else { fatalError("merge is not idempotent") }
            guard (try? ab.merged(with: a)) == ab else { fatalError("merge does not absorb its input") }
            for (field, entries) in a.fields {
                for entry in entries where !(ab.fields[field] ?? []).contains(entry) && !b.clock.contains(entry.dot) {
                    fatalError("merge dropped \(entry.dot) of \(field), which the other side had not seen")
                }
            }
        }
    }
    return 0
}
