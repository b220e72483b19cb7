import Foundation
import Testing
import SyncTestSupport

/// TLS at the hub, end to end with the built binaries: `hub serve` with a
/// certificate from a throwaway CA (made with the `openssl` command), a
/// station that trusts that CA, one that trusts another and must refuse the
/// hub, and the opt-in plain http to another machine needs.
@Suite struct TLSTests {
    let directory = TemporaryDirectory()

    /// A throwaway CA in `folder`, and a server certificate it signed for
    /// IP 127.0.0.1. EC keys: quicker to make than RSA.
    struct TestCA {
        let certificate: String
        let serverCertificate: String
        let serverKey: String

        init(_ folder: TemporaryDirectory, name: String) throws {
            let config = folder.file("\(name).cnf")
            try """
            [req]
            distinguished_name = dn
            prompt = no
            [dn]
            CN = \(name)
            [ca]
            basicConstraints = critical, CA:TRUE
            keyUsage = critical, keyCertSign, cRLSign
            subjectKeyIdentifier = hash
            [server]
            basicConstraints = CA:FALSE
            keyUsage = critical, digitalSignature
            extendedKeyUsage = serverAuth
            subjectAltName = IP:127.0.0.1
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            """.write(toFile: config, atomically: true, encoding: .utf8)
            certificate = folder.file("\(name)-ca.pem")
            serverCertificate = folder.file("\(name)-server.pem")
            serverKey = folder.file("\(name)-server.key")
            let caKey = folder.file("\(name)-ca.key"), request = folder.file("\(name)-server.csr")
            let newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
            try Self.openssl(
                [
                    "req", "-x509", "-config", config, "-extensions", "ca", "-days", "2", "-keyout", caKey, "-out",
                    certificate,
                ]
                    + newKey)
            try Self.openssl(
                ["req", "-new", "-config", config, "-subj", "/CN=127.0.0.1", "-keyout", serverKey, "-out", request]
                    + newKey)
            try Self.openssl([
                "x509", "-req", "-in", request, "-CA", certificate, "-CAkey", caKey, "-set_serial", "2", "-days", "2",
                "-extfile", config, "-extensions", "server", "-out", serverCertificate,
            ])
        }

        static func openssl(_ arguments: [String]) throws {
            let result = try CommandRunner.runPath("/usr/bin/env", ["openssl"] + arguments)
            guard result.status == 0 else {
                Issue.record("openssl \(arguments.first ?? ""): \(result.stderr)")
                throw POSIXError(.EINVAL)
            }
        }
    }

    func hub(_ arguments: String...) throws -> CommandResult {
        try CommandRunner.run("hub", arguments)
    }

    /// Registers S01 at the hub database and writes its token to a file.
    func registerStation(hubDatabase: String) throws -> String {
        let added = try hub("station", "add", "S01", "--name", "x", "--db", hubDatabase)
        #expect(added.status == 0, "\(added.stderr)")
        let tokenFile = directory.file("S01.token")
        try added.stdout.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        return tokenFile
    }

    /// A station store set up with `arguments` after the usual ones, and one record.
    func station(_ name: String, hub url: String, tokenFile: String, _ arguments: String...) throws -> StationNode {
        let node = StationNode(db: directory.file(name))
        let initialised = try node.run(
            ["init", "--station", "S01", "--name", "x", "--hub", url, "--token-file", tokenFile] + arguments)
        #expect(initialised.status == 0, "\(initialised.stderr)")
        let added = try node.run("record", "add", "--name", "张秀英", "--sex", "F", "--birth", "1958-03-14")
        #expect(added.status == 0, "\(added.stderr)")
        return node
    }

    func hubRecordCount(_ hubDatabase: String) throws -> Int {
        let listed = try hub("records", "list", "--json", "--db", hubDatabase)
        #expect(listed.status == 0, "\(listed.stderr)")
        return try #require(try jsonObject(listed.stdout) as? [Any]).count
    }

