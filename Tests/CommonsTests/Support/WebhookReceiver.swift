import Foundation

/// A real HTTP server (Python's `http.server`) that takes webhook deliveries: it answers each
/// POST with the next status of `statuses` (then 200), checks the `Commons-Signature` with
/// Python's own `hmac` against the secret in its folder, and writes each request as a JSON line.
final class WebhookReceiver: @unchecked Sendable {
    static let script = """
        import hashlib, hmac, http.server, json, os, sys, time
        port, folder, statuses = int(sys.argv[1]), sys.argv[2], [int(s) for s in sys.argv[3].split(',') if s]
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get('Content-Length', '0')))
                secret_file = os.path.join(folder, 'secret')
                verified = None
                if os.path.exists(secret_file):
                    secret = open(secret_file).read().strip()
                    parts = dict(p.split('=', 1) for p in self.headers.get('Commons-Signature', '').split(',') if '=' in p)
                    expected = hmac.new(secret.encode(), (parts.get('t', '') + '.').encode() + body, hashlib.sha256).hexdigest()
                    verified = hmac.compare_digest(expected, parts.get('v1', ''))
                status = statuses.pop(0) if statuses else 200
                record = {'path': self.path, 'status': status, 'verified': verified, 'body': body.decode(),
                          'headers': {k: v for k, v in self.headers.items()}}
                with open(os.path.join(folder, 'requests.jsonl'), 'a') as f:
                    f.write(json.dumps(record) + '\\n')
                self.send_response(status); self.send_header('Content-Length', '2'); self.end_headers(); self.wfile.write(b'ok')
            def log_message(self, *args): pass
        server = http.server.ThreadingHTTPServer(('127.0.0.1', port), Handler)
        print('ready', flush=True)
        server.serve_forever()
        """

    let port: Int
    let folder: URL
    private let process: Process

    init(statuses: [Int] = []) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("webhooks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        port = try Nginx.freePort()
        let scriptFile = folder.appendingPathComponent("receiver.py")
        try Self.script.write(to: scriptFile, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-u", scriptFile.path, String(port), folder.path, statuses.map(String.init).joined(separator: ",")]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        _ = output.fileHandleForReading.availableData
    }

    var url: String { "http://127.0.0.1:\(port)/hooks/commons" }

    /// Tells the receiver the secret to check signatures with.
    func trust(_ secret: String) throws {
        try secret.write(to: folder.appendingPathComponent("secret"), atomically: true, encoding: .utf8)
    }

    /// Every request so far, in order.
    func requests() -> [[String: Any]] {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("requests.jsonl"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Waits until `count` requests came, or `seconds` passed.
    func waitForRequests(_ count: Int, seconds: Double = 20) async throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let seen = requests()
            if seen.count >= count { return seen }
            try await Task.sleep(for: .milliseconds(50))
        }
        return requests()
    }

    /// SIGKILL: a process started from the test's threads may inherit a mask that blocks SIGTERM.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }
}
