import CCrypto
import SyncModel

/// The signature of a station bundle: HMAC-SHA256 over the push body's exact
/// bytes, keyed with the SHA-256 of the station's token, in hex.
public enum BundleSignature {
    /// Signs with the token the station holds.
    public static func sign(token: String, body: [UInt8]) -> String {
        signature(keyHash: TokenHash.hash(token), body: body)
    }

    /// The signature a bundle of `body` must carry, from the token hash the hub keeps.
    public static func signature(keyHash: String, body: [UInt8]) -> String {
        let key = Array(keyHash.utf8)
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        key.withUnsafeBufferPointer { keyBuffer in
            body.withUnsafeBufferPointer { bodyBuffer in
                _ = HMAC(
                    EVP_sha256(), keyBuffer.baseAddress, Int32(keyBuffer.count), bodyBuffer.baseAddress,
                    bodyBuffer.count, &digest, &length)
            }
        }
        return TokenHash.hex(Array(digest.prefix(Int(length))))
    }
}