    @Test func aStationTrustingTheHubsCASyncsOverTLS() async throws {
        let ca = try TestCA(directory, name: "district")
        let hubDatabase = directory.file("hub.sqlite")
        let tokenFile = try registerStation(hubDatabase: hubDatabase)
        let server = HubProcess(
            databasePath: hubDatabase, tls: (certificate: ca.serverCertificate, key: ca.serverKey))
        try server.start()
        defer { server.stop() }
        #expect(server.listeningLine == "listening on https://127.0.0.1:\(server.port)")

        let node = try station("a.sqlite", hub: server.url, tokenFile: tokenFile, "--ca-file", ca.certificate)
        let synced = try await node.sync()
        #expect(synced.status == 0, "\(synced.stderr)")
        #expect(synced.stdout.contains("pushed 1"), "\(synced.stdout)")
        #expect(!synced.stderr.contains("warning"), "\(synced.stderr)")
        #expect(try hubRecordCount(hubDatabase) == 1)
        // The CA file is remembered by its full path.
        let shown = try node.run("config")
        #expect(shown.stdout.contains(ca.certificate), "\(shown.stdout)")
    }

    @Test func aStationTrustingAnotherCAIsRefusedAndPushesNothing() async throws {
        let ca = try TestCA(directory, name: "district")
        let other = try TestCA(directory, name: "elsewhere")
        let hubDatabase = directory.file("hub.sqlite")
        let tokenFile = try registerStation(hubDatabase: hubDatabase)
        let server = HubProcess(
            databasePath: hubDatabase, tls: (certificate: ca.serverCertificate, key: ca.serverKey))
        try server.start()
        defer { server.stop() }

        let node = try station("a.sqlite", hub: server.url, tokenFile: tokenFile, "--ca-file", other.certificate)
        let refused = try await node.sync()
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the hub's certificate is not trusted"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--ca-file"), "\(refused.stderr)")
        #expect(refused.stderr.contains("operator"), "\(refused.stderr)")
        #expect(try hubRecordCount(hubDatabase) == 0)
        let status = try #require(try jsonObject(node.run("status", "--json").stdout) as? [String: Any])
        #expect(status["pending"] as? Int == 1)

        // In Chinese too.
        let chinese = try node.run("sync", "--lang", "zh")
        #expect(chinese.status == 1)
        #expect(chinese.stderr.contains("区平台的证书不受信任"), "\(chinese.stderr)")

        // The system's CAs do not know the throwaway CA either.
        let system = try StationNode(db: directory.file("b.sqlite")).run(
            "init", "--station", "S01", "--name", "x", "--hub", server.url, "--token-file", tokenFile)
        #expect(system.status == 0)
        let systemRefused = try await StationNode(db: directory.file("b.sqlite")).sync()
        #expect(systemRefused.status == 1)
        #expect(systemRefused.stderr.contains("the system's CAs"), "\(systemRefused.stderr)")

        // --ca-file on one sync overrides the saved one.
        let overridden = try node.run("sync", "--ca-file", ca.certificate)
        #expect(overridden.status == 0, "\(overridden.stderr)")
        #expect(try hubRecordCount(hubDatabase) == 1)
    }

