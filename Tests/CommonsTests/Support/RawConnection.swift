import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to the test server, for what an HTTP client library will not do:
/// send half a header, trickle a body, or hold a socket open and say nothing.
final class RawConnection: @unchecked Sendable {
    private let socket: Int32

    /// `source`: the local address to connect from (any of 127.0.0.0/8 is this machine), so a
    /// test can be several visitors.
    init(port: Int, from source: String? = nil) throws {
        // Built in a local and closed here on failure: `self.socket` is set only once connected,
        // so `deinit` never closes a descriptor twice (a second close could close another
        // thread's socket that reused the number).
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RawConnectionError.cannotConnect }
        func fail() -> RawConnectionError {
            close(descriptor)
            return RawConnectionError.cannotConnect
        }
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(source)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { throw fail() }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw fail() }
        socket = descriptor
    }

    deinit { close(socket) }

    /// Sends the bytes; false when the server has closed the connection.
    @discardableResult
    func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Everything the server sends until it closes the connection or `seconds` pass; and
    /// whether it closed. The wait happens on a Dispatch thread: blocking one of the few
    /// threads Swift concurrency runs on would starve the servers under test beside it.
    func readUntilClosed(within seconds: Double) async -> (text: String, closed: Bool) {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: self.blockingRead(within: seconds)) }
        }
    }

    /// The bytes the server sends until it closes the connection or `seconds` pass.
    func readBytesUntilClosed(within seconds: Double) async -> [UInt8] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: self.blockingReadBytes(within: seconds).bytes) }
        }
    }

    /// The next `count` answers on a kept-alive connection (each framed by its
    /// `Content-Length`), fewer if the server closes or `seconds` pass first.
    func readAnswers(_ count: Int, within seconds: Double) async -> [(status: Int, head: String, body: String)] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: self.blockingReadAnswers(count, within: seconds)) }
        }
    }

    private func blockingReadAnswers(_ count: Int, within seconds: Double) -> [(status: Int, head: String, body: String)] {
        var answers: [(status: Int, head: String, body: String)] = []
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65536)
        let separator = Array("\r\n\r\n".utf8)
        while answers.count < count, Date() < deadline {
            // Take every whole answer already received.
            while let end = received.indices.first(where: { received[$0...].starts(with: separator) }) {
                let head = String(decoding: received[..<end], as: UTF8.self)
                let length =
                    head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                guard received.count >= end + 4 + length else { break }
                let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
                answers.append((status, head, String(decoding: received[(end + 4)..<(end + 4 + length)], as: UTF8.self)))
                received.removeFirst(end + 4 + length)
            }
            guard answers.count < count else { break }
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            let read = recv(socket, &buffer, buffer.count, 0)
            if read <= 0 { break }
            received += buffer[0..<read]
        }
        return answers
    }

    private func blockingRead(within seconds: Double) -> (text: String, closed: Bool) {
        let (bytes, closed) = blockingReadBytes(within: seconds)
        return (String(decoding: bytes, as: UTF8.self), closed)
    }

    private func blockingReadBytes(within seconds: Double) -> (bytes: [UInt8], closed: Bool) {
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let remaining = Int32(max(1, deadline.timeIntervalSinceNow * 1000))
            guard poll(&poller, 1, min(remaining, 200)) > 0 else { continue }
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { return (received, true) }
            received += buffer[0..<count]
        }
        return (received, false)
    }
}

extension RawConnection {
    /// One HTTP/1.1 exchange on a fresh connection from `source`: the status and the body.
    static func exchange(
        port: Int,
        from source: String,
        _ method: String,
        _ path: String,
        body: String = "",
        type: String? = nil
    ) async throws -> (status: Int, body: String) {
        let connection = try RawConnection(port: port, from: source)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: commons.test\r\nConnection: close\r\n"
        if let type { head += "Content-Type: \(type)\r\n" }
        if method == "POST" { head += "Content-Length: \(body.utf8.count)\r\n" }
        connection.send(head + "\r\n" + body)
        let text = await connection.readUntilClosed(within: 10).text
        let status = Int(text.split(separator: " ", maxSplits: 2).dropFirst().first ?? "") ?? 0
        return (status, text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n"))
    }
}

enum RawConnectionError: Error {
    case cannotConnect
}
