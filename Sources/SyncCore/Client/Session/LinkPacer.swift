import SyncModel

/// Sizes push batches and pull pages to the link, from what this sync's
/// requests took, so that a cut throws away at most about `targetSeconds`
/// of the link's work and round trips stay few.
///
/// On a link fast enough that a batch of the largest size crosses in less
/// than the target, the hub's CPU is the limit, not the link: batches and
/// pages are the largest the protocol allows, several batches in flight,
/// gzip at its cheapest level.
///
/// On a slower link, a request takes a fixed time (round trip, the hub's
/// work) plus its bytes over the bandwidth. Both are fitted to the push
/// batches answered so far. A batch is sized to cross in the target less
/// that fixed time; the next one leaves when it has crossed, while the
/// answer is on its way back, so the link stays busy and at most about
/// `targetSeconds` of bytes are unacknowledged. Until two batches have
/// been answered there is no fit: speeds are then wire bytes over each
/// request's whole time, which understates the link, so sizes grow from
/// below, one batch at a time. Pulled pages are sequential (each starts at
/// the cursor the one before returned) and sized so each request takes
/// about the target. A pure value, driven by the session.
struct LinkPacer: Sendable {
    struct Limits: Sendable {
        /// How much of the link's work a cut may throw away, in seconds.
        var targetSeconds = 2.0
        /// Most bytes (before gzip) in the first push batch: a probe, back in
        /// milliseconds on loopback, which then gets the largest batches.
        var firstBatchBytes = 16 << 10
        /// A push of at most this many entities and bytes (before gzip)
        /// goes in one batch, probe or not: split in two it cost a round
        /// trip and a commit more per sync, which doubled the p99 of 200
        /// stations syncing 50 records each at once. 64 KB is about 16 KB
        /// on the wire, a few seconds on a GPRS-class link.
        var smallPushEntities = 64
        var smallPushBytes = 64 << 10
        /// The smallest push batch, in bytes before gzip: below it, headers
        /// and round trips cost more than the batch.
        var minBatchBytes = 4 << 10
        var maxBatchBytes = 6 << 20
        var maxBatchEntities = SyncProtocol.maxPushEntities
        /// Push batches in flight at once on a fast link.
        var maxDepth = 3
        var minPageEntities = 50
        var maxPageEntities = SyncProtocol.maxPullLimit
    }

    /// Bytes a request costs besides its body: the request line and headers,
    /// and the answer's status line and headers (about 300 and 150 here).
    static let headerBytes = 450

    /// A request's time as a fixed part and its bytes over the bandwidth.
    struct LinkModel: Sendable, Equatable {
        /// Wire bytes a second.
        var bandwidth: Double
        /// Seconds every request takes whatever its size: round trip, the hub's work.
        var fixedSeconds: Double
    }

    let limits: Limits
    /// Wire bytes a second each way over each request's whole time.
    private(set) var upRate: Double?
    private(set) var downRate: Double?
    /// Fitted to the push batches answered so far; nil until two of
    /// different sizes were.
    private(set) var model: LinkModel?
    /// The quickest handshake: a round trip, and little else.
    private var exchangeSeconds: Double?
    /// Push batches answered.
    private var pushes = 0
    /// Entities waiting to be pushed when the push began (the session says).
    var pendingEntities = Int.max
    /// Wire bytes and seconds of the last push batches.
    private var samples: [(bytes: Double, seconds: Double)] = []
    /// Wire bytes per byte of push body before gzip (a fifth to a quarter
    /// on our states), from the last batch.
    private var wirePerRawByte = 0.25
    /// Bytes before gzip per pushed entity, from the last batch.
    private var rawBytesPerEntity = 350.0
    /// The last batch launched on a measured slow link: its launch order,
    /// when it left and the seconds it takes to cross.
    private var crossing: (index: Int, left: Double, seconds: Double)?
    /// When the link is free for the next push batch, on a measured slow link.
    private(set) var linkFree: Double?
    /// Wire bytes per pulled entity, from the last page that had any.
    private var wireBytesPerPulledEntity = 100.0

    init(limits: Limits) {
        self.limits = limits
    }

    // MARK: - Measurements

