import Reporting
import SyncModel
import SyncStore

/// Submit → review → approve → lock (DHIS2's data approval; 002 篇八's 审查核对),
/// and the late corrections (补报) a locked month receives.
extension HubService {
    /// A station submits a month: its figures are complete as far as it knows.
    /// Refused once the month is approved.
    public func submit(station: String, period: Period, explanation: String?) throws {
        do { try SubmitRequest.validateExplanation(explanation) } catch {
            throw HubFailure.badRequest(error.description)
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

    /// Who approves: the station's township or street unit (镇级审核), or
    /// the district, whose approval locks the month.
    public enum ApprovalLevel: String, Sendable, CaseIterable {
        case unit, district
    }

    /// Approves a submitted month. A station in a unit is approved by its
    /// unit first, then by the district; the district's approval locks it.
    public func approve(
        station: String, period: Period, operator name: String?, level: ApprovalLevel = .district
    ) throws {
        let unit = try stations().first { $0.id == station }?.unit
        let status: HubStore.SubmissionStatus = level == .unit ? .reviewed : .approved
        let action = level == .unit ? "approve-unit" : "approve"
        try decide(station: station, period: period, to: status, action: action, actor: name, reason: nil) {
            let expected: HubStore.SubmissionStatus = level == .district && unit != nil ? .reviewed : .submitted
            if level == .unit && unit == nil {
                throw HubFailure.invalid(
                    tr(
                        "\(station) belongs to no township or street unit: the district approves it directly (without --level unit)",
                        zh: "\(station) 不属于任何镇或街道单位：由区直接审核（不加 --level unit）"))
            }
            guard $0 == expected else {
                if expected == .reviewed && $0 == .submitted, let unit {
                    throw HubFailure.invalid(
                        tr(
                            "\(station) \(period) waits for its unit \(unit) to approve it first: `hub submissions approve \(station) \(period) --level unit`",
                            zh:
                                "\(station) \(period) 须先由所属单位 \(unit) 审核：`hub submissions approve \(station) \(period) --level unit`"
                        ))
                }
                throw HubFailure.invalid(
                    tr(
                        "\(station) \(period) cannot be approved now (status: \($0?.rawValue ?? "not submitted")): only a submitted month is approved",
                        zh: "\(station) \(period) 现在不能审核通过（状态：\($0?.rawValue ?? "未提交")）：只能审核通过已提交的月份"))
            }
        }
    }

    /// The unit or the district sends a submitted month back, with the reason.
    public func returnSubmission(station: String, period: Period, operator name: String?, reason: String) throws {
        try decide(station: station, period: period, to: .returned, action: "return", actor: name, reason: reason) {
            guard $0 == .submitted || $0 == .reviewed else {
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
