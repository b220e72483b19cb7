import ArgumentParser
import Foundation
import SyncCore

/// Failures the CLI reports in words, with the documented exit codes.
enum CLIError: Error {
    /// Bad input: nothing was written. Exit 64, swift-argument-parser's validation code.
    case badInput(String)
    /// A sync that did not finish. Exit 1.
    case incomplete(String)
}

/// Writes to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

extension ParsableCommand {
    /// Runs the command body, turning our errors into a message on stderr and
    /// the documented exit code.
    func reporting(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as CLIError {
            switch error {
            case .badInput(let message):
                printError("error: \(message)")
                throw ExitCode.validationFailure
            case .incomplete(let message):
                printError("error: \(message)")
                throw ExitCode.failure
            }
        } catch let error as StoreError {
            printError("error: \(error.description)")
            throw ExitCode.validationFailure
        } catch let error as SyncCore.ValidationError {
            printError("error: \(error.description)")
            throw ExitCode.validationFailure
        } catch let error as MergeError {
            printError("error: \(error.description)")
            throw ExitCode.validationFailure
        }
    }
}

/// Splits `FIELD=VALUE`.
func parseAssignment(_ text: String) throws -> (String, String) {
    guard let equals = text.firstIndex(of: "=") else {
        throw CLIError.badInput("'\(text)' is not FIELD=VALUE, e.g. village=青禾村")
    }
    return (String(text[..<equals]).trimmingCharacters(in: .whitespaces), String(text[text.index(after: equals)...]))
}

/// A record field named on the command line, or bad input listing the names.
func recordField(_ name: String) throws -> RecordField {
    guard let field = RecordField(named: name) else {
        throw CLIError.badInput("unknown field '\(name)': use one of \(RecordField.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return field
}

func normaliseSex(_ value: String) -> String { RecordField.normaliseSex(value) }

func isoTime(_ milliseconds: Int64) -> String { EntityRendering.isoTime(milliseconds) }

/// Prints JSON bytes as one line.
func printJSON(_ writer: JSONWriter) {
    print(String(decoding: writer.bytes, as: UTF8.self))
}
