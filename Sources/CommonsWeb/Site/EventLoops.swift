import Foundation
import NIOCore

/// How many NIO event loops the server runs. NIO counts the machine's cores (and a cgroup's
/// limits), not the CPUs this process may run on: started under `taskset -c 0` or systemd's
/// `CPUAffinity=0`, it would still run one loop per core, and those loops would take turns on
/// the one CPU, each holding its connections' answers for a scheduler time slice (a p99 of
/// about 5 ms on cached pages that take 0.4 ms). `matchAffinity()` asks for as many loops as
/// CPUs the process may use, when that is fewer; `NIO_SINGLETON_GROUP_LOOP_COUNT` still wins.
public enum EventLoops {
    /// The CPUs the process may run on (the mask in `/proc/self/status`), or nil where that
    /// cannot be read.
    public static func allowedCPUs() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") })
        else { return nil }
        // Hexadecimal, in groups of eight digits separated by commas.
        var count = 0
        for digit in line.dropFirst("Cpus_allowed:".count) where digit != "," && !digit.isWhitespace {
            guard let value = digit.hexDigitValue else { return nil }
            count += value.nonzeroBitCount
        }
        return count > 0 ? count : nil
    }

    /// Call once, before anything uses NIO's shared event loops (`commons serve` does, first).
    /// It compares with `System.coreCount`, what NIO would choose: reading NIO's suggestion
    /// would fix it, and setting it afterwards stops the process.
    public static func matchAffinity() {
        guard ProcessInfo.processInfo.environment["NIO_SINGLETON_GROUP_LOOP_COUNT"] == nil, let allowed = allowedCPUs(),
            allowed < System.coreCount
        else { return }
        NIOSingletons.groupLoopCountSuggestion = allowed
    }
}
