import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real nginx in front of a test server, when `COMMONS_TEST_NGINX` names its binary (CI
/// installs it): a reverse proxy as the deployment guide configures one.
final class Nginx {
    static var binary: String? {
        ProcessInfo.processInfo.environment["COMMONS_TEST_NGINX"].flatMap { $0.isEmpty ? nil : $0 }
    }

    let port: Int
    private let process: Process
    private let folder: URL

    /// Starts nginx on a free loopback port, passing every request to `upstream` with
    /// `X-Forwarded-For` and `X-Forwarded-Proto` set as in `docs/DEPLOY.md`.
    convenience init(binary: String, upstream: Int) throws {
        try self.init(binary: binary, upstreams: [upstream])
    }

    /// The same in front of several servers, balanced in turn; a request whose server fails
    /// before answering is sent to the next (a sign-up may be sent twice: its one-time form
    /// token makes the second a no-op).
    init(binary: String, upstreams: [Int]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("nginx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        port = try Self.freePort()
        let user = getuid() == 0 ? "user root;\n" : ""
        let configuration = """
            \(user)daemon off;
            worker_processes 1;
            pid \(folder.path)/nginx.pid;
            error_log \(folder.path)/error.log warn;
            events { worker_connections 256; }
            http {
                access_log off;
                upstream commons {
            \(upstreams.map { "        server 127.0.0.1:\($0) max_fails=1 fail_timeout=30s;" }.joined(separator: "\n"))
                }
                client_body_temp_path \(folder.path)/body;
                proxy_temp_path \(folder.path)/proxy;
                fastcgi_temp_path \(folder.path)/fastcgi;
                uwsgi_temp_path \(folder.path)/uwsgi;
                scgi_temp_path \(folder.path)/scgi;
                server {
                    listen 127.0.0.1:\(port);
                    location / {
                        proxy_pass http://commons;
                        proxy_next_upstream error timeout http_502 non_idempotent;
                        proxy_connect_timeout 2s;
                        proxy_set_header Host $host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                    }
                }
            }
            """
        let file = folder.appendingPathComponent("nginx.conf")
        try configuration.write(to: file, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-p", folder.path, "-c", file.path]
        // Not the test's own output: a child holding it open would keep the test runner waiting.
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Ready when it accepts connections.
        for _ in 0..<100 {
            if (try? RawConnection(port: port)) != nil { return }
            usleep(50_000)
        }
        stop()
        throw NginxError.didNotStart((try? String(contentsOf: folder.appendingPathComponent("error.log"), encoding: .utf8)) ?? "")
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
            }
        }
        guard bound else { throw NginxError.noPort }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

enum NginxError: Error {
    case noPort
    case didNotStart(String)
}
