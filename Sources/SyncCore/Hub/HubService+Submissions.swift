import Reporting
import SyncModel
import SyncStore

/// Submit → review → approve → lock (DHIS2's data approval; 002 篇八's 审查核对),
/// and the late corrections (补报) a locked month receives.
extension HubService {
    /// A station submits a month: its figures are complete as far as it knows.
    /// Refused once the month is approved.
    public func submit(station: String, period: Period, explanation: String?) throws {
        if let explanation, let problem = TextCharacters.problem(explanation, multiLine: true) {
            throw HubFailure.badRequest(ValidationError(field: "explanation", problem).description)
        }
        try store.replica.writeTransaction {
            if try store.submissionStatus(station: station, period: period.description) == .approved {
                throw HubFailure.alreadyExists(
                    tr(
                        "\(station) \(period) is already approved and locked",
                        zh: "\(station) \(period) 已审核通过并锁定"))
            }
            try store.recordSubmission(
                station: station, period: period.description, status: .submitted, action: "submit", actor: nil,
                reason: explanation, at: now)
        }
    }

    /// The operator approves a submitted month, which locks it.
    public func approve(station: String, period: Period, operator name: String?) throws {
        try decide(station: station, period: period, to: .approved, action: "approve", actor: name, reason: nil) {
            guard $0 == .submitted else {
                throw HubFailure.invalid(
                    tr(
                        "\(station) has not submitted \(period) (status: \($0?.rawValue ?? "none")): only a submitted month is approved",
                        zh: "\(station) 尚未提交 \(period)（状态：\($0?.rawValue ?? "无")）：只能审核通过已提交的月份"))
            }
        }
    }

    /// The operator sends a submitted month back, with the reason.
    public func returnSubmission(station: String, period: Period, operator name: String?, reason: String) throws {
        try decide(station: station, period: period, to: .returned, action: "return", actor: name, reason: reason) {
            guard $0 == .submitted else {
                throw HubFailure.invalid(
                    tr("\(station) \(period) is not waiting for review", zh: "\(station) \(period) 不在待审状态"))
            }
        }
    }

    /// Unlocking is an operator's act with a reason: the month can change again.
    public func unlock(station: String, period: Period, operator name: String?, reason: String) throws {
        try decide(station: station, period: period, to: .returned, action: "unlock", actor: name, reason: reason) {
            guard $0 == .approved else {
                throw HubFailure.invalid(
                    tr("\(station) \(period) is not locked", zh: "\(station) \(period) 未锁定"))
            }
        }
    }

    private func decide(
        station: String, period: Period, to status: HubStore.SubmissionStatus, action: String, actor: String?,
        reason: String?, check: (HubStore.SubmissionStatus?) throws -> Void
    ) throws {
        guard try stations().contains(where: { $0.id == station }) else {
            throw HubFailure.notFound(tr("no station \(station) is registered", zh: "没有注册卫生站 \(station)"))
        }
        if let reason {
            guard !reason.trimmingWhitespace().isEmpty else {
                throw HubFailure.badRequest(tr("give the reason with --reason", zh: "请用 --reason 说明原因"))
            }
            if let problem = TextCharacters.problem(reason, multiLine: true) {
                throw HubFailure.badRequest(ValidationError(field: "reason", problem).description)
            }
        }
        try TextLimit.validateClerk(actor)
        try store.replica.writeTransaction {
            try check(try store.submissionStatus(station: station, period: period.description))
            try store.recordSubmission(
                station: station, period: period.description, status: status, action: action, actor: actor,
                reason: reason, at: now)
        }
    }

    /// Accepts a held late correction: it is merged as if it had just been pushed.
    public func acceptLateCorrection(_ number: Int64, operator name: String?) throws {
        try store.replica.writeTransaction {
            let correction = try pendingCorrection(number)
            let state = try EntityState.decodeJSON(correction.state)
            try store.replica.merge(state, from: .node(correction.node))
            // A correction made before its laptop saw the hub's latest figure
            // meets it as a conflict: accepting it settles each such field
            // with the correction's own value, a write that supersedes both.
            if let merged = try store.replica.entity(correction.kind, correction.id) {
                for field in ["value", "comment", "deleted"] where merged.isInConflict(field) {
                    try store.replica.resolve(
                        correction.kind, correction.id, field: field, .value(state.value(field)), clerk: name)
                }
            }
            try store.decideLateCorrection(number: number, status: "accepted", by: name, reason: nil, at: now)
        }
    }

    /// Refuses a held late correction, with the reason: the hub's figure
    /// stays, written again over the correction so that the laptop that made
    /// it comes back to the locked figure at its next sync.
    public func refuseLateCorrection(_ number: Int64, operator name: String?, reason: String) throws {
        guard !reason.trimmingWhitespace().isEmpty else {
            throw HubFailure.badRequest(tr("give the reason with --reason", zh: "请用 --reason 说明原因"))
        }
        try store.replica.writeTransaction {
            let correction = try pendingCorrection(number)
            let held = try EntityState.decodeJSON(correction.state)
            let key = try TallyKey(entityID: correction.id)
            let kept = try store.replica.entity(.tally, correction.id)
            try store.replica.merge(held, from: .node(correction.node))
            // The locked figure written again over everything seen: conflicts
            // the correction met are settled with the locked values.
            if let merged = try store.replica.entity(.tally, correction.id) {
                for field in ["value", "comment", "deleted"] where merged.isInConflict(field) {
                    try store.replica.resolve(
                        .tally, correction.id, field: field, .value(kept?.value(field)), clerk: name)
                }
            }
            if let kept, !kept.isDeleted, let value = kept.value("value").flatMap({ Int($0) }) {
                try store.replica.setTally(
                    key, value: value, comment: kept.value("comment") ?? "", clerk: name)
            } else {
                _ = try store.replica.deleteTally(key, clerk: name)
            }
            try store.decideLateCorrection(number: number, status: "refused", by: name, reason: reason, at: now)
        }
    }

    public func lateCorrections(pendingOnly: Bool) throws -> [HubStore.LateCorrection] {
        try store.lateCorrections(pendingOnly: pendingOnly)
    }

    private func pendingCorrection(_ number: Int64) throws -> HubStore.LateCorrection {
        guard let correction = try store.lateCorrections(pendingOnly: true).first(where: { $0.number == number }) else {
            throw HubFailure.notFound(
                tr(
                    "no late correction \(number) waits for a decision: see `hub corrections list`",
                    zh: "没有待处理的补报 \(number)：见 `hub corrections list`"))
        }
        return correction
    }
}
