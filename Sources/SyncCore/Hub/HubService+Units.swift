import SyncModel
import SyncStore

/// The tier between stations and the district: townships (镇) or streets
/// (街道), each with its stations; reports subtotal them. And whether a
/// station is urban or rural, which decides the targets it is judged on.
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

    /// Registers a station as `addStation(id:name:unit:)` does and, in the
    /// same transaction, records its community: all of it or nothing.
    public func addStation(id: String, name: String, unit: String?, community: String?) throws -> String {
        let community = try community.flatMap(Self.community)
        return try store.replica.writeTransaction {
            let token = try addStation(id: id, name: name, unit: unit)
            _ = try store.setCommunity(station: id, community: community)
            return token
        }
    }

    /// Records whether a station serves an urban or a rural community ('' for unknown).
    public func setCommunity(_ station: String, to typed: String) throws {
        let community = try Self.community(typed)
        guard try store.setCommunity(station: station, community: community) else {
            throw HubFailure.notFound(tr("no station \(station) is registered", zh: "没有注册卫生站 \(station)"))
        }
    }

    /// A community as typed: `urban` (城市) or `rural` (农村), in any case;
    /// '' means unknown (nil). Targets the plans set for one kind carry the
    /// same two words in their scope.
    static func community(_ typed: String) throws -> String? {
        switch typed.trimmingWhitespace().lowercased() {
        case "": return nil
        case "urban", "城市": return "urban"
        case "rural", "农村": return "rural"
        default:
            throw HubFailure.badRequest(
                tr(
                    "'\(typed)' is not a community: use urban (城市) or rural (农村), or '' for unknown",
                    zh: "'\(typed)' 不是社区类型：请用 urban（城市）或 rural（农村），'' 表示未知"))
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
