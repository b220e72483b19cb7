import HubCore
import OperatorCommands
import Reporting
import SyncClient
import SyncModel
import SyncStore
import SyncSupport

/// Deterministic synthetic residents (about 300 bytes of fields each):
/// made-up names and numbers, no real person.
struct SyntheticResidents {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    private mutating func number(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    static let surnames = Array(
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    ).map(String.init)
    static let given = Array("秀英桂兰玉兰建华志强海燕国庆文静明辉春梅丽娟晓东红霞宇轩子涵浩然欣怡").map(String.init)
    static let villages = ["青禾村", "桑园村", "柳溪村", "芦湾村", "白鹭村", "松岭村", "南塘村", "石桥村", "东坪村", "西岗村"]
    static let notes = ["随访正常", "血压控制良好，继续服药", "已签约家庭医生，按时复诊", "独居老人，需上门随访", "新迁入，待完善档案信息"]

    mutating func record() -> (values: [RecordField: String], tags: [KeyPopulation]) {
        let year = number(1935...2023)
        let birth = "\(year)-\(String(number(1...12)).leftPad())-\(String(number(1...28)).leftPad())"
        let sex = next() % 2 == 0 ? "F" : "M"
        var values: [RecordField: String] = [
            .name: pick(Self.surnames) + pick(Self.given) + pick(Self.given),
            .sex: sex,
            .birth: birth,
            .village: pick(Self.villages),
            .phone: "1" + String(number(3...9)) + String(number(100_000_000...999_999_999)),
            .household: "HH-\(number(1...9999))",
            .note: pick(Self.notes),
        ]
        values[.idNumber] = idNumber(birth: birth, sex: sex)
        if next() % 3 == 0 {
            values[.contractDate] = "2025-\(String(number(1...12)).leftPad())-\(String(number(1...28)).leftPad())"
        }
        var tags: [KeyPopulation] = []
        // 65 or more on any date from 2025 on: the store refuses elderly_65 below.
        if year < 1960 { tags.append(.elderly65) }
        if next() % 4 == 0 { tags.append(pick([.hypertension, .diabetes])) }
        return (values, tags)
    }

    /// A well-formed resident ID number (area, birth date, sequence, check
    /// digit) whose sequence is odd for a man and even for a woman, as the
    /// store checks against the record's sex.
    private mutating func idNumber(birth: String, sex: String) -> String {
        let sequence = number(10...99) * 10 + number(0...4) * 2 + (sex == "M" ? 1 : 0)
        let body = "110105" + birth.replacingOccurrences(of: "-", with: "") + String(sequence)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body, weights).reduce(0) { $0 + $1.0.wholeNumberValue! * $1.1 }
        return body + String(Array("10X98765432")[sum % 11])
    }
}

extension String {
    func leftPad() -> String { count < 2 ? "0" + self : self }
}

/// A laptop at `path` writes `count` synthetic records of `station` and
/// pushes them to the hub: the records a bench then pulls.
@discardableResult
func pushSyntheticRecords(
    _ count: Int, station: String, seed: UInt64, path: String, hubURL: String, token: String
) throws -> SyncReport {
    let store = try ReplicaStore(path: path)
    defer { store.close() }
    var generator = SyntheticResidents(seed: seed)
    try store.writeTransaction {
        for _ in 0..<count {
            let input = generator.record()
            try store.addRecord(station: station, values: input.values, tags: input.tags, clerk: "bench")
        }
    }
    let options = SyncSession.Options(hubURL: hubURL, token: token, station: station)
    return try SyncSession(store: store, client: try HTTPClient(), options: options).run()
}