    /// A request that carried little each way (the handshake): a first, low,
    /// guess of both directions' speed.
    mutating func observeExchange(sent: Int, received: Int, seconds: Double) {
        exchangeSeconds = min(exchangeSeconds ?? seconds, seconds)
        let sample = Double(sent + received + Self.headerBytes) / max(seconds, 1e-4)
        upRate = Self.update(upRate, sample)
        downRate = Self.update(downRate, sample)
    }

    /// A push batch answered: `rawBytes` before gzip, `sent` of them on the
    /// wire (the body), `seconds` from sending to the whole answer. Only a
    /// batch sent once on a connection already open (`plain`) goes into
    /// the fit: a new connection's handshake, or a retry, is no part of
    /// what the next batch will take.
    mutating func observePush(
        entities: Int, rawBytes: Int, sent: Int, received: Int, seconds: Double, plain: Bool = true
    ) {
        guard entities > 0, rawBytes > 0 else { return }
        pushes += 1
        wirePerRawByte = min(1.2, max(0.02, Double(sent) / Double(rawBytes)))
        rawBytesPerEntity = Double(rawBytes) / Double(entities)
        let bytes = Double(sent + received + Self.headerBytes)
        let seconds = max(seconds, 1e-4)
        upRate = Self.update(upRate, bytes / seconds)
        guard plain else { return }
        samples.append((bytes, seconds))
        if samples.count > 6 { samples.removeFirst() }
        model = Self.fit(samples, keeping: model)
    }

    /// A pulled page arrived: `entities` in `received` wire bytes, in `seconds`.
    mutating func observePull(entities: Int, received: Int, seconds: Double) {
        if entities > 0 { wireBytesPerPulledEntity = max(10, Double(received) / Double(entities)) }
        downRate = Self.update(downRate, Double(received + Self.headerBytes) / max(seconds, 1e-4))
    }

    /// A faster sample is taken as it is (samples understate the link); a
    /// slower one at most halves the estimate, so one slow request (a busy
    /// hub) does not undo the rest.
    private static func update(_ estimate: Double?, _ sample: Double) -> Double {
        guard let estimate else { return sample }
        return sample >= estimate ? sample : max(sample, estimate / 2)
    }

    /// The line under the samples: a request can take longer than the link
    /// needs (queued behind another batch, a busy hub), never less. Of the
    /// lines through two samples of sizes at least 1.5 times apart, with
    /// every sample on or above it, the one closest to them all. Samples
    /// too alike in size for such a line keep the fixed part of `previous`,
    /// with the bandwidth of the quickest sample. Never more than 8 times
    /// the whole-request rate.
    static func fit(_ samples: [(bytes: Double, seconds: Double)], keeping previous: LinkModel? = nil) -> LinkModel? {
        guard !samples.isEmpty else { return previous }
        var best: (model: LinkModel, gap: Double)?
        for low in samples {
            for high in samples where high.bytes >= 1.5 * low.bytes && high.seconds > low.seconds {
                let perByte = (high.seconds - low.seconds) / (high.bytes - low.bytes)
                let fixed = low.seconds - perByte * low.bytes
                guard fixed >= 0 else { continue }
                let residuals = samples.map { $0.seconds - fixed - perByte * $0.bytes }
                // 2% of a request's time: timer noise, not a faster link.
                guard zip(samples, residuals).allSatisfy({ $1 >= -0.02 * $0.seconds }) else { continue }
                let gap = residuals.reduce(0, +)
                if best == nil || gap < best!.gap {
                    best = (LinkModel(bandwidth: 1 / perByte, fixedSeconds: fixed), gap)
                }
            }
        }
        var model: LinkModel
        if let best {
            model = best.model
        } else if let previous {
            let quickest = samples.compactMap { sample in
                sample.seconds > previous.fixedSeconds ? sample.bytes / (sample.seconds - previous.fixedSeconds) : nil
            }.max()
            guard let quickest else { return previous }
            model = LinkModel(bandwidth: quickest, fixedSeconds: previous.fixedSeconds)
        } else {
            return nil
        }
        let whole = samples.reduce(0) { $0 + $1.bytes } / samples.reduce(0) { $0 + $1.seconds }
        model.bandwidth = min(model.bandwidth, 8 * whole)
        return model
    }

    // MARK: - Sizes

    /// Wire bytes a second the link is taken to carry up.
    private var bandwidth: Double? {
        guard let upRate else { return model?.bandwidth }
        return max(upRate, model?.bandwidth ?? 0)
    }

