#if canImport(Glibc)
    import Glibc
#endif

/// The system's random generator (the kernel's), drawn 4 KB at a time. `SystemRandomNumberGenerator` makes a system call for
/// every eight bytes: for the two draws of each record id, that was a
/// twentieth of an import's building thread. Not `Sendable`: one per thread.
public struct BufferedSystemRandom: RandomNumberGenerator {
    private var words = [UInt64](repeating: 0, count: 512)
    private var used = 512

    public init() {}

    public mutating func next() -> UInt64 {
        if used == words.count { refill() }
        defer { used += 1 }
        return words[used]
    }

    private mutating func refill() {
        // The kernel's generator, as `getrandom` gives it (which Glibc's
        // module does not export): /dev/urandom never blocks once booted.
        let file = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        precondition(file >= 0, "the kernel's random source cannot be opened (errno \(errno))")
        defer { close(file) }
        words.withUnsafeMutableBytes { buffer in
            var filled = 0
            while filled < buffer.count {
                let got = read(file, buffer.baseAddress! + filled, buffer.count - filled)
                // Interrupted by a signal: read the rest. Any other failure
                // leaves nothing safe to hand out.
                if got < 0 && errno == EINTR { continue }
                precondition(got > 0, "the kernel's random source failed (errno \(errno))")
                filled += got
            }
        }
        used = 0
    }
}
