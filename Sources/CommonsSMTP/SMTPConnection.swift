import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// How long each step may take before the connection is given up (RFC 5321 §4.5.3.2 suggests
/// minutes; a relay that slow is better retried later).
public struct SMTPTimeouts: Sendable {
    public var connect: TimeAmount
    /// Each command's reply.
    public var reply: TimeAmount
    /// The reply after the message's last line, when the server may scan it.
    public var dataEnd: TimeAmount

    public init(connect: TimeAmount = .seconds(15), reply: TimeAmount = .seconds(60), dataEnd: TimeAmount = .seconds(300)) {
        self.connect = connect
        self.reply = reply
        self.dataEnd = dataEnd
    }
}

/// One SMTP session with a relay: greeting, EHLO, STARTTLS, AUTH, then any number of messages
/// (pipelined where the server offers PIPELINING), then QUIT. One message at a time.
public actor SMTPConnection {
    private let channel: any Channel
    private let replies: SMTPReplyQueue
    private let timeouts: SMTPTimeouts
    /// The EHLO keywords the server offered, upper-cased, with their parameters.
    public private(set) var extensions: [String: String] = [:]
    /// The server's greeting and EHLO answer, for `commons mail test`.
    public private(set) var transcript: [String] = []

    private init(channel: any Channel, replies: SMTPReplyQueue, timeouts: SMTPTimeouts) {
        self.channel = channel
        self.replies = replies
        self.timeouts = timeouts
    }

    /// Connects, greets, secures and signs in; throws `SMTPError` only.
    public static func open(
        to server: SMTPServer,
        heloName: String,
        timeouts: SMTPTimeouts = SMTPTimeouts(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> SMTPConnection {
        let tls = try makeTLSContext(server)
        let replies = SMTPReplyQueue()
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(timeouts.connect)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if server.security == .implicitTLS {
                            try channel.pipeline.syncOperations.addHandler(
                                try NIOSSLClientHandler(context: tls, serverHostname: hostname(server.host))
                            )
                        }
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                        try channel.pipeline.syncOperations.addHandler(replies)
                    }
                }
                .connect(host: server.host, port: server.port).get()
        } catch {
            throw SMTPError.connection(describe(error))
        }
        let connection = SMTPConnection(channel: channel, replies: replies, timeouts: timeouts)
        do {
            try await connection.start(server: server, heloName: heloName, tls: tls)
        } catch {
            await connection.close()
            throw error
        }
        return connection
    }

    public var isOpen: Bool { channel.isActive }

    /// Hands one message to the server for one recipient and answers the server's acceptance
    /// (the `250` after the data). `message` is the whole RFC 5322 text; line ends are made
    /// CRLF and lines starting with a dot are doubled here.
    public func send(from sender: String, to recipient: String, message: [UInt8]) async throws -> SMTPReply {
        guard Self.isWritable(sender), Self.isWritable(recipient) else { throw SMTPError.invalidAddress }
        let needsUTF8 = !(sender + recipient).allSatisfy(\.isASCII)
        if needsUTF8, extensions["SMTPUTF8"] == nil { throw SMTPError.unsupported("SMTPUTF8, which this address needs") }
        let mailFrom = "MAIL FROM:<\(sender)>" + (needsUTF8 ? " SMTPUTF8" : "")
        let rcptTo = "RCPT TO:<\(recipient)>"
        let answers: [SMTPReply]
        if extensions["PIPELINING"] != nil {
            try await write(mailFrom, rcptTo, "DATA")
            answers = [try await reply("MAIL FROM"), try await reply("RCPT TO"), try await reply("DATA")]
        } else {
            try await write(mailFrom)
            var collected = [try await reply("MAIL FROM")]
            if collected[0].isPositive {
                try await write(rcptTo)
                collected.append(try await reply("RCPT TO"))
                if collected[1].isPositive {
                    try await write("DATA")
                    collected.append(try await reply("DATA"))
                }
            }
            answers = collected
        }
        if let step = answers.prefix(2).firstIndex(where: { !$0.isPositive }) {
            let refusal = answers[step]
            // A pipelined DATA a server accepted anyway gets an empty message ended at once.
            if answers.count == 3, answers[2].code == 354 {
                try await writeRaw(ByteBuffer(string: ".\r\n"))
                _ = try await reply("end of data")
            }
            try await reset()
            if refusal.isTemporaryFailure { throw SMTPError.temporary(refusal) }
            throw step == 1 ? SMTPError.recipientRefused(refusal) : SMTPError.permanent(refusal)
        }
        guard answers.count == 3, answers[2].code == 354 else {
            let refusal = answers.last!
            try await reset()
            throw refusal.isTemporaryFailure ? SMTPError.temporary(refusal) : SMTPError.permanent(refusal)
        }
        try await writeRaw(ByteBuffer(bytes: Self.dataLines(message)))
        let accepted = try await reply("end of data", timeout: timeouts.dataEnd)
        guard accepted.code == 250 else {
            throw accepted.isTemporaryFailure ? SMTPError.temporary(accepted) : SMTPError.permanent(accepted)
        }
        return accepted
    }

    /// Says goodbye and closes; never throws.
    public func close() async {
        if channel.isActive {
            try? await write("QUIT")
            _ = try? await reply("QUIT", timeout: .seconds(5))
        }
        try? await channel.close()
    }

    // MARK: - The conversation

    private func start(server: SMTPServer, heloName: String, tls: NIOSSLContext) async throws {
        let greeting = try await reply("greeting")
        transcript.append(greeting.text)
        guard greeting.code == 220 else { throw SMTPError.connection("the server greeted with \(greeting.summary)") }
        try await hello(heloName)
        if server.security == .startTLSWhenOffered {
            if extensions["STARTTLS"] != nil {
                try await write("STARTTLS")
                let ready = try await reply("STARTTLS")
                guard ready.code == 220 else { throw SMTPError.connection("STARTTLS was refused: \(ready.summary)") }
                let handler = try NIOSSLClientHandler(context: tls, serverHostname: Self.hostname(server.host))
                try await channel.pipeline.addHandler(handler, position: .first).get()
                try await hello(heloName)
            } else if server.credentials != nil {
                throw SMTPError.unsupported("STARTTLS, which is required before sending a password")
            }
        }
        if let (username, password) = server.credentials { try await authenticate(username, password) }
    }

    private func hello(_ name: String) async throws {
        try await write("EHLO \(name)")
        var answer = try await reply("EHLO")
        extensions = [:]
        if answer.code == 250 {
            for line in answer.lines.dropFirst() {
                let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
                guard let keyword = parts.first?.uppercased() else { continue }
                extensions[keyword] = parts.count > 1 ? parts[1] : ""
            }
        } else {
            try await write("HELO \(name)")
            answer = try await reply("HELO")
            guard answer.code == 250 else { throw SMTPError.permanent(answer) }
        }
        transcript.append(answer.text)
    }

    private func authenticate(_ username: String, _ password: String) async throws {
        let mechanisms = Set((extensions["AUTH"] ?? "").uppercased().split(separator: " ").map(String.init))
        let answer: SMTPReply
        if mechanisms.contains("PLAIN") {
            try await write("AUTH PLAIN " + Data(("\0" + username + "\0" + password).utf8).base64EncodedString())
            answer = try await reply("AUTH")
        } else if mechanisms.contains("LOGIN") {
            try await write("AUTH LOGIN")
            var step = try await reply("AUTH")
            if step.code == 334 {
                try await write(Data(username.utf8).base64EncodedString())
                step = try await reply("AUTH")
                if step.code == 334 {
                    try await write(Data(password.utf8).base64EncodedString())
                    step = try await reply("AUTH")
                }
            }
            answer = step
        } else {
            throw SMTPError.unsupported("AUTH PLAIN or LOGIN")
        }
        guard answer.code == 235 else {
            throw answer.isTemporaryFailure ? SMTPError.temporary(answer) : SMTPError.permanent(answer)
        }
    }

    private func reset() async throws {
        try await write("RSET")
        _ = try await reply("RSET")
    }

    private func write(_ commands: String...) async throws {
        try await writeRaw(ByteBuffer(string: commands.map { $0 + "\r\n" }.joined()))
    }

    private func writeRaw(_ buffer: ByteBuffer) async throws {
        do {
            try await channel.writeAndFlush(buffer)
        } catch {
            throw SMTPError.connection(Self.describe(error))
        }
    }

    private func reply(_ step: String, timeout: TimeAmount? = nil) async throws -> SMTPReply {
        let replies = self.replies
        let eventLoop = channel.eventLoop
        let timeout = timeout ?? timeouts.reply
        do {
            return try await eventLoop.flatSubmit { replies.next(on: eventLoop, timeout: timeout, step: step) }.get()
        } catch let error as SMTPError {
            throw error
        } catch {
            throw SMTPError.connection(Self.describe(error))
        }
    }

    // MARK: - Helpers

    /// The message as DATA carries it: CRLF line ends, a dot doubled at the start of a line,
    /// and the final `.` line (RFC 5321 §4.5.2).
    static func dataLines(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + message.count / 50 + 5)
        var atLineStart = true
        var previous: UInt8 = 0
        for byte in message {
            if byte == UInt8(ascii: "\n"), previous != UInt8(ascii: "\r") { out.append(UInt8(ascii: "\r")) }
            if atLineStart, byte == UInt8(ascii: ".") { out.append(UInt8(ascii: ".")) }
            out.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
            previous = byte
        }
        if !atLineStart { out.append(contentsOf: Array("\r\n".utf8)) }
        out.append(contentsOf: Array(".\r\n".utf8))
        return out
    }

    /// No character that would end a command or the angle brackets around the address.
    static func isWritable(_ address: String) -> Bool {
        !address.isEmpty && address.utf8.count <= 320
            && !address.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "<" || $0 == ">" || $0 == "\0" })
    }

    /// SNI wants a name, not an address.
    static func hostname(_ host: String) -> String? {
        host.allSatisfy({ $0.isNumber || $0 == "." || $0 == ":" }) ? nil : host
    }

    static func makeTLSContext(_ server: SMTPServer) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let file = server.trustedCertificatesFile {
            do {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(file))
            } catch {
                throw SMTPError.configuration("has a CA file (COMMONS_SMTP_CA_FILE) that cannot be read: \(file)")
            }
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw SMTPError.configuration("could not set up TLS: \(describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? SMTPError { return error.description }
        if let error = error as? NIOSSLError { return "TLS failed (\(error))" }
        if let error = error as? BoringSSLError { return "TLS failed (\(error))" }
        if error is ChannelError { return "the connection failed (\(error))" }
        return String(describing: error)
    }
}