    /// Bytes before gzip of the largest batch the limits allow.
    private var fullBatchBytes: Double {
        min(Double(limits.maxBatchBytes), Double(limits.maxBatchEntities) * rawBytesPerEntity)
    }

    /// Whether a batch of the largest size crosses the link in less than
    /// the target: then the link is not what limits the sync.
    var linkIsFast: Bool {
        guard let bandwidth else { return false }
        return Double(Self.headerBytes) + fullBatchBytes * wirePerRawByte <= bandwidth * limits.targetSeconds
    }

    /// The gzip level for request bodies: 1 where the CPU is the limit, 9
    /// where the link is (a fifth fewer bytes than level 1 on batches of a
    /// hundred states, for several times the CPU).
    var gzipLevel: Int32 { linkIsFast ? 1 : 9 }

    /// Most bytes before gzip in the next push batch.
    var batchBytes: Int {
        if pushes == 0, pendingEntities <= limits.smallPushEntities {
            return min(limits.smallPushBytes, limits.maxBatchBytes)
        }
        let wire: Double
        if let model {
            // With the next batch leaving as this one's answer comes back,
            // what is unacknowledged is a batch and a round trip's worth.
            let seconds = max(limits.targetSeconds - model.fixedSeconds, limits.targetSeconds / 4)
            wire = model.bandwidth * seconds - Double(Self.headerBytes)
        } else if let upRate {
            wire = upRate * limits.targetSeconds - Double(Self.headerBytes)
        } else {
            return min(limits.firstBatchBytes, limits.maxBatchBytes)
        }
        // The first batch is a probe, whatever the handshake suggested.
        let cap = pushes == 0 ? Double(limits.firstBatchBytes) : Double(limits.maxBatchBytes)
        let raw = wire / wirePerRawByte
        return Int(min(cap, Double(limits.maxBatchBytes), max(Double(limits.minBatchBytes), raw)))
    }

    /// Most entities in the next push batch.
    var batchEntities: Int { limits.maxBatchEntities }

    /// Push batches in flight at once: several on a fast link, so the hub
    /// decodes one while it stores another; on a slow one two once the
    /// link is measured (one crossing, one waiting for its answer), else one.
    var depth: Int {
        if linkIsFast { return max(1, limits.maxDepth) }
        return model == nil ? 1 : min(2, max(1, limits.maxDepth))
    }

    /// Whether to open a second connection while the first batches measure
    /// the link: when the round trip is long (the handshake took 100 ms or
    /// more) and enough waits for two batches to travel at once later.
    /// Its handshake (TCP, TLS) then happens while the link waits for
    /// answers, not when the second batch is due.
    func wantsSecondConnection(pending entities: Int) -> Bool {
        guard let exchangeSeconds, limits.maxDepth >= 2, !linkIsFast else { return false }
        return exchangeSeconds >= 0.1 && entities >= 50
    }

    // MARK: - Launches on a slow link

    /// A push batch left at `time`: on a measured link it has it to itself
    /// until it has crossed.
    mutating func launched(_ index: Int, wireBytes: Int, at time: Double) {
        guard let model else {
            (crossing, linkFree) = (nil, nil)
            return
        }
        let seconds = Double(wireBytes + Self.headerBytes) / model.bandwidth
        crossing = (index, time, seconds)
        linkFree = time + seconds
    }

    /// The answer to batch `index` came at `time`. If it is the last batch
    /// sent, the link is free; else that one crossed by about a fixed part
    /// before, and the last one began to cross then at the earliest. So a
    /// batch that took longer than foreseen (a new connection's handshake,
    /// a retry) moves the next launch back rather than sharing the link.
    mutating func landed(_ index: Int, at time: Double) {
        guard let crossing, let model else { return }
        if index == crossing.index {
            linkFree = min(linkFree ?? time, time)
        } else {
            linkFree = max(crossing.left, time - model.fixedSeconds) + crossing.seconds
        }
    }

    /// Entities to ask for in the next pulled page.
    var pageEntities: Int {
        if linkIsFast { return limits.maxPageEntities }
        guard let rate = downRate ?? upRate else { return limits.minPageEntities }
        let entities = (rate * limits.targetSeconds - Double(Self.headerBytes)) / wireBytesPerPulledEntity
        return Int(min(Double(limits.maxPageEntities), max(Double(limits.minPageEntities), entities)))
    }
}
