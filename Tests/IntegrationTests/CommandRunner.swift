import Foundation
import Testing

/// Runs one of the built executables and captures what it prints.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

enum CommandRunner {
    /// The folder holding the built products (next to the test bundle).
    static let productsFolder: URL = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            Bundle.main.bundleURL,
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug"),
        ]
        return candidates.first {
            FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("station").path)
        }
            ?? candidates.last!
    }()

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> CommandResult
    {
        try runPath(productsFolder.appendingPathComponent(executable).path, arguments, environment: environment)
    }

    /// Every subcommand path of a program, found from its own help.
    static func commandPaths(_ program: String) throws -> [[String]] {
        func subcommands(_ path: [String]) throws -> [String] {
            let help = try CommandRunner.run(program, path + ["--help"], environment: ["COLUMNS": "200"]).stdout
            guard let section = help.range(of: "SUBCOMMANDS:") else { return [] }
            return help[section.upperBound...].split(separator: "\n").compactMap { line in
                guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first else {
                    return nil
                }
                return name.allSatisfy({ $0.isLowercase || $0 == "-" }) ? String(name) : nil
            }.filter { $0 != "help" }
        }
        var paths: [[String]] = []
        var queue: [[String]] = [[]]
        while let path = queue.popLast() {
            paths.append(path)
            if path.count < 3 { queue += try subcommands(path).map { path + [$0] } }
        }
        return paths
    }

    /// Runs any program by its path.
    static func runPath(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> CommandResult
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["STATION_DB"] = nil
        env["STATION_CLERK"] = nil
        // English unless a test asks for another language: expectations
        // must not depend on the machine's locale.
        env["LANG"] = "C.UTF-8"
        env["LC_ALL"] = nil
        env["LC_MESSAGES"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        // Never the test runner's terminal: a command that would prompt
        // (an encrypted store's passphrase) must see no terminal and refuse.
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting, so a full pipe cannot stall the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// One node's `station` command line, bound to its database file and clerk.
struct StationNode {
    let db: String
    var clerk = "李护士"

    @discardableResult
    func run(_ arguments: String...) throws -> CommandResult { try run(arguments) }

    func run(_ arguments: [String]) throws -> CommandResult {
        try CommandRunner.run("station", arguments + ["--db", db, "--clerk", clerk])
    }

    /// Runs an async-safe sync: the blocking child process waits on a thread of its own.
    func sync(hub: String? = nil) async throws -> CommandResult {
        let db = db, clerk = clerk
        return try await runBlocking {
            try CommandRunner.run(
                "station", ["sync", "--db", db, "--clerk", clerk] + (hub.map { ["--hub", $0] } ?? []))
        }
    }
}

func runBlocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// Decodes JSON printed by a command.
func jsonObject(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
}

/// A laptop of `station` made with `station init` against `hub`, holding
/// `count` residents imported from a CSV (each with a 120-byte note, so that
/// a push of them takes long enough to be interrupted).
func laptopWithResidents(
    _ count: Int, db: String, station: String, hub: String, token: String, csv: String
) throws -> StationNode {
    let node = StationNode(db: db)
    let made = try node.run("init", "--station", station, "--name", "青禾", "--hub", hub, "--token", token)
    #expect(made.status == 0, "\(made.stderr)")
    var text = "name,sex,birth,note\n"
    for index in 0..<count { text += "居民\(index),F,1980-01-01,\(String(repeating: "备注", count: 40))\n" }
    try text.write(toFile: csv, atomically: true, encoding: .utf8)
    #expect(try node.run("record", "import", csv).status == 0)
    return node
}

/// `station sync` of `node` started as a process and left running; its
/// output goes to `output`, or nowhere.
func startStationSync(_ node: StationNode, output: Pipe? = nil) throws -> Process {
    let sync = Process()
    sync.executableURL = CommandRunner.productsFolder.appendingPathComponent("station")
    sync.arguments = ["sync", "--db", node.db, "--clerk", node.clerk]
    sync.standardOutput = output ?? FileHandle.nullDevice
    sync.standardError = output ?? FileHandle.nullDevice
    try sync.run()
    return sync
}
