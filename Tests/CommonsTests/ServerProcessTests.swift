import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real `commons` binary, started as a child process, as an operator runs it.
@Suite("Server process")
struct ServerProcessTests {
    /// The `commons` executable `swift build` put beside this test bundle.
    static var executable: URL? {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("commons")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    /// A loopback port nothing listens on now: the system picks it.
    static func freePort() -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { return Int.random(in: 20000..<30000) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test(.enabled(if: executable != nil, "the commons executable is not built (run swift build first)"))
    func test_sigterm_shuts_down_cleanly_and_serves_until_then() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("commons-proc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = Pipe()
        let (process, port) = try await startServer(folder: folder, logLevel: "info", output: output)
        let (status, body) = try await get("http://127.0.0.1:\(port)/")
        #expect(status == 200)
        #expect(body.contains("Our Mission"))

        process.terminate()  // SIGTERM
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        let log = String(decoding: await output.fileHandleForReading.readAllWithoutBlocking(), as: UTF8.self)
        #expect(log.contains("GET / 200"))
        #expect(log.contains("GET /healthz 200"))
    }

    @Test(.enabled(if: executable != nil, "the commons executable is not built (run swift build first)"))
    func test_a_request_held_open_delays_shutdown_ten_seconds_at_most() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("commons-proc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (process, port) = try await startServer(folder: folder, logLevel: "warning", output: nil)
        // A form whose body never finishes arriving: the request is in flight when SIGTERM comes.
        let held = try RawConnection(port: port)
        held.send(
            "POST /campaigns/sanctuary-schools HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\ngiven"
        )
        try await Task.sleep(for: .milliseconds(300))
        let stopAsked = Date()
        process.terminate()
        // Without the 10 s grace the request's own deadline (30 s) would be what ends it.
        let deadline = Date().addingTimeInterval(40)
        while process.isRunning && Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            held.send("a")  // keeps the body coming slowly, so only the grace period ends it
        }
        #expect(!process.isRunning)
        #expect(Date().timeIntervalSince(stopAsked) < 20)
        if process.isRunning { process.interrupt() }
    }

    @Test(.enabled(if: executable != nil, "the commons executable is not built (run swift build first)"))
    func test_bad_environment_value_stops_start_up_with_its_name() async throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["migrate"]
        process.environment = ["PORT": "eighty", "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        process.standardError = output
        process.standardOutput = output
        try process.run()
        await process.exited()
        #expect(process.terminationStatus != 0)
        let text = String(decoding: await output.fileHandleForReading.readAllWithoutBlocking(), as: UTF8.self)
        #expect(text.contains("PORT=eighty cannot be used"))
    }

    /// `LOG_FORMAT=json`: every line a JSON object a log shipper can read, request lines with
    /// their id, route pattern, status and duration, and nothing a visitor typed in any line.
    @Test(.enabled(if: executable != nil, "build the commons executable first (swift build)"))
    func test_json_logs_are_one_object_a_line_and_hold_no_personal_data() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("commons-json-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = Pipe()
        let (process, port) = try await startServer(folder: folder, logLevel: "info", output: output, environment: ["LOG_FORMAT": "json"])
        _ = try await get("http://127.0.0.1:\(port)/news/cej-calls-for-sanctuary-schools")
        _ = try await get("http://127.0.0.1:\(port)/search?q=Zanzibarina")
        _ = try await get("http://127.0.0.1:\(port)/no-such-page-quetzalcoatlova")
        _ = try await get("http://127.0.0.1:\(port)/no/such/quetzalcoatlova")
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/campaigns/sanctuary-schools")!)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue("commons_language=es; secret-cookie=Zanzibarina", forHTTPHeaderField: "Cookie")
        request.httpBody = Data("given_name=Zanzibarina&email=canary.person%40example.org&form_token=x".utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 422)
        process.terminate()
        await process.exited()
        let text = String(decoding: await output.fileHandleForReading.readAllWithoutBlocking(), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count >= 5)
        var requests: [[String: Any]] = []
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            #expect(object["time"] is String && object["level"] is String && object["message"] is String)
            if object["route"] != nil { requests.append(object) }
        }
        let post = try #require(requests.first { ($0["message"] as? String)?.hasPrefix("POST") == true })
        #expect(post["route"] as? String == "/campaigns/{slug}")
        #expect(post["status"] as? Int == 422)
        #expect(post["duration_ms"] is Double && (post["request_id"] as? String)?.isEmpty == false)
        #expect(requests.contains { $0["route"] as? String == "/{slug}" && $0["status"] as? Int == 404 })
        #expect(requests.contains { $0["route"] as? String == "NotFound" && $0["status"] as? Int == 404 })
        for canary in ["Zanzibarina", "canary.person", "q=", "secret-cookie", "form_token"] { #expect(!text.contains(canary), "\(canary)") }
    }

    /// `commons --version`: the release and the commit the binary was built from.
    @Test(.enabled(if: executable != nil, "build the commons executable first (swift build)"))
    func test_version_names_the_release_and_the_commit_it_was_built_from() async throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["--version"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        await process.exited()
        let text = String(decoding: await output.fileHandleForReading.readAllWithoutBlocking(), as: UTF8.self)
        let match = try #require(text.wholeMatch(of: #/commons [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{12})(-modified)?\)\n/#), "\(text)")
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        git.arguments = ["-C", URL(fileURLWithPath: #filePath).deletingLastPathComponent().path, "log", "--format=%h", "--abbrev=12", "-n", "50"]
        let commits = Pipe()
        git.standardOutput = commits
        try git.run()
        await git.exited()
        // One of the recent commits: the binary may be a build or two behind the work tree.
        #expect(String(decoding: await commits.fileHandleForReading.readAllWithoutBlocking(), as: UTF8.self).contains(String(match.output.1)))
    }

    /// Starts `commons serve` on a free port with its data in `folder`, and waits until it is healthy.
    /// `pinnedTo`: CPUs to run it on, through `taskset -c` (which then runs it as the same process).
    func startServer(
        folder: URL,
        logLevel: String,
        output: Pipe?,
        environment: [String: String] = [:],
        pinnedTo cpus: String? = nil
    ) async throws -> (Process, Int) {
        let port = Self.freePort()
        let process = Process()
        if let cpus, let executable = Self.executable {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
            process.arguments = ["-c", cpus, executable.path, "serve", "--port", String(port)]
        } else {
            process.executableURL = Self.executable
            process.arguments = ["serve", "--port", String(port)]
        }
        process.environment = ["COMMONS_DATA_DIR": folder.path, "LOG_LEVEL": logLevel, "PATH": "/usr/bin:/bin"].merging(environment) { _, new in new }
        if let output {
            process.standardOutput = output
            process.standardError = output
        } else {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        var healthy = false
        for _ in 0..<100 where !healthy {
            try await Task.sleep(for: .milliseconds(100))
            healthy = (try? await get("http://127.0.0.1:\(port)/healthz"))?.0 == 200
        }
        #expect(healthy)
        return (process, port)
    }

    /// Pinned to one CPU, the server runs one event loop, not one per core taking turns on it.
    @Test(
        .enabled(
            if: executable != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/taskset"),
            "needs the commons executable and taskset"
        )
    )
    func test_a_server_pinned_to_one_cpu_runs_one_event_loop() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("commons-proc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (process, port) = try await startServer(folder: folder, logLevel: "warning", output: nil, pinnedTo: "0")
        defer { process.terminate() }
        #expect(try await get("http://127.0.0.1:\(port)/").0 == 200)
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/task")
        let loops = tasks.filter { task in
            let name = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/task/\(task)/comm", encoding: .utf8)) ?? ""
            return name.hasPrefix("NIO-SGLTN")
        }
        #expect(loops.count == 1, "\(loops.count) event loops on one CPU")
    }

    func get(_ url: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
}