    @Test func hubServeRefusesUnusableCertificateFilesNamingThem() throws {
        let ca = try TestCA(directory, name: "district")
        let other = try TestCA(directory, name: "elsewhere")
        let hubDatabase = directory.file("hub.sqlite")
        _ = try registerStation(hubDatabase: hubDatabase)
        let serve = ["serve", "--db", hubDatabase, "--port", "0"]

        let halfGiven = try CommandRunner.run("hub", serve + ["--tls-cert", ca.serverCertificate])
        #expect(halfGiven.status == 64)
        #expect(halfGiven.stderr.contains("--tls-cert and --tls-key go together"), "\(halfGiven.stderr)")

        let missing = directory.file("missing.pem")
        let absent = try CommandRunner.run("hub", serve + ["--tls-cert", missing, "--tls-key", ca.serverKey])
        #expect(absent.status == 64)
        #expect(absent.stderr.contains("\(missing) does not exist"), "\(absent.stderr)")

        let keyAsCertificate = try CommandRunner.run(
            "hub", serve + ["--tls-cert", ca.serverKey, "--tls-key", ca.serverKey])
        #expect(keyAsCertificate.status == 64)
        #expect(keyAsCertificate.stderr.contains("\(ca.serverKey) holds no PEM certificate"))

        let certificateAsKey = try CommandRunner.run(
            "hub", serve + ["--tls-cert", ca.serverCertificate, "--tls-key", ca.serverCertificate])
        #expect(certificateAsKey.status == 64)
        #expect(certificateAsKey.stderr.contains("\(ca.serverCertificate) holds no PEM private key"))

        let mismatched = try CommandRunner.run(
            "hub", serve + ["--tls-cert", ca.serverCertificate, "--tls-key", other.serverKey])
        #expect(mismatched.status == 64)
        #expect(
            mismatched.stderr.contains(
                "the key in --tls-key \(other.serverKey) does not belong to the certificate in --tls-cert \(ca.serverCertificate)"
            ), "\(mismatched.stderr)")
        #expect(!mismatched.stdout.contains("listening"))
    }

    @Test func plainHTTPToAnotherMachineNeedsTheOptIn() throws {
        let tokenFile = directory.file("S01.token")
        try "0123456789abcdef\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let node = StationNode(db: directory.file("a.sqlite"))
        let initArguments = ["init", "--station", "S01", "--name", "x", "--token-file", tokenFile]

        let refused = try node.run(initArguments + ["--hub", "http://10.1.2.3:8080"])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("plain http to another machine"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--allow-http"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: node.db), "nothing is written")

        let accepted = try node.run(initArguments + ["--hub", "http://10.1.2.3:8080", "--allow-http"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(try node.run("config").stdout.contains("plain http allowed to other machines"))

        // Withdrawing the opt-in while the URL is plain http is refused, and changes nothing.
        let withdrawn = try node.run("config", "--no-allow-http")
        #expect(withdrawn.status == 64)
        #expect(try node.run("config").stdout.contains("plain http allowed to other machines"))
        // Moving to https, then withdrawing it, is fine.
        #expect(try node.run("config", "--hub", "https://hub.example:8443", "--no-allow-http").status == 0)
        #expect(try node.run("config", "--hub", "http://10.1.2.3:8080").status == 64)

        // This machine needs no opt-in; a name other than localhost does.
        for (index, url) in ["http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080"].enumerated() {
            let local = try StationNode(db: directory.file("local\(index).sqlite")).run(initArguments + ["--hub", url])
            #expect(local.status == 0, "\(url): \(local.stderr)")
        }
        let named = try StationNode(db: directory.file("named.sqlite")).run(
            initArguments + ["--hub", "http://hub.lan:8080"])
        #expect(named.status == 64)

        // A CA file that is not one is refused at init.
        let notCA = try StationNode(db: directory.file("ca.sqlite")).run(
            initArguments + ["--hub", "https://hub.example", "--ca-file", tokenFile])
        #expect(notCA.status == 64)
        #expect(notCA.stderr.contains("holds no PEM certificate"), "\(notCA.stderr)")
    }

    @Test func aSyncOverAllowedPlainHTTPWarnsThatTheLinkIsNotEncrypted() async throws {
        let hubDatabase = directory.file("hub.sqlite")
        let tokenFile = try registerStation(hubDatabase: hubDatabase)
        let server = HubProcess(databasePath: hubDatabase)
        try server.start()
        defer { server.stop() }
        #expect(server.listeningLine == "listening on http://127.0.0.1:\(server.port)")
        // 0.0.0.0 is not a loopback address by name, yet on Linux a
        // connection to it reaches this machine: a non-loopback URL that
        // answers at once, without waiting on any network.
        let unencrypted = "http://0.0.0.0:\(server.port)"

        let allowed = try station("a.sqlite", hub: unencrypted, tokenFile: tokenFile, "--allow-http")
        let synced = try await allowed.sync()
        #expect(synced.status == 0, "\(synced.stderr)")
        #expect(
            synced.stderr.contains("warning: the link to the hub (\(unencrypted)) is not encrypted"), "\(synced.stderr)"
        )
        #expect(try hubRecordCount(hubDatabase) == 1)

        // Over loopback, no warning.
        let local = try station("b.sqlite", hub: server.url, tokenFile: tokenFile)
        let quiet = try await local.sync()
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(!quiet.stderr.contains("warning"), "\(quiet.stderr)")
        // Nor may a sync reach another machine over plain http without the opt-in.
        let refused = try await local.sync(hub: unencrypted)
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("station config --allow-http"), "\(refused.stderr)")
    }
}
