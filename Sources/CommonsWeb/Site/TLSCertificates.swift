import Hummingbird
import Logging
import NIOSSL
import ServiceLifecycle
import Synchronization
import UnixSignals

/// `COMMONS_TLS_CERT` and `COMMONS_TLS_KEY`: HTTPS without a proxy, for a small install (TLS 1.2
/// or newer, HTTP/2 where the client offers it). The certificate and key are read again on
/// SIGHUP, when a renewal has replaced them: each new handshake uses what was read last, and
/// connections already open keep theirs, so nothing is dropped.
final class TLSCertificates: Sendable {
    typealias Loaded = (chain: [NIOSSLCertificateSource], key: NIOSSLPrivateKeySource)

    let certificatePath: String
    let keyPath: String
    private let current: Mutex<Loaded>

    init(certificate: String, key: String) throws {
        certificatePath = certificate
        keyPath = key
        current = Mutex(try Self.load(certificate: certificate, key: key))
    }

    /// Reads both files again; on any error the ones in use stay.
    func reload() throws {
        let loaded = try Self.load(certificate: certificatePath, key: keyPath)
        current.withLock { $0 = loaded }
    }

    /// The server's TLS configuration: TLS 1.2 at least, and the certificate chosen at each
    /// handshake from what was read last.
    var configuration: TLSConfiguration {
        let (chain, key) = current.withLock { $0 }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: key)
        configuration.minimumTLSVersion = .tlsv12
        configuration.sslContextCallback = { [self] _, promise in
            let (chain, key) = current.withLock { $0 }
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = chain
            override.privateKey = key
            promise.succeed(override)
        }
        return configuration
    }

    static func load(certificate: String, key: String) throws -> Loaded {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
            guard !chain.isEmpty else { throw TLSSetupError.unreadable(certificate, "no certificate in the file") }
            return (chain, .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        } catch let error as TLSSetupError {
            throw error
        } catch {
            throw TLSSetupError.unreadable("\(certificate) or \(key)", String(describing: error))
        }
    }
}

/// Reads the certificate again on each SIGHUP, until graceful shutdown.
struct CertificateReloadService: Service {
    let certificates: TLSCertificates
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        try? await cancelWhenGracefulShutdown {
            for await _ in signals {
                do {
                    try certificates.reload()
                    logger.notice("TLS certificate and key read again")
                } catch {
                    logger.error("the TLS certificate could not be read again; the previous one stays", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}

/// `COMMONS_HTTP_REDIRECT_PORT`: a plain-HTTP listener that only sends visitors to the https address.
enum HTTPSRedirect {
    static func application(baseURL: String, host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.get("**") { request, _ in
            let target = baseURL + (SitePath.localRedirectTarget(request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")) ?? "/")
            return Response.redirect(to: target, type: .permanent)
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil), logger: logger)
    }
}

enum TLSSetupError: Error, CustomStringConvertible {
    case unreadable(String, String)
    case halfConfigured

    var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read the TLS certificate or key (\(path)): \(reason)"
        case .halfConfigured: "COMMONS_TLS_CERT and COMMONS_TLS_KEY go together: set both, or neither."
        }
    }
}
