#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Seconds since 1970 from the system clock.
public func currentTimeSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Milliseconds since 1970 from the system clock: the time stamped on writes.
public func currentTimeMillis() -> Int64 {
    Int64(currentTimeSeconds() * 1000)
}

/// A monotonic clock in seconds, for measuring durations.
public func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// How far the machine's local time zone (TZ, else the system's) is ahead
/// of UTC at `seconds` since 1970, in seconds: +28800 in China.
public func localUTCOffsetSeconds(at seconds: Double = currentTimeSeconds()) -> Int {
    var time = time_t(seconds.rounded(.down))
    var parts = tm()
    guard localtime_r(&time, &parts) != nil else { return 0 }
    return Int(parts.tm_gmtoff)
}
