import ArgumentParser
import Foundation
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
        return
            "the database is in use by another command (an import or a sync?) and stayed locked for 10 seconds: try again when it has finished"
    case .readOnly:
        return
            "the database file, or its folder, cannot be written: check its permissions, or copy it somewhere writable"
    case .diskFull:
        return "the disk is full: free some space and try again; nothing was written"
    case .notADatabase:
        return "the file is not a health-sync database (not SQLite, or damaged): check --db"
    case .cannotOpen:
        return "the database file cannot be opened: check the path and its permissions"
    case .corrupt:
        return "the database file is damaged: restore it from a backup, or start again from the hub"
    case .ioError:
        return "the disk reported an error reading or writing the database: check the disk, then try again"
    case .other:
        return "the database reported an error (SQLite \(error.code)); nothing was written"
    }
}

/// Writes a line to standard error.
public func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
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
        return
            "\(field) of \(kind.rawValue) \(id) is in conflict: see `\(program) conflicts show \(id)` and settle it with `\(program) conflicts resolve \(id) --take N` or `--set \(field)=VALUE`"
    case .deleteInConflict(let kind, let id):
        return
            "\(kind.rawValue) \(id) was deleted on one node and edited on another: see `\(program) conflicts show \(id)` and settle it with `\(program) conflicts resolve \(id) --take N`"
    case .noSuchCandidate(let field, _, let count):
        return "\(error.description) (--take 1 to \(count) for \(field))"
    default:
        return error.description
    }
}
