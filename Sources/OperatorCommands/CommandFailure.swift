import ArgumentParser
import Foundation
import Reporting
import SyncModel
import SyncStore

/// Failures a command reports in words, with the documented exit codes.
public enum CommandFailure: Error, CustomStringConvertible {
    /// Bad input: nothing was written. Exit 64, swift-argument-parser's validation code.
    case badInput(String)
    /// A sync that did not finish. Exit 1.
    case incomplete(String)

    public var description: String {
        switch self {
        case .badInput(let message), .incomplete(let message): return message
        }
    }
}

/// An error whose message a person can act on and which means nothing was
/// written: reported as bad input (exit 64). Each layer's refusal conforms.
public protocol RefusalError: Error, CustomStringConvertible {}

extension StoreError: RefusalError {}
extension SyncModel.ValidationError: RefusalError {}
extension MergeError: RefusalError {}

/// The exit code when the machine would not let the command work: the
/// database file locked, read-only, full or not a database, or the hub's port
/// in use. Nothing was written. BSD's EX_IOERR.
public let resourceUnusable: Int32 = 74

/// A database failure in words: what to do, never the SQL or any value.
private func message(for error: DatabaseError) -> String {
    switch error.problem {
    case .busy:
        return tr(
            "the database is in use by another command (an import or a sync?) and stayed locked for 10 seconds: try again when it has finished",
            zh: "数据库正被另一条命令（导入或同步？）占用，10 秒内一直锁定：请等它结束后再试")
    case .readOnly:
        return tr(
            "the database file, or its folder, cannot be written: check its permissions, or copy it somewhere writable",
            zh: "数据库文件或其所在文件夹不能写入：请检查权限，或把它复制到可写入的地方")
    case .diskFull:
        return tr(
            "the disk is full: free some space and try again; nothing was written",
            zh: "磁盘已满：请腾出空间后再试；未写入任何数据")
    case .notADatabase:
        return tr(
            "the file is not a health-sync database (not SQLite, or damaged): check --db",
            zh: "该文件不是 health-sync 数据库（不是 SQLite 文件，或已损坏）：请检查 --db")
    case .cannotOpen:
        return tr(
            "the database file cannot be opened: check the path and its permissions",
            zh: "无法打开数据库文件：请检查路径和权限")
    case .corrupt:
        return tr(
            "the database file is damaged: restore it from a backup, or start again from the hub",
            zh: "数据库文件已损坏：请从备份恢复，或从区平台重新开始")
    case .ioError:
        return tr(
            "the disk reported an error reading or writing the database: check the disk, then try again",
            zh: "读写数据库时磁盘报错：请检查磁盘后再试")
    case .other:
        return tr(
            "the database reported an error (SQLite \(error.code)); nothing was written",
            zh: "数据库报错（SQLite \(error.code)）；未写入任何数据")
    }
}

/// Writes a line to standard error. Messages may quote what was typed or
/// stored: anything that could drive the terminal is shown escaped.
public func printError(_ message: String) {
    FileHandle.standardError.write(Data((TerminalText.escaped(message, keepingLineBreaks: true) + "\n").utf8))
}

/// Prints a JSON document as one line.
public func printJSON(_ value: JSONValue) {
    print(value.text)
}

/// Runs a command's body, turning refusals into a message on stderr and the
/// documented exit code. `program` names the executable in hints.
public func reportingFailures<T>(program: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let failure as CommandFailure {
        printError(tr("Error: ", zh: "错误：") + "\(failure.description)")
        switch failure {
        case .badInput: throw ExitCode.validationFailure
        case .incomplete: throw ExitCode.failure
        }
    } catch let error as StoreError {
        printError(tr("Error: ", zh: "错误：") + "\(message(for: error, program: program))")
        throw ExitCode.validationFailure
    } catch let error as any RefusalError {
        printError(tr("Error: ", zh: "错误：") + "\(error.description)")
        throw ExitCode.validationFailure
    } catch let error as DatabaseError {
        printError(tr("Error: ", zh: "错误：") + "\(message(for: error))")
        throw ExitCode(resourceUnusable)
    }
}

/// A store's refusal in words that name the commands that settle it.
private func message(for error: StoreError, program: String) -> String {
    switch error {
    case .fieldInConflict(let kind, let id, let field):
        return tr(
            "\(field) of \(kind.rawValue) \(id) is in conflict: see `\(program) conflicts show \(id)` and settle it with `\(program) conflicts resolve \(id) --take N` or `--set \(field)=VALUE`",
            zh:
                "\(EntityRendering.kindName(kind)) \(id) 的 \(field) 存在冲突：用 `\(program) conflicts show \(id)` 查看，再用 `\(program) conflicts resolve \(id) --take N` 或 `--set \(field)=VALUE` 处理"
        )
    case .deleteInConflict(let kind, let id):
        return tr(
            "\(kind.rawValue) \(id) was deleted on one node and edited on another: see `\(program) conflicts show \(id)` and settle it with `\(program) conflicts resolve \(id) --take N`",
            zh:
                "\(EntityRendering.kindName(kind)) \(id) 在一个节点上被删除，在另一个节点上被修改：用 `\(program) conflicts show \(id)` 查看，再用 `\(program) conflicts resolve \(id) --take N` 处理"
        )
    case .noSuchCandidate(let field, _, let count):
        return error.description
            + tr(" (--take 1 to \(count) for \(field))", zh: "（\(field) 可用 --take 1 到 \(count)）")
    default:
        return error.description
    }
}
