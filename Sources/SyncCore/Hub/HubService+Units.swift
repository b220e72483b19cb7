import SyncModel
import SyncStore

/// The tier between stations and the district: townships (镇) or streets
/// (街道), each with its stations; reports subtotal them.
extension HubService {
    public func addUnit(id: String, name: String) throws {
        do { try Identifiers.validateStation(id) } catch {
            throw HubFailure.badRequest(error.description.replacingOccurrences(of: "station", with: "unit"))
        }
        guard !name.trimmingWhitespace().isEmpty else {
            throw HubFailure.badRequest(tr("a unit needs a name", zh: "单位需要名称"))
        }
        if let problem = TextCharacters.problem(name) {
            throw HubFailure.badRequest(ValidationError(field: "name", problem).description)
        }
        guard try store.insertUnit(id: id, name: name, created: now) else {
            throw HubFailure.alreadyExists(tr("unit \(id) is already registered", zh: "单位 \(id) 已经登记"))
        }
    }

    public func units() throws -> [HubStore.UnitInfo] { try store.units() }

    /// Puts a station in a unit, or takes it out with nil.
    public func moveStation(_ station: String, toUnit unit: String?) throws {
        try store.replica.writeTransaction {
            if let unit { try checkUnitExists(unit) }
            guard try store.setUnit(station: station, unit: unit) else {
                throw HubFailure.notFound(tr("no station \(station) is registered", zh: "没有注册卫生站 \(station)"))
            }
        }
    }

    /// Refuses a unit id no `hub unit add` registered.
    func checkUnitExists(_ unit: String) throws {
        guard try store.units().contains(where: { $0.id == unit }) else {
            throw HubFailure.notFound(
                tr(
                    "no unit \(unit) is registered: add it with `hub unit add \(unit) --name NAME`",
                    zh: "没有登记单位 \(unit)：请先用 `hub unit add \(unit) --name 名称` 登记"))
        }
    }
}
