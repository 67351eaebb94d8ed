import CommonsSMTP
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real SMTP server for the mail tests: Python's aiosmtpd, when `COMMONS_TEST_SMTP_PYTHON`
/// names a Python that has it (CI installs one). Every message it accepts is written to a
/// folder, with the envelope recipient first. Recipients starting `bounce` get `550 5.1.1`;
/// those starting `later` get `451 4.3.0` and those starting `busy` `421 4.3.2` the first time,
/// and are accepted after.
final class SMTPTestServer: @unchecked Sendable {
    static var python: String? {
        ProcessInfo.processInfo.environment["COMMONS_TEST_SMTP_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    }

    let port: Int
    let folder: URL
    /// The certificate the server presents (STARTTLS), for `COMMONS_SMTP_CA_FILE`.
    let certificate: String?
    private let process: Process

    static let script = """
        import argparse, asyncio, email, email.policy, json, os, ssl, sys, time
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult
        p = argparse.ArgumentParser()
        p.add_argument('--port', type=int); p.add_argument('--dir'); p.add_argument('--cert'); p.add_argument('--key'); p.add_argument('--auth')
        a = p.parse_args()
        class Handler:
            def __init__(self): self.n = 0; self.deferred = set()
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address.startswith('bounce'): return '550 5.1.1 No such user here'
                if address.startswith('later') and address not in self.deferred:
                    self.deferred.add(address); return '451 4.3.0 Try again later'
                if address.startswith('busy') and address not in self.deferred:
                    self.deferred.add(address); return '421 4.3.2 Service not available, try again later'
                envelope.rcpt_tos.append(address); return '250 OK'
            async def handle_DATA(self, server, session, envelope):
                self.n += 1
                path = os.path.join(a.dir, '%06d.eml' % self.n)
                # Python's own MIME parser reads the message too: what a mail program would see.
                parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
                parts = [{'type': part.get_content_type(), 'filename': part.get_filename(),
                          'content': part.get_content() if part.get_content_maintype() == 'text' else None}
                         for part in parsed.walk() if not part.is_multipart()]
                with open(path + '.json', 'w') as f:
                    json.dump({'subject': str(parsed['subject']), 'defects': len(parsed.defects), 'parts': parts}, f)
                with open(path + '.tmp', 'wb') as f:
                    f.write(('X-Envelope-To: ' + ','.join(envelope.rcpt_tos) + '\\r\\n').encode() + envelope.original_content)
                os.rename(path + '.tmp', path)
                return '250 2.0.0 Accepted'
        kw = dict(hostname='127.0.0.1', port=a.port, enable_SMTPUTF8=True)
        if a.cert:
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH); ctx.load_cert_chain(a.cert, a.key)
            kw.update(tls_context=ctx, require_starttls=True)
        if a.auth:
            user, password = a.auth.split(':')
            def check(server, session, envelope, mechanism, data):
                ok = data.login.decode() == user and data.password.decode() == password
                return AuthResult(success=ok, handled=False)
            kw.update(authenticator=check, auth_required=True, auth_require_tls=bool(a.cert))
        c = Controller(Handler(), **kw); c.start()
        print('ready', flush=True)
        while True: time.sleep(3600)
        """

    init(python: String, tls: Bool = false, auth: String? = nil) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("mail"), withIntermediateDirectories: true)
        port = try Nginx.freePort()
        let scriptFile = folder.appendingPathComponent("server.py")
        try Self.script.write(to: scriptFile, atomically: true, encoding: .utf8)
        var arguments = [scriptFile.path, "--port", String(port), "--dir", folder.appendingPathComponent("mail").path]
        if tls {
            let cert = folder.appendingPathComponent("cert.pem").path
            let key = folder.appendingPathComponent("key.pem").path
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            openssl.arguments = [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ]
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            arguments += ["--cert", cert, "--key", key]
            certificate = cert
        } else {
            certificate = nil
        }
        if let auth { arguments += ["--auth", auth] }
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-u"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let line = output.fileHandleForReading.availableData
        guard String(decoding: line, as: UTF8.self).contains("ready") else { throw SMTPError.connection("the test SMTP server did not start") }
    }

    func url(credentials: String? = nil) -> String {
        "smtp://\(credentials.map { $0 + "@" } ?? "")localhost:\(port)"
    }

    /// Messages received so far, oldest first, as text.
    func messages() -> [String] {
        let mail = folder.appendingPathComponent("mail")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: mail.path)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
        return names.compactMap { try? String(contentsOf: mail.appendingPathComponent($0), encoding: .utf8) }
    }

    /// The received messages as Python's `email` package parsed them, oldest first.
    func parsedMessages() -> [ParsedMail] {
        let mail = folder.appendingPathComponent("mail")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: mail.path)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
        return names.compactMap { name in
            (try? Data(contentsOf: mail.appendingPathComponent(name + ".json"))).flatMap { try? JSONDecoder().decode(ParsedMail.self, from: $0) }
        }
    }

    /// Waits (up to `seconds`) until at least `count` messages have arrived.
    func waitForMessages(_ count: Int, seconds: Double = 20) async throws -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let received = messages()
            if received.count >= count { return received }
            try await Task.sleep(for: .milliseconds(100))
        }
        return messages()
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }
}

/// A message as Python's MIME parser saw it: decoded subject, defects found, leaf parts.
struct ParsedMail: Decodable {
    struct Part: Decodable {
        let type: String
        let filename: String?
        let content: String?
    }
    let subject: String
    let defects: Int
    let parts: [Part]

    func part(_ type: String) -> Part? { parts.first { $0.type == type } }
}

/// A received message: its headers (unfolded) and its parts, decoded.
struct ReceivedMail {
    let raw: String

    func header(_ name: String) -> String? {
        let head = raw.components(separatedBy: "\r\n\r\n").first ?? ""
        let unfolded = head.replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(of: "\r\n\t", with: " ")
        for line in unfolded.components(separatedBy: "\r\n") where line.lowercased().hasPrefix(name.lowercased() + ":") {
            return String(line.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// The subject with its RFC 2047 words decoded.
    var subject: String {
        let value = header("Subject") ?? ""
        guard value.hasPrefix("=?UTF-8?B?") else { return value }
        return value.components(separatedBy: " ").map { word in
            String(decoding: Data(base64Encoded: String(word.dropFirst(10).dropLast(2))) ?? Data(), as: UTF8.self)
        }.joined()
    }

    /// The text of the part with this content type, quoted-printable decoded.
    func part(_ contentType: String) -> String? {
        guard let start = raw.range(of: "Content-Type: \(contentType)") else { return nil }
        let rest = raw[start.upperBound...]
        guard let bodyStart = rest.range(of: "\r\n\r\n") else { return nil }
        let body = rest[bodyStart.upperBound...].components(separatedBy: "\r\n--").first ?? ""
        return Self.decodeQuotedPrintable(body)
    }

    static func decodeQuotedPrintable(_ text: String) -> String {
        var bytes: [UInt8] = []
        let input = Array(text.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "="), index + 2 < input.count,
                let value = UInt8(String(decoding: input[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(input[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
