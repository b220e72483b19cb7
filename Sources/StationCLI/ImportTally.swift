import Reporting
import SyncModel
import SyncStore

/// An import's rows as they are stored, in the file's order: what went in,
/// what was there already, what was refused and why, and what to check.
struct ImportTally {
    /// The records held, and each one this import adds.
    private(set) var index: ResidentIndex
    private(set) var imported = 0
    private(set) var present = 0
    private(set) var rejected: [String] = []
    private(set) var warnings: [String] = []

    init(index: ResidentIndex) {
        self.index = index
    }

    var rows: Int { imported + present + rejected.count }

    /// Stores `row`'s record unless it is refused or held already. Throws
    /// only what should end the import (the store failing), never a bad row.
    mutating func take(_ row: ImportRow, into store: ReplicaStore) throws {
        switch row {
        case .refused(let line, let error):
            reject(error.description, line: line)
        case .invalid(let line, let values, let tags, let error):
            // The file imported again adds nobody twice, even a row no record could be made of.
            if goesOn(index.match(values, tags: tags), line: line) { try reject(error, line: line) }
        case .record(let line, let record):
            guard goesOn(index.match(record), line: line) else { return }
            do {
                try store.store(record)
                index.add(record)
                imported += 1
            } catch {
                try reject(error, line: line)
            }
        }
    }

    /// Whether a row that matched so goes on to be stored (or refused for its own faults).
    private mutating func goesOn(_ match: ResidentIndex.Match, line: Int) -> Bool {
        switch match {
        case .alreadyPresent:
            present += 1
            return false
        case .idNumberTaken(let other, let name):
            reject(
                ValidationError(
                    field: "id_number",
                    tr(
                        "is already the ID number of \(name) (record …\(other.suffix(8))): one number, one person",
                        zh: "已是 \(name)（档案 …\(other.suffix(8))）的身份证号：一个号码只对应一个人")
                ).description, line: line)
            return false
        case .likelyDuplicate(let other):
            warnings.append(
                tr(
                    "line \(line): likely the same person as record …\(other.suffix(8)) (same name, birth date and village); imported, check it",
                    zh: "第 \(line) 行：可能与档案 …\(other.suffix(8)) 是同一人（姓名、出生日期和村相同）；已导入，请核对"))
            return true
        case .new:
            return true
        }
    }

    /// A row's fault is reported with its line; any other error ends the import.
    private mutating func reject(_ error: any Error, line: Int) throws {
        switch error {
        case let error as StoreError: reject(error.description, line: line)
        case let error as ValidationError: reject(error.description, line: line)
        default: throw error
        }
    }

    private mutating func reject(_ message: String, line: Int) {
        rejected.append(tr("line \(line): \(message)", zh: "第 \(line) 行：\(message)"))
    }
}
