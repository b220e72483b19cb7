import Crypto
import CryptoExtras
import Foundation
import SyncModel

/// A store's data key wrapped under a passphrase, as the store keeps it:
///
///     health-sync-key/1;scrypt;N=32768;r=8;p=1;salt=<base64>;key=<base64>
///
/// The passphrase (UTF-8, NFC) and the 16-byte random salt go through
/// scrypt to a 256-bit key that seals the data key with AES-256-GCM; the
/// text before `key=` is the associated data, so no parameter can be
/// changed without the unwrapping failing. A wrong passphrase fails the
/// tag check: nothing is decrypted with a wrong key.
public struct WrappedDataKey: Sendable, Equatable {
    /// scrypt's cost: memory is 128 × r × N bytes (32 MiB for the default).
    public struct Cost: Sendable, Equatable {
        public var n: Int
        public var r: Int
        public var p: Int

        public init(n: Int, r: Int, p: Int) {
            self.n = n
            self.r = r
            self.p = p
        }

        /// N = 2^15, r = 8, p = 1: 32 MiB, about a tenth of a second here.
        public static let standard = Cost(n: 1 << 15, r: 8, p: 1)

        /// Within what a clinic laptop can afford, and a power of two: a key
        /// record asking for more is damaged, not obeyed.
        var isReasonable: Bool {
            n >= 2 && n <= 1 << 20 && n & (n - 1) == 0 && (1...32).contains(r) && (1...16).contains(p)
        }
    }

    static let format = "health-sync-key/1"

    public let cost: Cost
    let salt: [UInt8]
    let sealed: [UInt8]

    /// Wraps `dataKey` under `passphrase`, with a new random salt.
    public static func wrap(_ dataKey: DataKey, passphrase: String, cost: Cost = .standard) throws -> WrappedDataKey {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let kek = try keyEncryptionKey(passphrase, salt: salt, cost: cost)
        let header = Self.header(cost: cost, salt: salt)
        let box = try AES.GCM.seal(dataKey.bytes, using: kek, authenticating: Array(header.utf8))
        return WrappedDataKey(cost: cost, salt: salt, sealed: Array(box.combined!))
    }

    /// The data key, if `passphrase` is the one it was wrapped under.
    public func unwrap(passphrase: String) throws(PassphraseError) -> DataKey {
        let kek: SymmetricKey
        do {
            kek = try Self.keyEncryptionKey(passphrase, salt: salt, cost: cost)
        } catch {
            throw .damaged
        }
        let header = Self.header(cost: cost, salt: salt)
        guard let box = try? AES.GCM.SealedBox(combined: sealed),
            let bytes = try? AES.GCM.open(box, using: kek, authenticating: Array(header.utf8))
        else { throw .wrong }
        guard bytes.count == 32 else { throw .damaged }
        return DataKey(bytes: Array(bytes))
    }

    private static func keyEncryptionKey(_ passphrase: String, salt: [UInt8], cost: Cost) throws -> SymmetricKey {
        try KDF.Scrypt.deriveKey(
            from: Array(passphrase.precomposedStringWithCanonicalMapping.utf8), salt: salt, outputByteCount: 32,
            rounds: cost.n, blockSize: cost.r, parallelism: cost.p)
    }

    private static func header(cost: Cost, salt: [UInt8]) -> String {
        "\(format);scrypt;N=\(cost.n);r=\(cost.r);p=\(cost.p);salt=\(Data(salt).base64EncodedString())"
    }

    /// The text the store keeps.
    public var text: String {
        Self.header(cost: cost, salt: salt) + ";key=" + Data(sealed).base64EncodedString()
    }

    /// Reads a stored key record; throws `damaged` for anything else.
    public init(text: String) throws(PassphraseError) {
        let parts = text.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 7, parts[0] == Self.format, parts[1] == "scrypt" else { throw .damaged }
        func value(_ index: Int, _ name: String) throws(PassphraseError) -> String {
            guard parts[index].hasPrefix(name + "=") else { throw .damaged }
            return String(parts[index].dropFirst(name.count + 1))
        }
        guard let n = Int(try value(2, "N")), let r = Int(try value(3, "r")), let p = Int(try value(4, "p")),
            let salt = Data(base64Encoded: try value(5, "salt")), salt.count >= 16,
            let sealed = Data(base64Encoded: try value(6, "key")), sealed.count == 12 + 32 + 16
        else { throw .damaged }
        let cost = Cost(n: n, r: r, p: p)
        guard cost.isReasonable else { throw .damaged }
        self.init(cost: cost, salt: Array(salt), sealed: Array(sealed))
    }

    private init(cost: Cost, salt: [UInt8], sealed: [UInt8]) {
        self.cost = cost
        self.salt = salt
        self.sealed = sealed
    }
}

/// Why a passphrase did not open a store.
public enum PassphraseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not the passphrase the key was wrapped under.
    case wrong
    /// The key record in the file is not one this program wrote.
    case damaged

    public var description: String {
        switch self {
        case .wrong:
            return tr("wrong passphrase: the database was not opened", zh: "口令不对：数据库未打开")
        case .damaged:
            return tr(
                "the database's encryption key record is damaged: the data cannot be decrypted; start again from the hub",
                zh: "数据库的加密密钥记录已损坏：数据无法解密；请从区平台重新开始")
        }
    }
}
