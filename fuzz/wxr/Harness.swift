import Foundation

/// `WXRExport.read`: any file handed to the importer is read or refused with a reason; never a
/// trap, never a network or entity fetch (libxml2 runs with NONET and no entity expansion).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    if let export = try? WXRExport.read(bytes) {
        for item in export.items { _ = item.title.count }
    }
    return 0
}
