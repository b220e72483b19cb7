import SyncModel

/// The township or street units stations belong to (区、镇（街道）、村三级).
extension HubStore {
    public struct UnitInfo: Sendable, Equatable {
        public let id: String
        public let name: String
        public let created: Int64
    }

    /// Registers a unit; false, with nothing written, when the id is taken.
    public func insertUnit(id: String, name: String, created: Int64) throws -> Bool {
        try database.transaction {
            guard try database.scalarInt("SELECT count(*) FROM units WHERE id = ?", [.text(id)]) == 0 else {
                return false
            }
            try database.run(
                "INSERT INTO units (id, name, created) VALUES (?, ?, ?)", [.text(id), .text(name), .integer(created)])
            return true
        }
    }

    public func units() throws -> [UnitInfo] {
        try database.rows("SELECT id, name, created FROM units ORDER BY id") {
            UnitInfo(id: $0.text(0) ?? "", name: $0.text(1) ?? "", created: $0.int64(2))
        }
    }

    /// Puts a station in a unit (nil takes it out); false when no such station.
    public func setUnit(station: String, unit: String?) throws -> Bool {
        try database.run("UPDATE stations SET unit = ? WHERE id = ?", [.optional(unit), .text(station)])
        return database.changes == 1
    }
}
