/// `POST /v1/submit`: a station submits a month for review, with an
/// explanation of any error rule it still breaks.
///
///     {"period":"2026-10","explanation":"两例双胎，活产数大于分娩数"}
public struct SubmitRequest: Sendable, Equatable {
    public var period: Period
    public var explanation: String?

    public init(period: Period, explanation: String?) {
        self.period = period
        self.explanation = explanation
    }

    /// What is wrong with the explanation, checked where the clerk types it
    /// and again by the hub: at most `TextLimit.comment` bytes of text a
    /// terminal shows safely (line breaks allowed).
    public static func validateExplanation(_ text: String?) throws(ValidationError) {
        guard let text else { return }
        if text.utf8.count > TextLimit.comment {
            throw ValidationError(
                field: "explanation",
                tr("at most \(TextLimit.comment) bytes", zh: "最多 \(TextLimit.comment) 字节"))
        }
        if let problem = TextCharacters.problem(text, multiLine: true) {
            throw ValidationError(field: "explanation", problem)
        }
    }

    public func encoded() -> [UInt8] {
        JSONValue.object([("period", .string(period.description)), ("explanation", .string(explanation))]).encoded()
    }

    public static func decode(_ bytes: [UInt8]) throws -> SubmitRequest {
        try JSONReader.read(bytes) { reader in
            try reader.beginObject(tr("the submission", zh: "提交内容"))
            var period: Period?, explanation: String?
            var first = true
            while let key = try reader.nextKey(&first) {
                switch key {
                case "period":
                    let text = try reader.readString(key)
                    guard let month = Period(text) else {
                        throw reader.schemaError(tr("period must be a month, YYYY-MM", zh: "period 应为月份 YYYY-MM"))
                    }
                    period = month
                case "explanation":
                    explanation = try reader.readStringOrNull(key)
                    if let text = explanation, text.utf8.count > TextLimit.comment {
                        throw reader.schemaError(
                            tr(
                                "explanation: at most \(TextLimit.comment) bytes",
                                zh: "explanation：最多 \(TextLimit.comment) 字节"))
                    }
                default:
                    throw reader.schemaError(
                        tr(
                            "unknown key '\(key.prefix(40))' in the submission",
                            zh: "提交内容中有未知的键 '\(key.prefix(40))'"))
                }
            }
            try reader.expectEnd()
            guard let period else {
                throw reader.schemaError(tr("the submission needs period", zh: "提交内容需要 period"))
            }
            return SubmitRequest(period: period, explanation: explanation)
        }
    }
}
