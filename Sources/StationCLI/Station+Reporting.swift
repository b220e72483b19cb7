import ArgumentParser
import OperatorCommands

extension ParsableCommand {
    /// Runs the command body, turning refusals into a message on stderr and
    /// the documented exit code (docs/cli.md).
    func reporting(_ body: () throws -> Void) throws {
        try reportingFailures(program: "station", body)
    }
}
