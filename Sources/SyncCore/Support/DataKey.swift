import Crypto
import Foundation
import SyncModel

/// The random 256-bit key an encrypted station's store seals its values
/// with, in AES-256-GCM: each value gets a fresh random 96-bit nonce and a
/// 128-bit tag, stored with it as `nonce ‖ ciphertext ‖ tag` (28 bytes
/// more than the plaintext). The binding (where the value is stored) is the
/// associated data, so a value moved to another row does not open.
///
/// Made once per store and never changed: a new passphrase wraps the same
/// key again (`WrappedDataKey`).
public struct DataKey: Sendable {
    let key: SymmetricKey

    /// A new random key.
    public init() {
        key = SymmetricKey(size: .bits256)
    }

    init(bytes: [UInt8]) {
        key = SymmetricKey(data: bytes)
    }

    var bytes: [UInt8] { key.withUnsafeBytes { Array($0) } }

    /// `plaintext` sealed under this key.
    public func seal(_ plaintext: [UInt8], binding: [UInt8]) throws -> [UInt8] {
        let box = try AES.GCM.seal(plaintext, using: key, authenticating: binding)
        // `combined` is nil only for nonces of another size than the default.
        return Array(box.combined!)
    }

    /// The plaintext of `sealed`; throws when it was altered, or sealed
    /// under another key or binding.
    public func open(_ sealed: [UInt8], binding: [UInt8]) throws -> [UInt8] {
        Array(try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: binding))
    }
}
