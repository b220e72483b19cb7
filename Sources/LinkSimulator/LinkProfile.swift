#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a simulated link does to the bytes it carries: how fast each way,
/// how late, and when it breaks.
public struct LinkProfile: Sendable {
    /// Bytes per second from client to server (requests); nil is unlimited.
    public var upBytesPerSecond: Int?
    /// Bytes per second from server to client (answers); nil is unlimited.
    public var downBytesPerSecond: Int?
    /// Seconds every chunk takes to cross from client to server, on top of its bandwidth.
    public var upLatency: Double
    /// Seconds every chunk takes to cross from server to client, on top of its bandwidth.
    public var downLatency: Double
    /// When the link breaks.
    public var cuts: CutSchedule
    /// After a cut, how long the link stays down (a connection made then is
    /// closed at once); nil: until `LinkSimulator.restore()`.
    public var downtime: Double?

    public init(
        upBytesPerSecond: Int? = nil, downBytesPerSecond: Int? = nil, upLatency: Double = 0, downLatency: Double = 0,
        cuts: CutSchedule = .never, downtime: Double? = 0
    ) {
        self.upBytesPerSecond = upBytesPerSecond
        self.downBytesPerSecond = downBytesPerSecond
        self.upLatency = upLatency
        self.downLatency = downLatency
        self.cuts = cuts
        self.downtime = downtime
    }

    /// The same bandwidth both ways (in bits per second, as links are sold)
    /// and a round trip split evenly between the two directions.
    public static func symmetric(
        bitsPerSecond: Int, roundTrip: Double, cuts: CutSchedule = .never, downtime: Double? = 0
    ) -> LinkProfile {
        LinkProfile(
            upBytesPerSecond: bitsPerSecond / 8, downBytesPerSecond: bitsPerSecond / 8, upLatency: roundTrip / 2,
            downLatency: roundTrip / 2, cuts: cuts, downtime: downtime)
    }

    /// A round trip: one crossing each way.
    public var roundTrip: Double { upLatency + downLatency }

    /// The shortest time `up` and `down` bytes can take over this link, with
    /// `roundTrips` exchanges that each wait for an answer: the physical floor.
    public func floorSeconds(up: Int, down: Int, roundTrips: Int) -> Double {
        let sending = upBytesPerSecond.map { Double(up) / Double($0) } ?? 0
        let receiving = downBytesPerSecond.map { Double(down) / Double($0) } ?? 0
        return sending + receiving + Double(roundTrips) * roundTrip
    }
}

/// When a simulated link breaks. Seconds count from the link's first
/// connection; bytes are those the link has carried both ways since then.
public struct CutSchedule: Sendable {
    /// One moment the link breaks.
    public enum Trigger: Sendable, Equatable {
        case seconds(Double)
        case bytes(Int)
    }

    /// The moments, in the order they come.
    public let triggers: [Trigger]

    public init(_ triggers: [Trigger]) {
        self.triggers = triggers
    }

    /// A link that never breaks.
    public static let never = CutSchedule([])

    /// Breaks at each of these moments, in seconds since the first connection.
    public static func afterSeconds(_ seconds: Double...) -> CutSchedule {
        CutSchedule(seconds.sorted().map { .seconds($0) })
    }

    /// Breaks once the link has carried each of these totals of bytes.
    public static func afterBytes(_ bytes: Int...) -> CutSchedule {
        CutSchedule(bytes.sorted().map { .bytes($0) })
    }

    /// Breaks `count` times, at random moments `meanSeconds` apart on
    /// average (exponential gaps), the same moments for the same seed.
    public static func random(seed: UInt64, meanSeconds: Double, count: Int = 100) -> CutSchedule {
        var generator = SplitMix(seed: seed)
        var time = 0.0
        return CutSchedule(
            (0..<count).map { _ in
                time += generator.exponential(mean: meanSeconds)
                return .seconds(time)
            })
    }

    /// Breaks `count` times, after random amounts of traffic `meanBytes`
    /// apart on average, the same amounts for the same seed.
    public static func random(seed: UInt64, meanBytes: Int, count: Int = 100) -> CutSchedule {
        var generator = SplitMix(seed: seed)
        var total = 0.0
        return CutSchedule(
            (0..<count).map { _ in
                total += max(1, generator.exponential(mean: Double(meanBytes)))
                return .bytes(Int(total))
            })
    }
}

/// SplitMix64: small, seedable, the same sequence on every machine.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Exponentially distributed, with this mean.
    mutating func exponential(mean: Double) -> Double {
        let uniform = Double(next() >> 11) / Double(1 << 53)
        return -mean * log(1 - uniform)
    }
}
