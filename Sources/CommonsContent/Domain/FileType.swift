import Foundation

/// The kinds of file the document library accepts, recognised by their first bytes, never by name.
public enum FileType: String, Sendable, CaseIterable {
    case pdf, docx, xlsx, pptx, png, jpeg, webp

    public var contentType: String {
        switch self {
        case .pdf: "application/pdf"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .webp: "image/webp"
        }
    }

    /// How readers see the type named on a document's page.
    public var label: String {
        switch self {
        case .pdf: "PDF"
        case .docx: "Word"
        case .xlsx: "Excel"
        case .pptx: "PowerPoint"
        case .png: "PNG"
        case .jpeg: "JPEG"
        case .webp: "WebP"
        }
    }

    public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }

    /// A PNG, JPEG or WebP: what pages show as a picture (featured images, logos, resized copies).
    public var isPicture: Bool { self == .png || self == .jpeg || self == .webp }

    /// Opened in the browser rather than downloaded.
    public var opensInline: Bool { self == .pdf || isPicture }

    public init?(contentType: String) {
        guard let match = FileType.allCases.first(where: { $0.contentType == contentType }) else { return nil }
        self = match
    }

    /// The type the bytes really are, or nil when they are none of the accepted kinds.
    public static func sniff(_ bytes: Data) -> FileType? {
        let head = [UInt8](bytes.prefix(16))
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + signature.count && Array(head[offset..<offset + signature.count]) == signature
        }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return officeType(ofZip: bytes) }
        return nil
    }

    /// An Office Open XML file is a ZIP whose entry names say which kind it is; a ZIP without
    /// `[Content_Types].xml` is not an Office file at all.
    private static func officeType(ofZip bytes: Data) -> FileType? {
        var names: [String] = []
        var offset = 0
        let data = [UInt8](bytes)
        // Walk the local file headers: signature, fixed 30-byte header, name, extra, data.
        while offset + 30 <= data.count, data[offset] == 0x50, data[offset + 1] == 0x4B, data[offset + 2] == 0x03, data[offset + 3] == 0x04 {
            func u16(_ at: Int) -> Int { Int(data[offset + at]) | Int(data[offset + at + 1]) << 8 }
            func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
            let flags = u16(6)
            let compressedSize = u32(18)
            let nameLength = u16(26)
            let extraLength = u16(28)
            guard offset + 30 + nameLength <= data.count else { break }
            names.append(String(decoding: data[(offset + 30)..<(offset + 30 + nameLength)], as: UTF8.self))
            // With a data descriptor (bit 3) the size is not known here; the names seen so far must do.
            if flags & 0x08 != 0 { break }
            offset += 30 + nameLength + extraLength + compressedSize
            if names.count > 200 { break }
        }
        guard names.contains("[Content_Types].xml") || names.contains(where: { $0.hasPrefix("word/") || $0.hasPrefix("xl/") || $0.hasPrefix("ppt/") })
        else {
            return nil
        }
        if names.contains(where: { $0.hasPrefix("word/") }) { return .docx }
        if names.contains(where: { $0.hasPrefix("xl/") }) { return .xlsx }
        if names.contains(where: { $0.hasPrefix("ppt/") }) { return .pptx }
        return nil
    }
}
